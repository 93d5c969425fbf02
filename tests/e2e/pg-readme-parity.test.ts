import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../registry-server/src/app';
import { loadConfig } from '../../registry-server/src/config';
import { createTestDatabase } from '../helpers/pg-database';
import { ADMIN_KEY, binary } from '../registry-server/helpers';

/**
 * README search on PostgreSQL answers exactly what SQLite FTS5 (`porter unicode61`) answers: the same registry
 * history (publishes, a tag move back, a yank) on both backends, then the same queries: same names in the same
 * order, the same exact-stem AND matching, and the same maxMatches cut.
 */
const READMES: Record<string, string[]> = {
  'cron-runner': ['# Cron\n\nRuns scheduled jobs. Scheduling uses cron expressions; schedules survive restarts.'],
  'job-queue': ['# Queue\n\nA job queue with retries. Jobs are scheduled by the producer and run by workers; job job job.'],
  'image-tools': ['# Images\n\nResize, crop and convert images (webp, avif). Thumbnails for the café\'s naïve menu.'],
  'bus-bridge': ['# Bus\n\nBridges the event bus to HTTP/2 and WebSocket. Buses connect; key-value pairs and keyvalue stores.'],
  'ru-docs': ['# Документация\n\nПривет, йогурт и ёлка. Ελληνικά κείμενα. 日本語 テスト.'],
  'versions-move': ['# First\n\nAlphaword appears in the first version.', '# Second\n\nBetaword appears in the second version.'],
  'long-readme': [`# Long\n\n${'Runs a scheduler for jobs and queues. '.repeat(40)}${'filler text here '.repeat(300)}`],
};
for (let i = 0; i < 6; i++) READMES[`common-${i}`] = [`# Common ${i}\n\nA shared word: widget. ${'widget '.repeat(i + 1)}Also runs jobs.`];

const QUERIES = [
  ['scheduling'], ['schedule'], ['scheduled', 'jobs'], ['job'], ['jobs', 'queue'], ['cafe'], ['café'], ['naive'], ['bus'], ['buses'],
  ['key-value'], ['keyvalue'], ['key', 'value'], ['http'], ['websocket'], ['привет'], ['йогурт'], ['елка'], ['ёлка'], ['ελληνικά'],
  ['日本語'], ['alphaword'], ['betaword'], ['widget'], ['widgets', 'jobs'], ['run'], ['runs'], ['scheduler'], ['sched'], ['nomatch'],
  ['the'], ['a'], ['RUNS', 'Jobs'], ['web-p'], ['webp', 'avif'], ['jobs', 'jobs'], ['schedules', 'scheduling', 'jobs'], ['job', 'widget'],
];

let sqlite: BuiltApp;
let postgres: BuiltApp;
let database: Awaited<ReturnType<typeof createTestDatabase>>;

const config = (extra: Record<string, string>) =>
  loadConfig({ REGISTRY_DATA_DIR: ':memory:', REGISTRY_API_KEY: ADMIN_KEY, REGISTRY_SEED: '0', REGISTRY_READ_RATE_LIMIT: '0', REGISTRY_PUBLISH_RATE_LIMIT: '0', REGISTRY_AUTH_FAILURE_LIMIT: '0', ...extra });

async function history(built: BuiltApp) {
  const send = async (method: 'POST' | 'PUT', url: string, payload: object) => {
    const res = await built.app.inject({ method, url, payload, headers: { 'x-api-key': ADMIN_KEY } });
    expect(res.statusCode, res.body).toBe(200);
  };
  for (const [name, readmes] of Object.entries(READMES))
    for (const [i, readme] of readmes.entries()) await send('POST', '/publish', binary(name, `1.${i}.0`, { readme }));
  // The second version of versions-move is shown, then latest moves back to the first: its README is searched again.
  await send('PUT', '/w/versions-move/tags/latest', { version: '1.0.0' });
  // Yanking the only version of bus-bridge takes latest away; the newest version is still what the worker shows.
  await send('POST', '/w/bus-bridge/versions/1.0.0/status', { status: 'yanked', message: 'broken' });
}

beforeAll(async () => {
  database = await createTestDatabase();
  sqlite = await buildApp(config({}));
  postgres = await buildApp(config({ REGISTRY_DATABASE_URL: database.url }));
  await history(sqlite);
  await history(postgres);
});
afterAll(async () => {
  await sqlite?.app.close();
  await postgres?.app.close();
  await database?.drop();
});

describe('README search parity (SQLite FTS5 vs PostgreSQL)', () => {
  it('answers every query with the same workers in the same order', async () => {
    const mismatches: string[] = [];
    let nonEmpty = 0;
    for (const q of QUERIES) {
      const a = await sqlite.backend.repos.readmes.search(q, 20, 200);
      const b = await postgres.backend.repos.readmes.search(q, 20, 200);
      if (a.length > 0) nonEmpty++;
      if (JSON.stringify(a) !== JSON.stringify(b)) mismatches.push(`${q.join(' ')}: sqlite ${JSON.stringify(a)} postgres ${JSON.stringify(b)}`);
    }
    expect(mismatches).toEqual([]);
    expect(nonEmpty).toBeGreaterThan(15);
  });

  it('matches stemmed words exactly (no prefixes), every word (AND), over the shown version only', async () => {
    for (const built of [sqlite, postgres]) {
      const search = (q: string[]) => built.backend.repos.readmes.search(q, 20, 200);
      expect(await search(['sched'])).toEqual([]);
      expect(await search(['schedule'])).toEqual(expect.arrayContaining(['cron-runner', 'job-queue']));
      expect(await search(['alphaword'])).toEqual(['versions-move']);
      expect(await search(['betaword'])).toEqual([]);
      expect(await search(['retries', 'jobs'])).toEqual(['job-queue']);
      expect(await search(['jobs', 'queue'])).toEqual(['job-queue', 'long-readme']);
    }
  });

  it('answers [] when more READMEs match than maxMatches, on both backends', async () => {
    for (const built of [sqlite, postgres]) {
      const search = (max: number) => built.backend.repos.readmes.search(['widget'], 3, max);
      expect(await search(6)).toHaveLength(3);
      expect(await search(5)).toEqual([]);
    }
    expect(await postgres.backend.repos.readmes.search(['widget'], 3, 6)).toEqual(await sqlite.backend.repos.readmes.search(['widget'], 3, 6));
  });
});
