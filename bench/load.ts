/**
 * One autocannon run turned into a bench row. Latencies come from autocannon's per-response event (hrtime, float
 * ms) rather than its histogram, whose 1 ms resolution would round every p50 here to 0 or 1.
 */
import autocannon, { type AutocannonRequest } from 'autocannon';

export interface LoadOptions {
  url: string;
  requests: AutocannonRequest[];
  connections: number;
  durationS: number;
}

export interface LoadResult {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export const percentile = (sorted: Float64Array | number[], q: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

export const round = (n: number, digits = 3): number => Number(n.toFixed(digits));

export async function load(options: LoadOptions): Promise<LoadResult> {
  const samples: number[] = [];
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationS,
    requests: options.requests,
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) samples.push(responseTime);
  });
  const result = await instance;
  const sorted = Float64Array.from(samples).sort();
  return {
    rps: Math.round(result.requests.total / result.duration),
    p50_ms: round(percentile(sorted, 0.5)),
    p99_ms: round(percentile(sorted, 0.99)),
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** A short unrecorded run so both servers are measured after the JIT has warmed the path. */
export async function warm(options: LoadOptions, seconds = 1): Promise<void> {
  await load({ ...options, durationS: seconds });
}
