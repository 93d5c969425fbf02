import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../registry-server/src/app';
import { loadConfig } from '../../registry-server/src/config';
import { MIGRATIONS } from '../../registry-server/src/db/migrations';
import { ADMIN_KEY, binary } from './helpers';

/**
 * The SQLite README index (issue 16, publish cost): a contentless FTS5 table with tombstone deletes. It keeps no
 * copy of the READMEs, replacing a worker's README leaves only the new words findable, and a database indexed the
 * old way (a copy of every README) is converted when it is opened.
 */

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-index-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;

const start = (dir: string) =>
  buildApp(loadConfig({ REGISTRY_DATA_DIR: dir, REGISTRY_API_KEY: ADMIN_KEY, REGISTRY_SEED: '0', REGISTRY_READ_RATE_LIMIT: '0', REGISTRY_PUBLISH_RATE_LIMIT: '0' }));

const publish = async (b: BuiltApp, name: string, version: string, readme: string) => {
  const res = await b.app.inject({ method: 'POST', url: '/publish', payload: binary(name, version, { readme }), headers: { 'x-api-key': ADMIN_KEY } });
  expect(res.statusCode).toBe(200);
};

const found = async (b: BuiltApp, word: string): Promise<string[]> =>
  ((await b.app.inject(`/w?search=${word}`)).json().workers as { name: string }[]).map((w) => w.name);

const tables = (db: Database.Database) => db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'readme_fts%'").pluck().all() as string[];

describe('README index (SQLite FTS5, contentless)', () => {
  it('keeps no copy of the READMEs, and a replaced README is no longer found', async () => {
    const dir = path.join(root, `case-${n++}`);
    const b = await start(dir);
    try {
      await publish(b, 'doc-worker', '1.0.0', '# doc\n\nalphaword text');
      await publish(b, 'other-worker', '1.0.0', '# other\n\nkappaword text');
      for (let i = 1; i <= 20; i++) await publish(b, 'doc-worker', `1.0.${i}`, `# doc\n\nbetaword text ${i}`);
      expect(await found(b, 'alphaword')).toEqual([]);
      expect(await found(b, 'betaword')).toEqual(['doc-worker']);
      expect(await found(b, 'kappaword')).toEqual(['other-worker']);
    } finally {
      await b.app.close();
    }
    const db = new Database(path.join(dir, 'registry.db'), { readonly: true });
    try {
      expect(tables(db)).not.toContain('readme_fts_content');
      expect(db.prepare('SELECT readme FROM readme_fts').pluck().all()).toEqual([null, null]);
      // One row per worker: replaced READMEs left no rows behind.
      expect(db.prepare('SELECT COUNT(*) FROM readme_fts').pluck().get()).toBe(2);
    } finally {
      db.close();
    }
  });

  it('converts a database whose index held a copy of every README, and search keeps finding them', async () => {
    const dir = path.join(root, `case-${n++}`);
    const first = await start(dir);
    await publish(first, 'doc-worker', '1.0.0', '# doc\n\nalphaword text');
    await publish(first, 'doc-worker', '1.1.0', '# doc\n\ngammaword text');
    await first.app.close();
    // The index as the previous migration left it, with the schema version from before this one.
    const db = new Database(path.join(dir, 'registry.db'));
    const at = MIGRATIONS.findIndex((m) => m.includes('contentless_delete'));
    expect(at).toBeGreaterThan(0);
    db.exec(`DROP TABLE readme_fts;
      CREATE VIRTUAL TABLE readme_fts USING fts5 (readme, tokenize = 'porter unicode61');
      INSERT INTO readme_fts (rowid, readme) SELECT id, '# doc gammaword text' FROM workers;`);
    db.pragma(`user_version = ${at}`);
    expect(tables(db)).toContain('readme_fts_content');
    db.close();

    const second = await start(dir);
    try {
      expect(await found(second, 'gammaword')).toEqual(['doc-worker']);
      expect(await found(second, 'alphaword')).toEqual([]);
      await publish(second, 'doc-worker', '1.2.0', '# doc\n\ndeltaword text');
      expect(await found(second, 'deltaword')).toEqual(['doc-worker']);
      expect(await found(second, 'gammaword')).toEqual([]);
    } finally {
      await second.app.close();
    }
    const after = new Database(path.join(dir, 'registry.db'), { readonly: true });
    try {
      expect(tables(after)).not.toContain('readme_fts_content');
    } finally {
      after.close();
    }
  });
});
