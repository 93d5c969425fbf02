import { ErrorEnvelopeSchema } from '@iii-registry/schemas';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster';
import { call, eventually, startReplicas, type Replicas } from '../helpers/pg-replicas';
import { binary } from '../registry-server/helpers';

/**
 * Faults with real processes on a PostgreSQL cluster of their own (these tests stop it): a replica SIGKILLed mid-
 * publish, the database stopped and restarted under load, and 500 concurrent requests on a pool of 10.
 */

let cluster: PgCluster;
let r: Replicas;
let admin: pg.Client;
const DB = 'faults';
const url = () => cluster.urlFor(DB);

beforeAll(async () => {
  cluster = await startPgCluster();
  const c = new pg.Client({ connectionString: cluster.url });
  await c.connect();
  await c.query(`CREATE DATABASE ${DB}`);
  await c.end();
  r = await startReplicas(url(), 2, { REGISTRY_DATABASE_POOL: '10' });
  admin = new pg.Client({ connectionString: url() });
  await admin.connect();
}, 120_000);
afterAll(async () => {
  await admin?.end().catch(() => {});
  await r?.stop();
  await cluster?.destroy();
});

const openTransactions = async () =>
  Number((await admin.query(`SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = $1 AND state LIKE 'idle in transaction%'`, [DB])).rows[0].n);
const storedVersions = async (prefix: string) =>
  (await admin.query(`SELECT w.name || '@' || v.version AS v FROM versions v JOIN workers w ON w.id = v.worker_id WHERE w.name LIKE $1`, [`${prefix}%`])).rows.map((x) => x.v as string);

describe('a replica SIGKILLed during concurrent publishes', () => {
  it('the other keeps answering, no acknowledged publish is lost, no partial version, no transaction left open', async () => {
    const [a, b] = r.procs;
    const big = 'x'.repeat(200_000);
    const acked = new Set<string>();
    const attempts = Array.from({ length: 40 }, (_, i) => {
      const target = i % 2 === 0 ? a : b;
      const name = `kill-${i % 8}`;
      const version = `1.0.${i}`;
      return call(target, 'POST', '/publish', binary(name, version, { readme: big, tag: i % 3 === 0 ? 'next' : undefined }))
        .then((res) => {
          if (res.status === 200) acked.add(`${name}@${version}`);
          return res.status;
        })
        .catch(() => 0);
    });
    await new Promise((res) => setTimeout(res, 150));
    await a.kill();
    const statuses = await Promise.all(attempts);
    // B answered everything sent to it: every odd-numbered publish succeeded.
    expect(statuses.filter((_, i) => i % 2 === 1).every((s) => s === 200)).toBe(true);
    for (let i = 0; i < 20; i++) expect((await call(b, 'GET', `/w/kill-${i % 8}`)).status).toBeLessThan(500);
    const stored = new Set(await storedVersions('kill-'));
    for (const v of acked) expect(stored.has(v), v).toBe(true);
    // Every stored version is whole: readable with its README through the surviving replica, and its worker's
    // revision counted the write (touch happens in the same transaction as the insert).
    for (const v of stored) {
      const [name, version] = v.split('@');
      const detail = await call(b, 'GET', `/w/${name}?version=${version}`);
      expect(detail.status, v).toBe(200);
      expect(detail.json.worker.readme).toBe(big);
    }
    // The killed replica's sessions are gone with their transactions rolled back (the server sees the socket close).
    await eventually(async () => (await openTransactions()) === 0, 10_000, 'no open transaction');
    await a.restart();
    expect((await call(a, 'GET', '/w/kill-1')).status).toBe(200);
  });
});

describe('500 concurrent requests against a pool of 10 connections', () => {
  it('are queued and answered: no 5xx, no pool error leaked, every download counted once', async () => {
    const [a, b] = r.procs;
    expect((await call(a, 'POST', '/publish', binary('pool-target', '1.0.0'))).status).toBe(200);
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => {
      const p = i % 2 === 0 ? a : b;
      // Downloads are writes (uncached, one transaction each); the rest are reads on several endpoints.
      const path = i % 4 === 0 ? '/download/pool-target' : i % 4 === 1 ? '/w/pool-target/versions' : i % 4 === 2 ? `/w?search=pool&limit=${1 + (i % 20)}` : '/w/pool-target';
      return call(p, 'GET', path, undefined, null, 60_000);
    }));
    const bad = results.filter((x) => x.status !== 200);
    expect(bad.map((x) => `${x.status} ${JSON.stringify(x.json).slice(0, 200)}`)).toEqual([]);
    expect(Number((await admin.query(`SELECT total_downloads AS n FROM workers WHERE name = 'pool-target'`)).rows[0].n)).toBe(125);
  });
});

describe('PostgreSQL stopped and restarted under load', () => {
  it('replicas answer 503 in the envelope while it is down, never hang or crash, reconnect and serve fresh data', async () => {
    const [a, b] = r.procs;
    expect((await call(a, 'POST', '/publish', binary('down-target', '1.0.0'))).status).toBe(200);
    await admin.end();
    let stop = false;
    const seen: { status: number; json: Record<string, any> }[] = [];
    const load = (async () => {
      for (let i = 0; !stop; i++) {
        const p = i % 2 === 0 ? a : b;
        const res = await Promise.all([
          call(p, 'POST', '/publish', binary('down', `2.0.${i}`), undefined, 20_000),
          call(p, 'GET', '/download/down-target', undefined, null, 20_000),
          call(p, 'GET', '/healthz', undefined, null, 20_000),
        ]);
        seen.push(...res);
        await new Promise((res) => setTimeout(res, 20));
      }
    })();
    await new Promise((res) => setTimeout(res, 300));
    await cluster.stop('fast');
    await eventually(async () => seen.some((x) => x.status === 503), 20_000, 'a 503 while down');
    const whileDown = seen.length;
    await eventually(async () => seen.length > whileDown + 6, 20_000, 'answers keep coming while down');
    await cluster.start();
    await eventually(async () => (await call(a, 'GET', '/healthz', undefined, null)).status === 200 && (await call(b, 'GET', '/healthz', undefined, null)).status === 200, 20_000, 'healthy again');
    stop = true;
    await load;
    for (const x of seen) {
      expect([200, 409, 503], JSON.stringify(x.json)).toContain(x.status);
      if (x.status === 503 && x.json.error) {
        expect(ErrorEnvelopeSchema.safeParse(x.json).success).toBe(true);
        expect(x.json.error.code).toBe('database_unavailable');
      }
    }
    expect(seen.some((x) => x.status === 503 && x.json.error?.code === 'database_unavailable')).toBe(true);
    expect(seen.some((x) => x.status === 503 && x.json.database === 'unreachable')).toBe(true);
    // Fresh data after the restart, on both replicas.
    expect((await call(a, 'POST', '/publish', binary('after-restart', '1.0.0'))).status).toBe(200);
    await eventually(async () => (await call(b, 'GET', '/w/after-restart')).status === 200, 5_000, 'fresh data on B');
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
  });
});
