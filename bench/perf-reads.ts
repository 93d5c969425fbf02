/**
 * Where a hot read's microseconds go, per symbol, ours against bare Fastify: `npx tsx bench/perf-reads.ts [row]`
 * (row: a substring of a registry bench row name, default `.md`). Needs Linux `perf` (Debian: `linux-perf`).
 *
 * Both servers run pinned to CPU 0 with `--perf-basic-prof` (JS function names for perf), autocannon on the other
 * CPUs over the bench's rotating requests; `perf record` samples each server while it alone is loaded, in
 * alternating slices. Samples x sample period / requests answered = µs per request per symbol. Unlike
 * `--cpu-prof`, this shows V8's runtime, builtins and the kernel by name (bench/README.md, "Two costs `perf` found").
 * BENCH_WORKERS (default 10000), BENCH_PERF_S (seconds per slice, default 3), BENCH_PERF_TOP (rows, default 30).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon, { type AutocannonRequest } from 'autocannon';
import { ensureBuilt, SERVER_BUILD } from '../registry-server/build/build-server.mjs';
import { startHealthyProcess, startRegistryProcess, type HealthyProcess } from '../registry-server/src/child-process';
import { buildCatalog } from './catalog';
import { endpoints, sampleBodies, spreadNames } from './endpoints';
import { allCpus, pinnedTo, pinning, pinSelf } from './processes';

const HZ = 4000;
const only = process.argv[2] ?? '.md';
const sliceS = Number(process.env.BENCH_PERF_S ?? 3);
const top = Number(process.env.BENCH_PERF_TOP ?? 30);

interface Tally {
  requests: number;
  samples: Map<string, number>;
}

/** `perf report` lines (`overhead samples [.] symbol`) summed into `tally`, JIT addresses and build hashes removed. */
function addReport(file: string, tally: Tally): void {
  const report = execFileSync('perf', ['report', '-i', file, '--no-children', '--sort', 'symbol', '-n', '--stdio'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
  for (const line of report.split('\n')) {
    const m = /^\s+[\d.]+%\s+(\d+)\s+\[.\]\s+(.*?)\s*$/.exec(line);
    if (!m) continue;
    const symbol = m[2].replace(/0x[0-9a-f]+/g, '').replace(/dist\/[0-9a-f]+\//, 'dist/').slice(0, 100);
    tally.samples.set(symbol, (tally.samples.get(symbol) ?? 0) + Number(m[1]));
  }
}

async function sample(server: HealthyProcess, requests: AutocannonRequest[], file: string, tally: Tally): Promise<void> {
  await autocannon({ url: server.url, connections: 10, duration: 1, requests });
  const perf = spawn('perf', ['record', '-F', String(HZ), '-p', String(server.pid), '-o', file, '--', 'sleep', String(sliceS)], { stdio: 'ignore' });
  const result = await autocannon({ url: server.url, connections: 10, duration: sliceS, requests });
  await new Promise((resolve) => perf.once('exit', resolve));
  tally.requests += result.requests.total;
  addReport(file, tally);
}

const usPerRequest = (t: Tally, symbol: string) => ((t.samples.get(symbol) ?? 0) * 1e6) / HZ / t.requests;
const total = (t: Tally) => ([...t.samples.values()].reduce((a, b) => a + b, 0) * 1e6) / HZ / t.requests;

const catalog = await buildCatalog(Number(process.env.BENCH_WORKERS ?? 10_000));
const work = mkdtempSync(join(tmpdir(), 'iii-perf-reads-'));
const pin = pinning();
const spawnOptions = { command: pinnedTo(pin ? 0 : undefined), nodeArgs: ['--perf-basic-prof'], timeoutMs: 30_000 };
let registry: HealthyProcess | undefined;
let bare: HealthyProcess | undefined;
try {
  await ensureBuilt(SERVER_BUILD);
  registry = await startRegistryProcess({ ...spawnOptions, dataDir: catalog.dataDir, apiKey: catalog.apiKey,
    env: { REGISTRY_SEED: '0', REGISTRY_READ_RATE_LIMIT: '0', LOG_LEVEL: 'warn' } });
  const endpoint = endpoints(spreadNames(catalog.names, 300), catalog.kits).find((e) => e.name.includes(only));
  if (!endpoint) throw new Error(`no bench row matches "${only}"`);
  const body = await sampleBodies(registry.url, endpoint);
  bare = await startHealthyProcess({ ...spawnOptions, args: ['--import', 'tsx', 'bench/bare-server.ts'],
    env: { BARE_ROUTES: JSON.stringify([{ ...endpoint.route, ...body }]) } });
  if (pin) pinSelf(`1-${allCpus().split('-')[1]}`);
  const ours: Tally = { requests: 0, samples: new Map() };
  const base: Tally = { requests: 0, samples: new Map() };
  for (let round = 0; round < 2; round++) {
    await sample(registry, endpoint.requests, join(work, `registry-${round}.data`), ours);
    await sample(bare, endpoint.requests, join(work, `bare-${round}.data`), base);
  }
  console.log(`${endpoint.name}: ${body.size} B mean body; sampled CPU µs/request: registry ${total(ours).toFixed(2)}, bare Fastify ${total(base).toFixed(2)}`);
  console.log(' ours-bare     ours     bare  symbol');
  const symbols = [...new Set([...ours.samples.keys(), ...base.samples.keys()])]
    .map((s) => ({ s, a: usPerRequest(ours, s), b: usPerRequest(base, s) }))
    .sort((x, y) => Math.abs(y.a - y.b) - Math.abs(x.a - x.b))
    .slice(0, top);
  for (const { s, a, b } of symbols) console.log(`${(a - b).toFixed(3).padStart(9)}${a.toFixed(3).padStart(9)}${b.toFixed(3).padStart(9)}  ${s}`);
} finally {
  if (pin) pinSelf(allCpus());
  await Promise.all([registry?.stop(), bare?.stop()]);
  catalog.remove();
  rmSync(work, { recursive: true, force: true });
}
