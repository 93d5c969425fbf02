import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../registry-server/src/app';
import { migrationFixture, send } from './pg-migrate-harness';
import { openDatabase } from '../../registry-server/src/db/open';
import { copySqliteToPostgres } from '../../registry-server/src/db/pg/copy-from-sqlite';
import { createPool } from '../../registry-server/src/db/pg/sql';
import { kitBody } from '../registry-server/kit-fixtures';

/**
 * The kit part of `npm run migrate-to-postgres` (db/pg/copy-from-sqlite.ts): handles with their owners, kits with
 * their download counters, blobs, versions, files and tags reach PostgreSQL; every kit answer is the same before
 * and after, a second copy changes nothing, and writes continue after the copied ids. (pg-migrate.test.ts covers
 * the whole registry; this one needs no worker, so it runs on its own.)
 */

const { env, dir: sourceDir, dbUrl } = migrationFixture('migrate-kits-', false);

const kit = (version: string, readme: string, files?: Record<string, string>) => kitBody(version, { readme, workers: {}, ...(files ? { files } : {}) });

async function kitAnswers(built: BuiltApp): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const get = async (url: string) => {
    const res = await send(built, 'GET', url, undefined, null);
    const body = String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body;
    out[url] = { status: res.statusCode, body };
    return body;
  };
  const kits = (await get('/k?limit=100')).kits as { id: string }[];
  await get('/k?search=kanban');
  for (const { id } of kits) {
    await get(`/k/${id}`);
    for (const v of (await get(`/k/${id}/versions`)).versions as { version: string }[]) {
      await get(`/k/${id}?version=${v.version}`);
      await get(`/k/${id}/readme?version=${v.version}`);
      for (const f of (await get(`/k/${id}/files?version=${v.version}`)).files as { sha256: string }[]) await get(`/blobs/${f.sha256}`);
    }
    await get(`/k/${id}/compare?from=1.0.0`);
  }
  const updates = await send(built, 'POST', '/k/updates', { kits: kits.map((k) => ({ kit: k.id, version: '1.0.0', requested: '^1.0' })) }, null);
  out['POST /k/updates'] = { status: updates.statusCode, body: updates.json() };
  return out;
}

describe('migrate-to-postgres: kits', () => {
  it('copies handles, kits, blobs, versions, files and tags; answers are identical; a second copy changes nothing', async () => {
    const dir = sourceDir();
    const source = await buildApp(env({ REGISTRY_DATA_DIR: dir }));
    const alice = (await send(source, 'POST', '/admin/keys', { name: 'alice' })).json().key.key as string;
    const ok = async (res: Promise<{ statusCode: number; body: string }>) => expect((await res).statusCode, (await res).body).toBe(200);
    await ok(send(source, 'POST', '/k/alice/team', kit('1.0.0', '# Team\n'), alice));
    await ok(send(source, 'POST', '/k/alice/team', kit('1.1.0', '# Team 1.1\n'), alice));
    await ok(send(source, 'POST', '/k/alice/team', kit('2.0.0-rc.1', '# Team 2\n', { 'agents/solo.md': '---\nname: Solo\n---\nAlone.\n' }), alice));
    await ok(send(source, 'PUT', '/k/alice/team/tags/stable', { version: '1.0.0' }, alice));
    await ok(send(source, 'POST', '/k/alice/team/versions/1.0.0/status', { status: 'deprecated', message: 'use 1.1', replaced_by: '1.1.0' }, alice));
    await ok(send(source, 'POST', '/k/acme/board', kit('1.0.0', '# Board\n')));
    for (let i = 0; i < 3; i++) await send(source, 'GET', `/k/alice/team/download${i ? '' : '?ci=1'}`, undefined, null);
    const before = await kitAnswers(source);
    await source.app.close();

    const copy = async () => {
      const sqlite = openDatabase(dir);
      const pool = createPool({ url: dbUrl(), max: 2 });
      try {
        return await copySqliteToPostgres(sqlite, join(dir, 'archives'), pool);
      } finally {
        sqlite.close();
        await pool.end();
      }
    };
    const first = await copy();
    expect(first.rows).toMatchObject({ kit_handles: 2, kits: 2, kit_versions: 4, kit_tags: 3 });
    expect(first.rows.kit_files).toBe(13); // 4 files in each version, plus solo.md in 2.0.0-rc.1
    await copy();

    const target = await buildApp(env({ REGISTRY_DATA_DIR: await mkdtemp(join(tmpdir(), 'migrate-kits-empty-')), REGISTRY_DATABASE_URL: dbUrl() }));
    try {
      expect(target.backend.kind).toBe('postgres');
      const after = await kitAnswers(target);
      expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
      for (const url of Object.keys(before)) expect(after[url], url).toEqual(before[url]);
      // alice keeps her handle, new rows take ids after the copied ones, downloads keep counting from the copied totals.
      const bob = (await send(target, 'POST', '/admin/keys', { name: 'bob' })).json().key.key as string;
      await ok(send(target, 'POST', '/k/alice/team', kit('1.2.0', '# Team 1.2\n'), alice));
      expect((await send(target, 'POST', '/k/alice/other', kit('1.0.0', '# Other\n'), bob)).statusCode).toBe(403);
      await ok(send(target, 'POST', '/k/bob/team', kit('1.0.0', '# Bob\n'), bob));
      await send(target, 'GET', '/k/alice/team/download', undefined, null);
      expect((await send(target, 'GET', '/k/alice/team')).json().kit).toMatchObject({ version: '1.2.0', release_tags: { latest: '1.2.0', stable: '1.0.0' },
        total_downloads: 4, ci_downloads: 1 });
      expect((await send(target, 'GET', '/k/bob/team')).json().kit.version).toBe('1.0.0');
    } finally {
      await target.app.close();
    }
  });
});
