import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ErrorEnvelopeSchema } from '@iii-registry/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binary, readAnswer } from '../registry-server/helpers';
import { E2E_ADMIN_KEY, startRegistryProcess, type RegistryProcess } from '../helpers/registry-process';

/**
 * Two registry processes on one data dir (one SQLite file in WAL mode): the race that in-process tests cannot
 * produce, since each process has its own connection and transactions really interleave. Publishes of the same
 * name and version sent to both at once: exactly one 200 and one 409, never a 5xx (SQLITE_BUSY) and never two rows.
 */

const ROUNDS = 50;
let dir: string;
let a: RegistryProcess;
let b: RegistryProcess;
/** Names and versions that answered 200, whatever the outcome of the round. */
const published = new Set<string>();
const names = new Set<string>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'registry-race-'));
  a = await startRegistryProcess(dir);
  b = await startRegistryProcess(dir);
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

const call = async (p: RegistryProcess, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${p.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-api-key': E2E_ADMIN_KEY },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return readAnswer(res);
};

/** Statuses and error codes only (bodies hold 50 kB READMEs), plus the processes' last log lines. */
const explain = (results: { status: number; json: Record<string, any> }[]) =>
  `${JSON.stringify(results.map((r) => [r.status, r.json.error?.code ?? 'ok']))}\nA:\n${a.output().slice(-1500)}\nB:\n${b.output().slice(-1500)}`;

describe('two registry processes on the same data dir', () => {
  it('both start at the same moment on an empty data dir (migrations and the bootstrap key race too)', async () => {
    for (let i = 0; i < 2; i++) {
      const fresh = await mkdtemp(join(tmpdir(), 'registry-race-start-'));
      const started = await Promise.allSettled([startRegistryProcess(fresh), startRegistryProcess(fresh)]);
      try {
        expect(started.map((s) => (s.status === 'rejected' ? String(s.reason).slice(0, 1500) : 'ok'))).toEqual(['ok', 'ok']);
        const [p, q] = started.map((s) => (s as PromiseFulfilledResult<RegistryProcess>).value);
        const first = await call(p, 'POST', '/publish', binary('first', '1.0.0'));
        expect(first.status, `${JSON.stringify(first.json).slice(0, 300)}\n${p.output().slice(-1500)}`).toBe(200);
        expect((await call(q, 'GET', '/w/first')).json.worker.version).toBe('1.0.0');
      } finally {
        await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
        await rm(fresh, { recursive: true, force: true });
      }
    }
  }, 60_000);

  it(`same name and version published through both at once: exactly one 200 and one 409 (${ROUNDS} rounds)`, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      // Every other round a new name, so the race covers claiming the worker row too.
      const name = i % 2 === 0 ? `xrace-${i}` : 'xrace-shared';
      const version = `1.0.${i}`;
      const results = await Promise.all([
        call(a, 'POST', '/publish', binary(name, version, { description: 'via A', readme: 'A'.repeat(50_000) })),
        call(b, 'POST', '/publish', binary(name, version, { description: 'via B', readme: 'B'.repeat(50_000) })),
      ]);
      if (results.some((r) => r.status === 200)) {
        published.add(`${name}@${version}`);
        names.add(name);
      }
      expect(results.map((r) => r.status).sort(), explain(results)).toEqual([200, 409]);
      const loser = results.find((r) => r.status === 409);
      expect(ErrorEnvelopeSchema.safeParse(loser?.json).success).toBe(true);
      expect(loser?.json.error.code).toBe('version_exists');
      const winner = results[0].status === 200 ? 'via A' : 'via B';
      // Both processes read the winner's version, whole.
      for (const p of [a, b]) {
        const read = await call(p, 'GET', `/w/${name}?version=${version}`);
        expect(read.status).toBe(200);
        expect(read.json.worker.description).toBe(winner);
        expect(read.json.worker.readme).toBe((winner === 'via A' ? 'A' : 'B').repeat(50_000));
      }
    }
  }, 60_000);

  it('the database holds one row per name and version and passes integrity_check', async () => {
    const db = new Database(join(dir, 'registry.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const dupes = db.prepare('SELECT worker_id, version, COUNT(*) AS n FROM versions GROUP BY worker_id, version HAVING n > 1').all();
      expect(dupes).toEqual([]);
      const workers = db.prepare("SELECT name FROM workers WHERE name LIKE 'xrace-%' ORDER BY name").pluck().all() as string[];
      expect(workers).toEqual([...names].sort());
      const versions = db.prepare("SELECT w.name || '@' || v.version FROM versions v JOIN workers w ON w.id = v.worker_id WHERE w.name LIKE 'xrace-%'").pluck().all() as string[];
      expect(versions.sort()).toEqual([...published].sort());
    } finally {
      db.close();
    }
  });

  it('tag moves with the same expected_current_version through both at once: exactly one wins', async () => {
    for (let i = 0; i < 100; i++) expect((await call(a, 'POST', '/publish', binary('xtag', `3.0.${i}-rc.1`))).status).toBe(200);
    let current: string | null = null;
    for (let i = 0; i < 50; i++) {
      const targets = [`3.0.${2 * i}-rc.1`, `3.0.${2 * i + 1}-rc.1`];
      const results: { status: number; json: Record<string, any> }[] = await Promise.all([
        call(a, 'PUT', '/w/xtag/tags/next', { version: targets[0], expected_current_version: current }),
        call(b, 'PUT', '/w/xtag/tags/next', { version: targets[1], expected_current_version: current }),
      ]);
      expect(results.map((r) => r.status).sort(), explain(results)).toEqual([200, 409]);
      const w: number = results.findIndex((r) => r.status === 200);
      expect(results[1 - w].json.error.code).toBe('tag_conflict');
      current = targets[w];
      for (const p of [a, b]) {
        const versions = (await call(p, 'GET', '/w/xtag/versions')).json.versions as { version: string; tags: string[] }[];
        expect(versions.filter((v) => v.tags.includes('next')).map((v) => v.version)).toEqual([current]);
      }
    }
  }, 60_000);
});
