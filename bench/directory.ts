/**
 * iii-directory latency through the development engine, next to a no-op function's round trip measured on the
 * same engine in the same run. Runnable alone: `npx tsx bench/directory.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerWorker, type IIIClient } from 'iii-sdk';
import { startDevEngine } from '../dev-engine/src/index';
import { startDirectoryWorker } from '../directory-worker/src/index';
import { startRegistryProcess } from '../registry-server/src/child-process';
import type { BenchRow } from './types';

const CALLS = 2_000;
const WARMUP = 300;
const quiet = { otel: { enabled: false }, enableMetricsReporting: false } as const;

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Sequential calls, so each sample is one full round trip; rps is what one caller in a loop achieves. */
async function measure(name: string, call: (i: number) => Promise<unknown>, note?: string): Promise<BenchRow> {
  for (let i = 0; i < WARMUP; i++) await call(i);
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    await call(WARMUP + i);
    samples.push(performance.now() - t);
  }
  const total = performance.now() - start;
  samples.sort((a, b) => a - b);
  const at = (q: number) => Number(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(3));
  return { name, rps: Math.round((CALLS * 1000) / total), p50_ms: at(0.5), p99_ms: at(0.99), note };
}

/**
 * Two calls measured in alternating slices of SLICE calls (CALLS each in all), so drift on a shared machine
 * (neighbours, GC, CPU frequency) lands on both: the ratio of their p50s is what the comparison is about.
 */
const SLICE = 250;
async function measurePair(a: [string, (i: number) => Promise<unknown>], b: [string, (i: number) => Promise<unknown>]): Promise<[BenchRow, BenchRow]> {
  for (let i = 0; i < WARMUP; i++) {
    await a[1](i);
    await b[1](i);
  }
  const runs = [a, b].map(() => ({ samples: [] as number[], ms: 0 }));
  for (let done = 0; done < CALLS; done += SLICE)
    for (const [k, [, call]] of [a, b].entries()) {
      const start = performance.now();
      for (let i = 0; i < SLICE; i++) {
        const t = performance.now();
        await call(WARMUP + done + i);
        runs[k].samples.push(performance.now() - t);
      }
      runs[k].ms += performance.now() - start;
    }
  const row = (name: string, r: { samples: number[]; ms: number }): BenchRow => {
    const s = [...r.samples].sort((x, y) => x - y);
    const at = (q: number) => Number(s[Math.min(s.length - 1, Math.floor(q * s.length))].toFixed(3));
    return { name, rps: Math.round((s.length * 1000) / r.ms), p50_ms: at(0.5), p99_ms: at(0.99) };
  };
  return [row(a[0], runs[0]), row(b[0], runs[1])];
}

const hasDirectory = (caller: IIIClient) => async () => {
  const { functions } = await caller.trigger<unknown, { functions: unknown[] }>({
    function_id: 'engine::functions::list', payload: { prefix: 'directory::registry::' }, timeoutMs: 2_000 });
  return functions.length === 2;
};

export async function benchDirectory(): Promise<BenchRow[]> {
  // The SDK reports connection chatter on console.debug; a bench table reads better without it.
  const debug = console.debug;
  console.debug = () => {};
  try {
    return await measureAll();
  } finally {
    console.debug = debug;
  }
}

async function measureAll(): Promise<BenchRow[]> {
  const engine = await startDevEngine({ port: 0 });
  const dataDir = mkdtempSync(join(tmpdir(), 'iii-directory-bench-'));
  const registry = await startRegistryProcess({ dataDir, env: { REGISTRY_READ_RATE_LIMIT: '0', LOG_LEVEL: 'warn' } })
    .catch(async (err: unknown) => {
      await engine.close();
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    });
  const registryUrl = registry.url;
  const noop = registerWorker(engine.url, { workerName: 'bench-noop', ...quiet });
  const caller = registerWorker(engine.url, { workerName: 'bench-caller', ...quiet });
  const log = () => {};
  let worker = startDirectoryWorker({ url: engine.url, registryUrl, downloadTimeoutMs: 10_000, cacheTtlMs: 3_600_000, otel: false, log });
  try {
    noop.registerFunction('bench::noop', async () => ({}));
    await waitFor(hasDirectory(caller), 'the directory worker');
    const call = (function_id: string, payload: Record<string, unknown>) => caller.trigger({ function_id, payload });
    const list = { search: 'resize images' };
    const info = { name: 'image-resize' };
    const rows: BenchRow[] = [];
    rows.push(await measure('bus no-op round trip (baseline)', () => call('bench::noop', {})));
    // The same round trip carrying the list answer's body, to separate transport cost from the worker's own.
    const body = await call('directory::registry::workers::list', list);
    noop.registerFunction('bench::echo-list-body', async () => body);
    await waitFor(async () => engine.functions().some((f) => f.id === 'bench::echo-list-body'), 'the echo function');
    const infoBody = await call('directory::registry::workers::info', info);
    noop.registerFunction('bench::echo-info-body', async () => infoBody);
    await waitFor(async () => engine.functions().some((f) => f.id === 'bench::echo-info-body'), 'the info echo function');
    const [echoList, hitList] = await measurePair(['bus round trip returning the list body', () => call('bench::echo-list-body', {})],
      ['directory list, cache hit', () => call('directory::registry::workers::list', list)]);
    const [echoInfo, hitInfo] = await measurePair(['bus round trip returning the info body', () => call('bench::echo-info-body', {})],
      ['directory info, cache hit', () => call('directory::registry::workers::info', info)]);
    rows.push({ ...echoList, note: `${JSON.stringify(body).length} bytes of JSON` }, { ...echoInfo, note: `${JSON.stringify(infoBody).length} bytes of JSON` }, hitList, hitInfo);

    // Misses: the same calls against a worker whose cache is off, so each one goes to the registry.
    await worker.close();
    const gone = () => Promise.resolve(!engine.functions().some((f) => f.id.startsWith('directory::')));
    await waitFor(gone, 'the cached worker to leave the engine');
    worker = startDirectoryWorker({ url: engine.url, registryUrl, downloadTimeoutMs: 10_000, cacheTtlMs: 0, otel: false, log });
    await waitFor(hasDirectory(caller), 'the uncached directory worker');
    rows.push(await measure('directory list, cache miss (TTL 0)', () => call('directory::registry::workers::list', list),
      'GET /w?search= on the real registry'));
    rows.push(await measure('directory info, cache miss (TTL 0)', () => call('directory::registry::workers::info', info),
      'GET /w/{slug} and /skills, concurrently'));
    const [base, listEcho, infoEcho] = rows;
    const versus = (r: BenchRow, of: BenchRow) => Number((r.p50_ms / of.p50_ms).toFixed(2));
    // The no-op carries `{}`; a list answer is kilobytes. A cache hit is compared with the round trip carrying a
    // body of the same size (the SDK's own cost): what is left is the worker's (validation, cache lookup).
    const echoOf = (r: BenchRow) => (r.name === 'directory list, cache hit' ? listEcho : r.name === 'directory info, cache hit' ? infoEcho : undefined);
    return rows.map((r) => {
      const echo = echoOf(r);
      return echo
        ? { ...r, ratio: versus(r, echo), note: `ratio = p50 / the equal-size bus round trip; ${versus(r, base)}x the no-op` }
        : { ...r, ratio: versus(r, base) };
    });
  } catch (err) {
    const { exitCode } = registry.child;
    const why = exitCode !== null ? `\nthe registry exited (code ${exitCode}):\n${registry.output().slice(-4000)}` : '';
    throw new Error(`${(err as Error).message}${why}`);
  } finally {
    await Promise.all([worker.close(), noop.shutdown(), caller.shutdown()]);
    await engine.close();
    await registry.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function printRows(rows: BenchRow[]): void {
  const cells = rows.map((r) => [r.name, String(r.rps ?? ''), r.p50_ms.toFixed(3), r.p99_ms.toFixed(3),
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`, r.note ?? '']);
  const head = ['benchmark', 'rps', 'p50 ms', 'p99 ms', 'p50 ratio', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 || i === 5 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const c of cells) console.log(line(c));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printRows(await benchDirectory());
}
