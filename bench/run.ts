/**
 * `npm run bench`: the registry bench, then the directory bench (bench/directory.ts) when present, one table and
 * bench/results/latest.json. It reports; a missed target never fails the run (exit 0 unless something crashed).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchDurability } from './durability';
import { benchRegistry, type TargetedRow } from './registry';
import { benchQuality, printQuality } from './quality';
import { printTable, type Check } from './report';
import { benchSearch } from './search';
import { benchVerdaccio } from './verdaccio';
import { benchWrites } from './writes';
import type { BenchRow } from './types';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const STARTUP_TARGET_MS = 1000;
const RSS_TARGET_MB = 250;
const CACHE_HIT_TARGET = 1.1;

const started = performance.now();
const env = process.env;
const log = (line: string) => console.error(`  ${line}`);
const mode = process.argv[2];

// `npm run bench -- relevance` (seconds) and `npm run bench -- search` (about a minute): the issue-12 parts alone.
if (mode === 'relevance') {
  printQuality(await benchQuality());
  process.exit(0);
}
if (mode === 'search') {
  const s = await benchSearch({ durationS: env.BENCH_DURATION ? Number(env.BENCH_DURATION) : undefined, log });
  console.log(`
new queries at ${s.workers} synthetic workers, node ${process.version}, ${cpus().length} CPUs\n`);
  printTable(s.rows, []);
  process.exit(0);
}

const registry = await benchRegistry({
  workers: env.BENCH_WORKERS ? Number(env.BENCH_WORKERS) : undefined,
  durationS: env.BENCH_DURATION ? Number(env.BENCH_DURATION) : undefined,
  only: env.BENCH_ONLY,
  cpuProfDir: env.BENCH_CPU_PROF,
  log,
});

// A few seconds: publishes with the commit fsync (synchronous=FULL) against without it, ratio FULL / NORMAL.
let durability: TargetedRow[] = [];
if (!env.BENCH_ONLY || /publish|synchronous/.test(env.BENCH_ONLY)) {
  log('publish durability (synchronous NORMAL vs FULL)...');
  durability = await benchDurability();
}

// Issue 16: publishes/s (sequential, 16 clients) against bare better-sqlite3, 10 MiB bundle ingest, tag moves.
let writes: TargetedRow[] = [];
if (!env.BENCH_ONLY || /publish|ingest|tags/.test(env.BENCH_ONLY)) {
  log('writes: publishes, tag moves, bundle ingest...');
  writes = await benchWrites().catch((err: unknown) => {
    console.error(`writes bench failed (continuing): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return [];
  });
}

// Issue 16: Verdaccio 6.8.0 installed on demand into a temp folder, its packument against our detail and .md.
let verdaccio: TargetedRow[] = [];
if (!env.BENCH_ONLY || /verdaccio/i.test(env.BENCH_ONLY)) {
  log('Verdaccio comparison (installs verdaccio@6.8.0 into a temp folder)...');
  verdaccio = await benchVerdaccio({ durationS: env.BENCH_DURATION ? Number(env.BENCH_DURATION) : undefined, log });
}

let directory: TargetedRow[] = [];
let directoryError: string | undefined;
const directoryFile = `${HERE}directory.ts`;
if (existsSync(directoryFile) && !env.BENCH_ONLY) {
  log('directory worker through the development engine...');
  // The SDK reports connection chatter on console.debug; the table reads better without it.
  const debug = console.debug;
  console.debug = () => {};
  try {
    const mod = (await import(pathToFileURL(directoryFile).href)) as { benchDirectory(): Promise<BenchRow[]> };
    directory = (await mod.benchDirectory()).map((r) =>
      /cache hit/.test(r.name) && r.ratio !== undefined
        ? { ...r, target: `<= ${CACHE_HIT_TARGET}x equal-size bus round trip`, met: r.ratio <= CACHE_HIT_TARGET }
        : r,
    );
  } catch (err) {
    directoryError = err instanceof Error ? (err.stack ?? err.message) : String(err);
    console.error(`directory bench failed (continuing):\n${directoryError}`);
  } finally {
    console.debug = debug;
  }
}

let postgres: TargetedRow[] = [];
let postgresError: string | undefined;
if (!env.BENCH_ONLY && existsSync(`${env.PG_BIN ?? '/usr/lib/postgresql/15/bin'}/postgres`)) {
  log('SQLite vs PostgreSQL, one vs two replicas, cross-replica visibility...');
  try {
    const { benchPostgres } = await import('./postgres');
    postgres = await benchPostgres(log);
  } catch (err) {
    postgresError = err instanceof Error ? (err.stack ?? err.message) : String(err);
    console.error(`postgres bench failed (continuing):\n${postgresError}`);
  }
}

const { memory } = registry;
const checks: Check[] = [
  { name: `start-up, ${registry.catalog.workers} workers (spawn -> /healthz 200)`, value: `${registry.startup_ms} ms`,
    target: `< ${STARTUP_TARGET_MS} ms`, met: registry.startup_ms < STARTUP_TARGET_MS },
  { name: 'RSS after start', value: `${memory.after_start.rss_mb} MB`, target: `< ${RSS_TARGET_MB} MB`, met: memory.after_start.rss_mb < RSS_TARGET_MB },
  { name: 'first search, index from the rows (new data dir)', value: `${registry.first_search.from_rows_ms} ms` },
  { name: 'restart, then first search from the persisted index', value: `${registry.first_search.restart_ms} ms, ${registry.first_search.restored_ms} ms`,
    target: `< ${STARTUP_TARGET_MS} ms start-up`, met: registry.first_search.restart_ms < STARTUP_TARGET_MS },
  { name: 'RSS after load (peak VmHWM)', value: `${memory.after_load.rss_mb} MB (${memory.after_load.peak_rss_mb})`,
    target: `< ${RSS_TARGET_MB} MB`, met: memory.after_load.peak_rss_mb < RSS_TARGET_MB },
];
const rows = [...registry.rows, ...durability, ...writes, ...verdaccio, ...directory, ...postgres];

console.log(`\niii registry bench: ${registry.catalog.workers}-worker synthetic catalog (published in ${(registry.catalog.build_ms / 1000).toFixed(1)} s), ` +
  `node ${process.version}, ${cpus().length} CPUs; ratio = rps / bare Fastify rps for registry rows, p50 / no-op p50 for directory rows\n`);
printTable(rows, checks);
const quality = await benchQuality();
printQuality(quality);
if (directoryError) console.log(`\ndirectory bench failed: ${directoryError.split('\n')[0]}`);
if (postgresError) console.log(`\npostgres bench failed: ${postgresError.split('\n')[0]}`);

const resultsDir = `${HERE}results`;
mkdirSync(resultsDir, { recursive: true });
const out = {
  generated_at: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  catalog: registry.catalog,
  startup_ms: registry.startup_ms,
  first_search: registry.first_search,
  memory,
  rows,
  checks,
  quality,
  directory_error: directoryError ?? null,
  postgres_error: postgresError ?? null,
  total_s: Math.round((performance.now() - started) / 100) / 10,
};
writeFileSync(`${resultsDir}/latest.json`, `${JSON.stringify(out, null, 2)}\n`);
console.log(`\nwrote bench/results/latest.json; completed in ${out.total_s} s`);
