import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSeedCatalog } from '@iii-registry/seed';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_MIGRATIONS } from '../../registry-server/src/db/pg/migrations';
import { createTestDatabase } from '../helpers/pg-database';
import { call, eventually, startReplicas, type Replicas } from '../helpers/pg-replicas';
import { binary } from '../registry-server/helpers';
import { manifestYaml, packDir } from '../registry-server/helpers/tar-fixtures';
import { E2E_ADMIN_KEY } from '../helpers/registry-process';

/**
 * Two replicas on one PostgreSQL behave as one registry through real HTTP: writes on either are seen on both
 * (caches, search index, counters), archives and staged uploads are shared, and races are exact across processes.
 */

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let r: Replicas;
let sql: pg.Client;
const [A, B] = [0, 1];
const rep = (i: number) => r.procs[i];

beforeAll(async () => {
  db = await createTestDatabase();
  // The template is already migrated; start from an empty schema so the replicas race the migrations themselves.
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  await sql.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  r = await startReplicas(db.url, 2, { REGISTRY_SEED: '1' });
}, 120_000);
afterAll(async () => {
  await r?.stop();
  await sql?.end();
  await db?.drop();
});

const count = async (text: string, params: unknown[] = []) => Number((await sql.query(text, params)).rows[0].n);

describe('two replicas on one PostgreSQL', () => {
  it('started together on an empty database: migrated once, one bootstrap key, seeded exactly once, nothing on local disk', async () => {
    expect(await count('SELECT COUNT(*) AS n FROM registry_migrations')).toBe(PG_MIGRATIONS.length);
    expect(await count('SELECT COUNT(*) AS n FROM api_keys')).toBe(1);
    const catalog = loadSeedCatalog();
    // The catalog plus the registry's own iii-directory bundle (seed-directory.ts), with its skills.
    expect(await count('SELECT COUNT(*) AS n FROM versions')).toBe(catalog.publishes.length + 1);
    expect(await count('SELECT COUNT(*) AS n FROM skill_snapshots')).toBe(catalog.skills.length + 1);
    for (const dir of r.dirs) expect(await readdir(dir)).toEqual([]);
    const [a, b] = await Promise.all([call(rep(A), 'GET', '/w?limit=100'), call(rep(B), 'GET', '/w?limit=100')]);
    expect(a.json.workers.map((w: { name: string }) => w.name)).toEqual(b.json.workers.map((w: { name: string }) => w.name));
  });

  it('a publish, a tag move and a yank on one replica show on the other, cached detail and search included', async () => {
    expect((await call(rep(A), 'POST', '/publish', binary('xrep', '1.0.0', { description: 'zebracorn widget' }))).status).toBe(200);
    await eventually(async () => (await call(rep(B), 'GET', '/w/xrep')).status === 200, 5_000, 'xrep on B');
    // B now holds xrep's detail in its response cache; writes on A must replace it.
    expect((await call(rep(B), 'GET', '/w/xrep')).json.worker.version).toBe('1.0.0');
    expect((await call(rep(A), 'POST', '/publish', binary('xrep', '1.1.0'))).status).toBe(200);
    await eventually(async () => (await call(rep(B), 'GET', '/w/xrep')).json.worker.version === '1.1.0', 5_000, 'latest 1.1.0 on B');
    expect((await call(rep(A), 'PUT', '/w/xrep/tags/latest', { version: '1.0.0', expected_current_version: '1.1.0' })).status).toBe(200);
    await eventually(async () => (await call(rep(B), 'GET', '/w/xrep')).json.worker.version === '1.0.0', 5_000, 'tag move on B');
    expect((await call(rep(B), 'POST', '/w/xrep/versions/1.1.0/status', { status: 'yanked', message: 'broken' })).status).toBe(200);
    await eventually(async () => {
      const rows = (await call(rep(A), 'GET', '/w/xrep/versions')).json.versions as { version: string; status: string }[];
      return Array.isArray(rows) && rows.some((v) => v.version === '1.1.0' && v.status === 'yanked');
    }, 5_000, 'yank on A');
    // B's in-memory search index follows A's publish (metadata search, not only the database).
    await eventually(async () => ((await call(rep(B), 'GET', '/w?search=zebracorn')).json.workers ?? []).some((w: { name: string }) => w.name === 'xrep'), 5_000, 'search on B');
  });

  it('README full-text search runs in PostgreSQL: a word only in a README is found from either replica', async () => {
    expect((await call(rep(B), 'POST', '/publish', binary('xreadme', '1.0.0', { readme: '# x\n\nHandles quixotically phrased requests.' }))).status).toBe(200);
    for (const p of [A, B])
      await eventually(async () => ((await call(rep(p), 'GET', '/w?search=quixotic')).json.workers ?? []).some((w: { name: string }) => w.name === 'xreadme'), 5_000, 'readme hit');
  });

  it('downloads count once whichever replica answers, and both replicas show the total', async () => {
    await call(rep(A), 'POST', '/publish', binary('xdl', '1.0.0'));
    await Promise.all(Array.from({ length: 30 }, (_, i) => call(rep(i % 2), 'GET', '/download/xdl', undefined, null)));
    expect(await count(`SELECT total_downloads AS n FROM workers WHERE name = 'xdl'`)).toBe(30);
    for (const p of [A, B])
      await eventually(async () => (await call(rep(p), 'GET', '/w/xdl')).json.worker.total_downloads === 30, 5_000, `downloads on ${p}`);
  });

  it('an archive uploaded to one replica is staged for a publish on the other and served by both', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pg-bundle-'));
    const file = await packDir(join(dir, 'src'), { 'iii.worker.yaml': manifestYaml('xbundle'), 'bundle.js': 'console.log(1)\n' }, join(dir, 'b.tar.gz'));
    const bytes = await readFile(file);
    const up = await fetch(`${rep(A).url}/w/xbundle/archive?version=1.0.0`, { method: 'POST', headers: { 'content-type': 'application/gzip', 'x-api-key': E2E_ADMIN_KEY }, body: new Uint8Array(bytes) });
    expect(up.status, await up.clone().text()).toBe(200);
    const pub = await call(rep(B), 'POST', '/publish', { worker_name: 'xbundle', version: '1.0.0', type: 'bundle', description: 'hosted' });
    expect(pub.status, JSON.stringify(pub.json)).toBe(200);
    const dl = (await call(rep(B), 'GET', '/download/xbundle', undefined, null)).json;
    for (const p of [A, B]) {
      const got = await fetch(`${rep(p).url}${new URL(dl.archive_url).pathname}`);
      expect(got.status).toBe(200);
      expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    }
  });

  it('40 concurrent publishes of one version over two replicas: exactly one 200, the rest 409 version_exists', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => call(rep(i % 2), 'POST', '/publish', binary('xrace', '1.0.0', { description: `attempt ${i}` }))));
    const statuses = results.map((x) => x.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(results.filter((x) => x.status !== 200).every((x) => x.status === 409 && x.json.error.code === 'version_exists')).toBe(true);
    expect(await count(`SELECT COUNT(*) AS n FROM versions v JOIN workers w ON w.id = v.worker_id WHERE w.name = 'xrace'`)).toBe(1);
  });

  it('20 tag moves with one expected version over two replicas: exactly one winner', async () => {
    for (const v of ['1.0.0', '1.1.0', '1.2.0']) await call(rep(A), 'POST', '/publish', binary('xtag', v, { tag: 'next' }));
    await call(rep(A), 'PUT', '/w/xtag/tags/next', { version: '1.0.0' });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      call(rep(i % 2), 'PUT', '/w/xtag/tags/next', { version: i % 3 === 0 ? '1.1.0' : '1.2.0', expected_current_version: '1.0.0' })));
    const winners = results.filter((x) => x.status === 200 && x.json.changed === true);
    expect(winners).toHaveLength(1);
    expect(results.filter((x) => x.status === 409).length).toBeGreaterThanOrEqual(1);
    expect(results.every((x) => x.status === 200 || (x.status === 409 && x.json.error.code === 'tag_conflict'))).toBe(true);
  });

  it('key ownership is exact across replicas: the first key to publish a name owns it on both', async () => {
    const k1 = (await call(rep(A), 'POST', '/admin/keys', { name: 'one' })).json.key.key as string;
    const k2 = (await call(rep(B), 'POST', '/admin/keys', { name: 'two' })).json.key.key as string;
    const first = await Promise.all([call(rep(A), 'POST', '/publish', binary('xown', '1.0.0'), k1), call(rep(B), 'POST', '/publish', binary('xown', '1.0.1'), k2)]);
    const statuses = first.map((x) => x.status).sort();
    expect(statuses).toEqual([200, 403]);
    const owner = first[0].status === 200 ? k1 : k2;
    const other = owner === k1 ? k2 : k1;
    for (const p of [A, B]) expect((await call(rep(p), 'POST', '/publish', binary('xown', `2.0.${p}`), other)).status).toBe(403);
    expect((await call(rep(B), 'POST', '/publish', binary('xown', '3.0.0'), owner)).status).toBe(200);
  });

  it('a lost notification does not leave a replica stale: its poll catches up', async () => {
    await call(rep(B), 'GET', '/w/xrep');
    // Cut every LISTEN connection; replicas reconnect later, and the write below sends its NOTIFY into the void.
    await sql.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'iii-registry-listen' AND datname = current_database()`);
    expect((await call(rep(A), 'PUT', '/w/xrep/tags/latest', { version: '1.1.0' })).status).toBe(422);
    expect((await call(rep(A), 'POST', '/publish', binary('xrep', '1.2.0'))).status).toBe(200);
    await eventually(async () => (await call(rep(B), 'GET', '/w/xrep')).json.worker.version === '1.2.0', 5_000, 'B catches up');
  });
});
