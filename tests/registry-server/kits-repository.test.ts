import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../registry-server/src/db/open';
import { createKitsRepository, type KitsRepository } from '../../registry-server/src/db/kits-repository';
import { createPgKitsRepository } from '../../registry-server/src/db/pg/kits-repository';
import { createPool, poolSql } from '../../registry-server/src/db/pg/sql';
import { createPgStamps } from '../../registry-server/src/db/pg/stamps';
import type { KitPublishRules, NewKitVersion } from '../../registry-server/src/db/kits-types';
import { kitLatestAfterStatus, kitTagsAfterPublish } from '../../registry-server/src/services/kit-rules';
import { createTestDatabase, TEST_BACKEND } from '../helpers/pg-database';

const doc = { description: null, license: null, repo: null, tags: [], notes: null, experimental: null, workers: [], agents: [], skills: [] };
const input = (version: string, files: [string, string][], handle = 'acme', publisher: number | null = null): NewKitVersion => ({
  handle, name: 'team', version, prerelease: false, publisher_key_id: publisher, published_at: new Date().toISOString(), doc,
  files: files.map(([p, sha]) => ({ path: p, sha256: sha, content: `content of ${sha}` })), readme: { sha256: 'r'.repeat(64), content: 'readme' }, search_text: '',
});
const rules: KitPublishRules = {
  authorize() {},
  conflict(): never {
    throw new Error('conflict');
  },
  tagsAfter: (all, tags, inserted) => kitTagsAfterPublish(all, tags, inserted),
};

interface Store {
  /** Repositories as separate processes would hold them (SQLite: one file; PostgreSQL: one pool per replica). */
  replicas: KitsRepository[];
  count(table: string): Promise<number>;
  exec(sql: string): Promise<void>;
  /**
   * PostgreSQL only: runs `sql` in a transaction on its own connection and keeps it open (its row locks held) until
   * `release`; `waiting(n)` resolves once n other sessions wait for a lock. Makes a race deterministic: every racer
   * reaches the same point before any proceeds.
   */
  hold?(sql: string): Promise<{ waiting(n: number): Promise<void>; release(): Promise<void> }>;
  close(): Promise<void>;
}

/** The SQLite repository on a real database file, or (postgres project) the PostgreSQL one on a fresh database. */
async function openStore(): Promise<Store> {
  if (TEST_BACKEND === 'postgres') {
    const database = await createTestDatabase();
    const pools = [createPool({ url: database.url, max: 4 }), createPool({ url: database.url, max: 4 })];
    return {
      replicas: pools.map((p) => createPgKitsRepository(p, createPgStamps(poolSql(p)))),
      count: async (table) => Number((await pools[0].query(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n),
      exec: async (text) => void (await pools[0].query(text)),
      async hold(text) {
        const client = new pg.Client({ connectionString: database.url });
        await client.connect();
        await client.query('BEGIN');
        await client.query(text);
        return {
          async waiting(n) {
            const q = `SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
            // pg_stat_activity is read once per transaction unless its snapshot is cleared.
            const count = async () => (await client.query('SELECT pg_stat_clear_snapshot()'), Number((await client.query(q)).rows[0].n));
            while ((await count()) < n) await new Promise((r) => setTimeout(r, 20));
          },
          async release() {
            await client.query('ROLLBACK');
            await client.end();
          },
        };
      },
      async close() {
        await Promise.all(pools.map((p) => p.end()));
        await database.drop();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kits-repo-'));
  const db = openDatabase(dir);
  const repo = createKitsRepository(db);
  return {
    replicas: [repo, repo],
    count: async (table) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n,
    exec: async (text) => void db.exec(text),
    async close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe(`kits repository (${TEST_BACKEND})`, () => {
  let store: Store;
  let repo: KitsRepository;
  const count = (table: string) => store.count(table);
  beforeEach(async () => {
    store = await openStore();
    repo = store.replicas[0];
  });
  afterEach(() => store.close());

  it('a publish failing after its blobs were inserted rolls everything back: no blob, file, kit or handle remains', async () => {
    const failing: KitPublishRules = { ...rules, tagsAfter: () => { throw new Error('disk full'); } };
    await expect(repo.publish(input('1.0.0', [['agents/a.md', 'a'.repeat(64)]]), failing)).rejects.toThrow('disk full');
    for (const table of ['kit_blobs', 'kit_files', 'kit_versions', 'kits', 'kit_handles', 'kit_tags']) expect(await count(table), table).toBe(0);
  });

  it('shares blobs between versions and keeps old ones after newer versions', async () => {
    await repo.publish(input('1.0.0', [['agents/a.md', 'a'.repeat(64)], ['skills/s.md', 's'.repeat(64)]]), rules);
    await repo.publish(input('1.1.0', [['agents/a.md', 'b'.repeat(64)], ['skills/s.md', 's'.repeat(64)]]), rules);
    expect(await count('kit_blobs')).toBe(4); // a, s, b and the shared readme
    expect(await repo.blob('a'.repeat(64))).toBe(`content of ${'a'.repeat(64)}`);
    const kit = await repo.kit('acme', 'team');
    expect((await repo.tags(kit!.id)).map((t) => `${t.name}=${t.version}`)).toEqual(['latest=1.1.0']);
    await expect(repo.publish(input('1.1.0', [['agents/a.md', 'c'.repeat(64)]]), rules)).rejects.toThrow('conflict');
    expect(await repo.blob('c'.repeat(64))).toBeNull();
  });

  it('reads back what a publish stored: kit, versions, files sorted by path, list with the shown version', async () => {
    const { kit, version } = await repo.publish({ ...input('1.0.0', [['skills/z.md', 'z'.repeat(64)], ['agents/a.md', 'a'.repeat(64)]]),
      doc: { ...doc, license: 'MIT', tags: ['kanban'] } }, rules);
    expect(kit).toMatchObject({ handle: 'acme', name: 'team', owner_key_id: null, owner_admin: false, total_downloads: 0, ci_downloads: 0 });
    expect(version).toMatchObject({ version: '1.0.0', prerelease: false, status: 'active', license: 'MIT', readme_sha256: 'r'.repeat(64), kit_id: kit.id });
    expect(version.doc.tags).toEqual(['kanban']);
    expect(await repo.version(kit.id, '1.0.0')).toEqual(version);
    expect((await repo.files(version.id)).map((f) => f.path)).toEqual(['agents/a.md', 'skills/z.md']);
    expect(await repo.handleOwner('acme')).toEqual({ owner_key_id: null });
    expect(await repo.handleOwner('nobody')).toBeNull();
    const list = await repo.list();
    expect(list.map((r) => `${r.kit.handle}/${r.kit.name}@${r.version.version}`)).toEqual(['acme/team@1.0.0']);
  });

  it('status changes move latest back and forth; the kit row carries the new updated_at', async () => {
    await repo.publish(input('1.0.0', [['agents/a.md', 'a'.repeat(64)]]), rules);
    const { kit, version } = await repo.publish(input('1.1.0', [['agents/a.md', 'b'.repeat(64)]]), rules);
    await repo.setStatus(kit.id, version.id, 'yanked', 'broken', null, kitLatestAfterStatus);
    expect((await repo.tags(kit.id)).map((t) => `${t.name}=${t.version}`)).toEqual(['latest=1.0.0']);
    expect((await repo.versions(kit.id)).map((v) => `${v.version}:${v.status}:${v.status_message}`)).toEqual(['1.0.0:active:null', '1.1.0:yanked:broken']);
    await repo.setStatus(kit.id, version.id, 'active', null, null, kitLatestAfterStatus);
    expect((await repo.tags(kit.id)).map((t) => `${t.name}=${t.version}`)).toEqual(['latest=1.1.0']);
  });

  it('tag compare-and-swap is exact across replicas: of racing moves expecting the same version, one wins', async () => {
    const one = await repo.publish(input('1.0.0', [['agents/a.md', 'a'.repeat(64)]]), rules);
    const two = await repo.publish(input('1.1.0', [['agents/a.md', 'b'.repeat(64)]]), rules);
    const three = await repo.publish(input('1.2.0', [['agents/a.md', 'c'.repeat(64)]]), rules);
    await repo.moveTag(one.kit.id, 'stable', one.version.id, undefined);
    // PostgreSQL: the tag row is held, so every move has read the tag before the first can write it.
    const held = await store.hold?.(`SELECT 1 FROM kit_tags WHERE kit_id = ${one.kit.id} AND name = 'stable' FOR UPDATE`);
    const racing = Promise.all(Array.from({ length: 8 }, (_, i) =>
      store.replicas[i % 2].moveTag(one.kit.id, 'stable', (i % 2 ? two : three).version.id, '1.0.0')));
    await held?.waiting(8);
    await held?.release();
    const moves = await racing;
    expect(moves.filter((m) => m.changed)).toHaveLength(1);
    expect(moves.filter((m) => m.conflict)).toHaveLength(7);
    const winner = moves.find((m) => m.changed)!;
    expect(winner.current).toBe('1.0.0');
    const now = (await repo.tags(one.kit.id)).find((t) => t.name === 'stable')!.version;
    for (const m of moves.filter((x) => x.conflict)) expect(m.current).toBe(now);
  });

  it('racing publishes across replicas: one version wins, one handle owner wins, downloads count once each', async () => {
    await store.exec(`INSERT INTO api_keys (id, name, hash, admin, created_at) VALUES (7, 'alice', 'h7', 0, 'now'), (8, 'bob', 'h8', 0, 'now')`);
    await repo.publish(input('0.9.0', [['agents/a.md', 'a'.repeat(64)]]), rules);
    // PostgreSQL: an uncommitted blob every racer also inserts, so every racer is past its start before any proceeds.
    const held = await store.hold?.(`INSERT INTO kit_blobs (sha256, size, content, created_at) VALUES ('${'0'.repeat(64)}', 1, 'x', 'now')`);
    const racing = Promise.allSettled(Array.from({ length: 6 }, (_, i) =>
      store.replicas[i % 2].publish(input('1.0.0', [['agents/a.md', '0'.repeat(64)], ['skills/s.md', `${i + 1}`.repeat(64)]]), rules)));
    await held?.waiting(6);
    await held?.release();
    const same = await racing;
    expect(same.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of same) if (r.status === 'rejected') expect(String(r.reason)).toMatch('conflict');
    expect(await count('kit_versions')).toBe(2);
    expect(await count('kit_blobs')).toBe(4); // 0.9.0's file, the readme, the winner's two files; the losers left nothing

    // Two keys claim one new handle through two replicas: one claims it, the other is checked against that claim.
    const claim = (key: number, replica: number) => store.replicas[replica].publish(input(`1.${key}.0`, [['agents/a.md', 'e'.repeat(64)]], 'fresh', key), {
      ...rules,
      authorize(owner) {
        if (owner && owner.owner_key_id !== key) throw new Error('not owner');
      },
    });
    const claims = await Promise.allSettled([claim(7, 0), claim(8, 1)]);
    expect(claims.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(String((claims.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason)).toMatch('not owner');
    const owner = (await repo.handleOwner('fresh'))!.owner_key_id;
    expect([7, 8]).toContain(owner);
    const fresh = (await repo.kit('fresh', 'team'))!;
    expect(fresh.owner_name).toBe(owner === 7 ? 'alice' : 'bob');
    expect((await repo.versions(fresh.id)).map((v) => v.version)).toEqual([`1.${owner}.0`]);

    await Promise.all(Array.from({ length: 20 }, (_, i) => store.replicas[i % 2].countDownload(fresh.id, i % 4 === 0)));
    expect(await repo.kit('fresh', 'team')).toMatchObject({ total_downloads: 20, ci_downloads: 5 });
  });
});
