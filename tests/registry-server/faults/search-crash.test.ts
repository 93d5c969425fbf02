import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../../registry-server/src/app';
import { loadConfig } from '../../../registry-server/src/config';
import { ADMIN_KEY, binary } from '../helpers';
import { MIGRATIONS } from '../../../registry-server/src/db/migrations';

/**
 * The README full-text row must change in the same transaction as the write that changes which version a worker
 * shows. Each write is cut at its worst point: its transaction committed, then the process "dies" before any
 * later step runs (the in-memory index update throws, as a SIGKILL would stop it). After a restart on the same
 * file, search must describe the version the data shows, never the one before.
 */

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'search-crash-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;

const start = (dir: string) =>
  buildApp(loadConfig({ REGISTRY_DATA_DIR: dir, REGISTRY_API_KEY: ADMIN_KEY, REGISTRY_SEED: '0', REGISTRY_READ_RATE_LIMIT: '0', REGISTRY_PUBLISH_RATE_LIMIT: '0' }));

const send = async (b: BuiltApp, method: 'POST' | 'PUT', url: string, payload: object) =>
  b.app.inject({ method, url, payload, headers: { 'x-api-key': ADMIN_KEY } });

const found = async (b: BuiltApp, word: string): Promise<string[]> =>
  ((await b.app.inject(`/w?search=${word}`)).json().workers as { name: string }[]).map((w) => w.name);

/** Everything after the commit fails, like a process killed right after its transaction. */
function dieAfterCommit(b: BuiltApp): void {
  b.ctx.search.update = async () => {
    throw new Error('killed after commit');
  };
}

async function crashCase(write: (b: BuiltApp) => Promise<unknown>, shownAfter: string, shownBefore: string, prepare?: (b: BuiltApp) => Promise<unknown>) {
  const dir = path.join(root, `case-${n++}`);
  const first = await start(dir);
  for (const [version, word] of [['1.0.0', 'alphaword'], ['2.0.0-rc.1', 'betaword']])
    expect((await send(first, 'POST', '/publish', binary('doc-worker', version, { readme: `# doc\n\n${word} text` }))).statusCode).toBe(200);
  await prepare?.(first);
  expect(await found(first, shownAfter)).toEqual([]);
  dieAfterCommit(first);
  await write(first);
  await first.app.close();

  const second = await start(dir);
  try {
    expect(await found(second, shownAfter), `search for '${shownAfter}' after restart`).toEqual(['doc-worker']);
    expect(await found(second, shownBefore), `search for '${shownBefore}' after restart`).toEqual([]);
  } finally {
    await second.app.close();
  }
}

describe('README search after a crash right after a write committed', () => {
  it('publish of a new latest version: search finds the new README, not the old one', async () => {
    await crashCase(async (b) => {
      const res = await send(b, 'POST', '/publish', binary('doc-worker', '1.1.0', { readme: '# doc\n\ngammaword text' }));
      expect(res.statusCode).toBe(500);
    }, 'gammaword', 'alphaword');
  });

  it('tag move of latest: search follows the tag', async () => {
    await crashCase(async (b) => {
      const res = await send(b, 'PUT', '/w/doc-worker/tags/latest', { version: '2.0.0-rc.1' });
      expect(res.statusCode).toBe(500);
    }, 'betaword', 'alphaword');
  });

  it('yank of the latest version: search shows the version latest falls back to', async () => {
    await crashCase(async (b) => {
      const res = await send(b, 'POST', '/w/doc-worker/versions/1.2.0/status', { status: 'yanked', message: 'broken' });
      expect(res.statusCode).toBe(500);
    }, 'alphaword', 'deltaword', async (b) => {
      expect((await send(b, 'POST', '/publish', binary('doc-worker', '1.2.0', { readme: '# doc\n\ndeltaword text' }))).statusCode).toBe(200);
    });
  });

  it('a database whose README index went stale under older code is mended when it is opened', async () => {
    const dir = path.join(root, `case-${n++}`);
    const first = await start(dir);
    await send(first, 'POST', '/publish', binary('doc-worker', '1.0.0', { readme: '# doc\n\nalphaword text' }));
    await send(first, 'POST', '/publish', binary('doc-worker', '1.1.0', { readme: '# doc\n\ngammaword text' }));
    await first.app.close();
    // The state the old after-commit update left: the previous README indexed, same row count.
    const db = new Database(path.join(dir, 'registry.db'));
    // Every migration before the one that made the index transactional has run; that one has not.
    const before = MIGRATIONS.findIndex((m) => m.includes('readme_fts_version_added'));
    db.exec(`UPDATE readme_fts SET readme = '# doc alphaword text'; PRAGMA user_version = ${before};`);
    for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[]) db.exec(`DROP TRIGGER ${t}`);
    db.close();
    const second = await start(dir);
    try {
      expect(await found(second, 'gammaword')).toEqual(['doc-worker']);
      expect(await found(second, 'alphaword')).toEqual([]);
    } finally {
      await second.app.close();
    }
  });
});
