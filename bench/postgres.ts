/**
 * The PostgreSQL bench, in the same run: SQLite vs PostgreSQL with one replica (reads, search, publishes per second),
 * one vs two PostgreSQL replicas (read throughput), and cross-replica visibility (a write acknowledged by replica A,
 * then seen by B: p50/p99). Uses the seed catalog and a throwaway cluster (tests/helpers/pg-cluster.ts).
 * Runnable alone: `npx tsx bench/postgres.ts`. BENCH_DURATION (s) sets each load slice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AutocannonRequest } from 'autocannon';
import { loadSeedCatalog } from '@iii-registry/seed';
import pg from 'pg';
import { startRegistryProcess, type RegistryProcess } from '../registry-server/src/child-process';
import { startPgCluster } from '../tests/helpers/pg-cluster';
import { load, loadPair, percentile, round } from './load';
import type { TargetedRow } from './registry';

const KEY = 'bench-admin-key-0123456789abcdef';
const READ_RATIO_TARGET = 0.9;
const VISIBILITY_P99_TARGET_MS = 1000;

const start = (dataDir: string, env: Record<string, string> = {}) =>
  startRegistryProcess({ dataDir, apiKey: KEY, timeoutMs: 60_000, pollMs: 10, env: { REGISTRY_READ_RATE_LIMIT: '0', REGISTRY_PUBLISH_RATE_LIMIT: '0', LOG_LEVEL: 'warn', ...env } });

const post = async (url: string, path: string, body: unknown, method = 'POST') => {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
};

const payload = (name: string, version: string) => ({
  worker_name: name, version, type: 'engine', description: `bench worker ${name}`, readme: `# ${name}\n\nA bench worker.`,
});

/** Publishes `count` versions with `concurrency` in flight; publishes per second. */
async function publishRate(url: string, prefix: string, count = 150, concurrency = 8): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++;
      await post(url, '/publish', payload(`${prefix}-${i % 30}`, `1.0.${i}`));
    }
  }));
  return Math.round((count / (performance.now() - t0)) * 1000);
}

/** Ack on A to first visible on B, ms, for `rounds` tag moves (polling B every 2 ms). */
async function visibility(a: string, b: string, rounds = 60): Promise<number[]> {
  await post(a, '/publish', payload('vis', '1.0.0'));
  await post(a, '/publish', payload('vis', '1.0.1'));
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const version = i % 2 === 0 ? '1.0.0' : '1.0.1';
    await post(a, '/w/vis/tags/latest', { version }, 'PUT');
    const t0 = performance.now();
    for (;;) {
      const res = await fetch(`${b}/w/vis`);
      const body = (await res.json()) as { worker?: { version: string } };
      if (body.worker?.version === version) break;
      if (performance.now() - t0 > 10_000) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    out.push(performance.now() - t0);
  }
  return out.sort((x, y) => x - y);
}

export async function benchPostgres(log: (line: string) => void = () => {}): Promise<TargetedRow[]> {
  const durationS = Number(process.env.BENCH_DURATION ?? 4);
  const cluster = await startPgCluster();
  const dirs: string[] = [];
  const procs: RegistryProcess[] = [];
  const dir = async () => {
    const d = await mkdtemp(join(tmpdir(), 'bench-pg-'));
    dirs.push(d);
    return d;
  };
  try {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('CREATE DATABASE bench');
    await admin.end();
    const url = cluster.urlFor('bench');
    log('PostgreSQL bench: SQLite and PostgreSQL registries on the seed catalog...');
    const sqlite = await start(await dir());
    const pgA = await start(await dir(), { REGISTRY_DATABASE_URL: url });
    procs.push(sqlite, pgA);
    const names = loadSeedCatalog().publishes.map((p) => p.worker_name as string);
    const detail: AutocannonRequest[] = [...new Set(names)].map((n) => ({ method: 'GET', path: `/w/${n}` }));
    const search: AutocannonRequest[] = ['email', 'queue jobs', 'image resize', 'state store', 'http'].map((q) => ({ method: 'GET', path: `/w?search=${encodeURIComponent(q)}` }));
    const rows: TargetedRow[] = [];
    for (const [what, requests] of [['GET /w/{slug}', detail], ['GET /w?search=', search]] as const) {
      log(`${what}: SQLite vs PostgreSQL, alternating...`);
      const on = (p: RegistryProcess) => ({ url: p.url, requests: [...requests], connections: 10, durationS, serverPid: p.pid });
      const [onPg, onSqlite] = await loadPair(on(pgA), on(sqlite));
      const ratio = round(onPg.rps / onSqlite.rps, 2);
      rows.push({ name: `PG 1 replica ${what}`, rps: onPg.rps, p50_ms: onPg.p50_ms, p99_ms: onPg.p99_ms, ratio,
        target: `>= ${READ_RATIO_TARGET} of SQLite`, met: ratio >= READ_RATIO_TARGET, note: `server CPU ${onPg.cpu_us_per_req} µs/req` });
      rows.push({ name: `  SQLite, same requests`, rps: onSqlite.rps, p50_ms: onSqlite.p50_ms, p99_ms: onSqlite.p99_ms, note: `server CPU ${onSqlite.cpu_us_per_req} µs/req` });
    }
    log('publishes per second, 8 in flight...');
    const pubPg = await publishRate(pgA.url, 'pubpg');
    const pubSqlite = await publishRate(sqlite.url, 'pubsq');
    rows.push({ name: 'publishes/s PostgreSQL (8 in flight)', rps: pubPg, p50_ms: NaN, p99_ms: NaN, ratio: round(pubPg / pubSqlite, 2), note: 'ratio to SQLite' });
    rows.push({ name: '  publishes/s SQLite', rps: pubSqlite, p50_ms: NaN, p99_ms: NaN });
    await sqlite.stop();

    log('one vs two PostgreSQL replicas...');
    const pgB = await start(await dir(), { REGISTRY_DATABASE_URL: url });
    procs.push(pgB);
    const one = await load({ url: pgA.url, requests: detail, connections: 10, durationS });
    const [r1, r2] = await Promise.all([pgA, pgB].map((p) => load({ url: p.url, requests: detail, connections: 5, durationS })));
    const both = r1.rps + r2.rps;
    rows.push({ name: 'PG 2 replicas GET /w/{slug} (sum)', rps: both, p50_ms: Math.max(r1.p50_ms, r2.p50_ms), p99_ms: Math.max(r1.p99_ms, r2.p99_ms), ratio: round(both / one.rps, 2), note: 'ratio to one replica; the load generator shares the 2 CPUs' });
    rows.push({ name: '  PG 1 replica, same requests', rps: one.rps, p50_ms: one.p50_ms, p99_ms: one.p99_ms });

    log('cross-replica visibility...');
    const vis = await visibility(pgA.url, pgB.url);
    const p99 = round(percentile(vis, 0.99), 1);
    rows.push({ name: 'cross-replica visibility (tag move on A, seen on B)', p50_ms: round(percentile(vis, 0.5), 1), p99_ms: p99,
      target: `p99 < ${VISIBILITY_P99_TARGET_MS} ms`, met: p99 < VISIBILITY_P99_TARGET_MS, note: `${vis.length} moves, B polled every 2 ms` });
    return rows;
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    await cluster.destroy();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { printTable } = await import('./report');
  printTable(await benchPostgres((l) => console.error(`  ${l}`)), []);
}
