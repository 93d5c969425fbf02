/**
 * autocannon runs turned into bench rows. Latencies come from autocannon's per-response event (hrtime, float ms)
 * rather than its histogram, whose 1 ms resolution would round every p50 here to 0 or 1.
 */
import autocannon, { type AutocannonRequest } from 'autocannon';
import { cpuMsOf } from './processes';

export interface LoadOptions {
  url: string;
  requests: AutocannonRequest[];
  connections: number;
  durationS: number;
  /** When given, the server's CPU time over the run is divided by the requests it answered. */
  serverPid?: number;
}

export interface LoadResult {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  /**
   * Server CPU (user + system) per request, µs. Where autocannon shares the cores with the server, rps can be
   * capped by the client or by neighbours; this is what each request costs the server whatever the cap.
   */
  cpu_us_per_req?: number;
}

interface RawRun {
  samples: number[];
  requests: number;
  durationS: number;
  non2xx: number;
  errors: number;
  cpuMs?: number;
}

export const percentile = (sorted: Float64Array | number[], q: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

export const round = (n: number, digits = 3): number => Number(n.toFixed(digits));

async function run(options: LoadOptions): Promise<RawRun> {
  const samples: number[] = [];
  const cpuBefore = options.serverPid === undefined ? 0 : cpuMsOf(options.serverPid);
  const instance = autocannon({ url: options.url, connections: options.connections, duration: options.durationS, requests: options.requests });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) samples.push(responseTime);
  });
  const result = await instance;
  return {
    samples,
    requests: result.requests.total,
    durationS: result.duration,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuMs: options.serverPid === undefined ? undefined : cpuMsOf(options.serverPid) - cpuBefore,
  };
}

function summarize(runs: RawRun[]): LoadResult {
  const sum = (f: (r: RawRun) => number) => runs.reduce((a, r) => a + f(r), 0);
  const sorted = Float64Array.from(runs.flatMap((r) => r.samples)).sort();
  const requests = sum((r) => r.requests);
  const cpuMs = runs.every((r) => r.cpuMs !== undefined) ? sum((r) => r.cpuMs ?? 0) : undefined;
  return {
    rps: Math.round(requests / sum((r) => r.durationS)),
    p50_ms: round(percentile(sorted, 0.5)),
    p99_ms: round(percentile(sorted, 0.99)),
    requests,
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    cpu_us_per_req: cpuMs === undefined || requests === 0 ? undefined : Math.round((cpuMs * 1000) / requests),
  };
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  return summarize([await run(options)]);
}

/**
 * Measures two servers on the same requests: a short unrecorded warm-up each (JIT), then `rounds` alternating
 * slices of durationS / rounds, so drift in what else the machine is doing hits both sides alike.
 */
export async function loadPair(a: LoadOptions, b: LoadOptions, rounds = 2): Promise<[LoadResult, LoadResult]> {
  const slice = Math.max(1, Math.round(a.durationS / rounds));
  await run({ ...a, durationS: 1 });
  await run({ ...b, durationS: 1 });
  const ra: RawRun[] = [];
  const rb: RawRun[] = [];
  for (let i = 0; i < rounds; i++) {
    ra.push(await run({ ...a, durationS: slice }));
    rb.push(await run({ ...b, durationS: slice }));
  }
  return [summarize(ra), summarize(rb)];
}

/** A short unrecorded run so the server is measured after the JIT has warmed the path. */
export async function warm(options: LoadOptions, seconds = 1): Promise<void> {
  await run({ ...options, durationS: seconds });
}
