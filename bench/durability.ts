/**
 * Publish throughput with `synchronous = NORMAL` (the old setting) against `FULL` (what acknowledged writes use
 * now), on a real SQLite file in the OS temp dir, through the registry's own app (app.inject, no sockets), so the
 * difference is the commit's fsync. Alternating slices of `BENCH_DURABILITY_MS` (default 1500 ms) per setting,
 * two each: a bounded few seconds. `npx tsx bench/durability.ts` runs it alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildApp } from '../registry-server/src/app';
import { loadConfig } from '../registry-server/src/config';
import type { BenchRow } from './types';

const KEY = 'bench-durability-key-0123456789';
type Mode = 'NORMAL' | 'FULL';

export async function benchDurability(sliceMs = Number(process.env.BENCH_DURABILITY_MS ?? 1500)): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-durability-'));
  const built = await buildApp(loadConfig({ REGISTRY_DATA_DIR: dir, REGISTRY_API_KEY: KEY, REGISTRY_SEED: '0', REGISTRY_READ_RATE_LIMIT: '0',
    REGISTRY_PUBLISH_RATE_LIMIT: '0', LOG_LEVEL: 'silent' }));
  const samples: Record<Mode, { count: number; ms: number; lat: number[] }> = { NORMAL: { count: 0, ms: 0, lat: [] }, FULL: { count: 0, ms: 0, lat: [] } };
  let n = 0;
  const db = built.db;
  if (!db) throw new Error('bench/durability measures SQLite (REGISTRY_DATABASE_URL must be unset)');
  try {
    for (const mode of ['NORMAL', 'FULL', 'NORMAL', 'FULL'] as Mode[]) {
      db.pragma(`synchronous = ${mode}`);
      const started = performance.now();
      while (performance.now() - started < sliceMs) {
        const t0 = performance.now();
        const res = await built.app.inject({ method: 'POST', url: '/publish', headers: { 'x-api-key': KEY },
          payload: { worker_name: `durable-${n % 50}`, version: `1.0.${n}`, type: 'engine', description: 'durability bench', readme: `# run ${n}\n` } });
        if (res.statusCode !== 200) throw new Error(`publish answered ${res.statusCode}: ${res.body}`);
        samples[mode].lat.push(performance.now() - t0);
        samples[mode].count++;
        n++;
      }
      samples[mode].ms += performance.now() - started;
    }
  } finally {
    await built.app.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;
  const rps = (m: Mode) => Math.round((samples[m].count / samples[m].ms) * 1000);
  const row = (m: Mode, name: string, ratio?: number, note?: string): BenchRow => ({
    name, rps: rps(m), p50_ms: pct(samples[m].lat, 0.5), p99_ms: pct(samples[m].lat, 0.99), ratio, note });
  return [
    row('NORMAL', 'POST /publish, synchronous=NORMAL (before)', undefined, 'sequential, in-process'),
    row('FULL', 'POST /publish, synchronous=FULL (acknowledged writes)', rps('FULL') / rps('NORMAL'), 'ratio = FULL / NORMAL publishes/s'),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await benchDurability())
    console.log(`${r.name}: ${r.rps} publishes/s, p50 ${r.p50_ms.toFixed(2)} ms, p99 ${r.p99_ms.toFixed(2)} ms${r.ratio === undefined ? '' : `, ratio ${r.ratio.toFixed(2)}`}`);
}
