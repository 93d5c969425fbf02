/**
 * The registry bench: a 10,000-worker synthetic catalog, the registry as a real child process, and a bare Fastify
 * child answering same-size bodies on the same URL patterns, both loaded with autocannon in the same run.
 * Runnable alone: `npx tsx bench/registry.ts`. BENCH_DURATION (s), BENCH_WORKERS, BENCH_ONLY (substring of a
 * row name) and BENCH_CPU_PROF (a folder: the registry child runs with --cpu-prof there) help investigations.
 */
import { pathToFileURL } from 'node:url';
import type { AutocannonRequest } from 'autocannon';
import type { BareRoute } from './bare-server';
import { ensureBuilt, SERVER_BUILD } from '../registry-server/build/build-server.mjs';
import { buildCatalog } from './catalog';
import { distinctSearchRequests, endpoints, sampleBodies, searchRequests, spreadNames } from './endpoints';
import { load, loadPair, round, warm, type LoadResult } from './load';
import { startHealthyProcess, startRegistryProcess, type HealthyProcess } from '../registry-server/src/child-process';
import { allCpus, memoryOf, pinnedTo, pinning, pinSelf, type Memory } from './processes';
import type { BenchRow } from './types';

/** A bench row with its target; `cpu_us_per_req` is the server's CPU per answered request (see load.ts). */
export type TargetedRow = BenchRow & { target?: string; met?: boolean; cpu_us_per_req?: number; peak_rss_mb?: number };

export interface RegistryBench {
  catalog: { workers: number; build_ms: number };
  startup_ms: number;
  /**
   * The first search after start-up: built from the rows (a new data dir has no persisted index yet), then after a
   * restart at the same catalog revision, restored from the persisted index (services/search/snapshot.ts).
   */
  first_search: { from_rows_ms: number; restart_ms: number; restored_ms: number; rss_after_restored_mb: number };
  memory: { after_start: Memory; after_load: Memory };
  rows: TargetedRow[];
}

export interface RegistryBenchOptions {
  workers?: number;
  durationS?: number;
  connections?: number;
  only?: string;
  cpuProfDir?: string;
  log?: (line: string) => void;
}

const RATIO_TARGET = 0.9;
const SEARCH_P99_TARGET_MS = 5;

const describe = (r: LoadResult): string | undefined =>
  r.non2xx + r.errors > 0 ? `${r.non2xx} non-2xx, ${r.errors} errors of ${r.requests}` : undefined;

/** BENCH_CPU_PROF_INTERVAL (µs; Node's default is 1000): finer samples for profiles of 20 µs requests. */
const cpuProfInterval = (): string[] => (process.env.BENCH_CPU_PROF_INTERVAL ? [`--cpu-prof-interval=${process.env.BENCH_CPU_PROF_INTERVAL}`] : []);

const cpuNote = (r: LoadResult): string | undefined => (r.cpu_us_per_req === undefined ? undefined : `server CPU ${r.cpu_us_per_req} µs/req`);

export async function benchRegistry(options: RegistryBenchOptions = {}): Promise<RegistryBench> {
  const size = options.workers ?? 10_000;
  const durationS = options.durationS ?? 10;
  const connections = options.connections ?? 10;
  const log = options.log ?? (() => {});

  log(`building a ${size}-worker synthetic catalog through the publish service...`);
  const catalog = await buildCatalog(size);
  log(`catalog built in ${(catalog.buildMs / 1000).toFixed(1)} s`);
  // The registry runs as `npm start` does, from its prebuilt bundle; a build after a source change is not start-up.
  const build = await ensureBuilt(SERVER_BUILD);
  if (build.built) log(`registry bundle built (${build.hash})`);
  let registry: HealthyProcess | undefined;
  let bare: HealthyProcess | undefined;
  const pin = pinning();
  // Tight /healthz polling so startMs measures start-up, not the poll interval.
  const spawnOptions = { command: pinnedTo(pin ? 0 : undefined), timeoutMs: 30_000, pollMs: 5 };
  try {
    registry = await startRegistryProcess({
      ...spawnOptions, dataDir: catalog.dataDir, apiKey: catalog.apiKey,
      nodeArgs: options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`, ...cpuProfInterval()] : [],
      env: { REGISTRY_SEED: '0', REGISTRY_READ_RATE_LIMIT: '0', LOG_LEVEL: 'warn' },
    });
    const afterStart = memoryOf(registry.pid);
    const startupMs = registry.startMs;
    log(`registry healthy ${Math.round(startupMs)} ms after spawn, RSS ${afterStart.rss_mb} MB`);
    const firstSearch = async (server: HealthyProcess) => {
      const t = performance.now();
      const res = await fetch(`${server.url}/w?search=${encodeURIComponent('send email')}`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`first search answered ${res.status}`);
      return Math.round(performance.now() - t);
    };
    const fromRowsMs = await firstSearch(registry);
    // Wait until the index is persisted (it is written after the answer) so the restart finds it.
    await new Promise((r) => setTimeout(r, 1_000));
    await registry.restart();
    const restartMs = Math.round(registry.startMs);
    const restoredMs = await firstSearch(registry);
    const afterRestored = memoryOf(registry.pid);
    log(`first search ${fromRowsMs} ms (index from the rows); restart ${restartMs} ms, first search ${restoredMs} ms (persisted index), RSS ${afterRestored.rss_mb} MB`);

    const all = endpoints(spreadNames(catalog.names, 300), catalog.kits).filter((e) => !options.only || e.name.includes(options.only));
    const bareRoutes: BareRoute[] = [];
    const sizes = new Map<string, number>();
    for (const e of all) {
      const sample = await sampleBodies(registry.url, e);
      sizes.set(e.name, sample.size);
      bareRoutes.push({ ...e.route, ...sample });
    }
    bare = await startHealthyProcess({ ...spawnOptions, args: ['--import', 'tsx', 'bench/bare-server.ts'],
      env: { BARE_ROUTES: JSON.stringify(bareRoutes) } });
    if (pin) pinSelf(`1-${allCpus().split('-')[1]}`);
    log(pin ? 'servers pinned to CPU 0, load generator to the others' : 'no CPU pinning (one CPU, no taskset, or BENCH_PIN=0)');

    const rows: TargetedRow[] = [];
    for (const e of all) {
      log(`${e.name}: registry and bare, alternating...`);
      const on = (child: HealthyProcess) => ({ url: child.url, requests: e.requests, connections, durationS, serverPid: child.pid });
      const [real, base] = await loadPair(on(registry), on(bare));
      const ratio = round(real.rps / base.rps, 2);
      // Peak RSS is monotonic, so the row where it jumps names the path that grew the heap.
      const peak = memoryOf(registry.pid).peak_rss_mb;
      rows.push({
        name: e.name, rps: real.rps, p50_ms: real.p50_ms, p99_ms: real.p99_ms, ratio,
        target: `>= ${RATIO_TARGET} of bare`, met: ratio >= RATIO_TARGET, cpu_us_per_req: real.cpu_us_per_req, peak_rss_mb: peak,
        note: [`${e.requests.length} rotating requests, ${sizes.get(e.name)} B mean body`, cpuNote(real), `peak RSS ${peak} MB`, describe(real)].filter(Boolean).join('; '),
      });
      rows.push({ name: `  bare Fastify, same-size body`, rps: base.rps, p50_ms: base.p50_ms, p99_ms: base.p99_ms,
        cpu_us_per_req: base.cpu_us_per_req, note: [cpuNote(base), describe(base)].filter(Boolean).join('; ') });
    }

    if (!options.only || 'GET /w?search= light load (1 conn)'.includes(options.only)) {
      const lightS = Math.max(3, Math.round(durationS / 2));
      const server = registry;
      const light = async (name: string, requests: AutocannonRequest[], what: string) => {
        log(`${name}...`);
        await warm({ url: server.url, requests, connections: 1, durationS: 1 });
        const r = await load({ url: server.url, requests, connections: 1, durationS: lightS, serverPid: server.pid });
        const peak = memoryOf(server.pid).peak_rss_mb;
        rows.push({
          name, rps: r.rps, p50_ms: r.p50_ms, p99_ms: r.p99_ms, cpu_us_per_req: r.cpu_us_per_req, peak_rss_mb: peak,
          target: `p99 < ${SEARCH_P99_TARGET_MS} ms`, met: r.p99_ms < SEARCH_P99_TARGET_MS,
          note: [`${what}, ${r.requests} requests`, cpuNote(r), `peak RSS ${peak} MB`, describe(r)].filter(Boolean).join('; '),
        });
      };
      const rotating = searchRequests();
      await light('GET /w?search= light load (1 conn)', rotating, `${rotating.length} rotating queries`);
      await light('  same, distinct queries (uncacheable)', distinctSearchRequests(), 'no query repeats');
    }

    const afterLoad = memoryOf(registry.pid);
    return {
      catalog: { workers: catalog.names.length, build_ms: Math.round(catalog.buildMs) },
      startup_ms: Math.round(startupMs),
      first_search: { from_rows_ms: fromRowsMs, restart_ms: restartMs, restored_ms: restoredMs, rss_after_restored_mb: afterRestored.rss_mb },
      memory: { after_start: afterStart, after_load: afterLoad },
      rows,
    };
  } finally {
    if (pin) pinSelf(allCpus());
    // SIGTERM so --cpu-prof can write its profile; SIGKILL after 10 s.
    await Promise.all([registry?.stop(10_000), bare?.stop(10_000)]);
    catalog.remove();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = process.env;
  const result = await benchRegistry({
    workers: env.BENCH_WORKERS ? Number(env.BENCH_WORKERS) : undefined,
    durationS: env.BENCH_DURATION ? Number(env.BENCH_DURATION) : undefined,
    only: env.BENCH_ONLY,
    cpuProfDir: env.BENCH_CPU_PROF,
    log: (line) => console.error(line),
  });
  console.log(JSON.stringify(result, null, 2));
}
