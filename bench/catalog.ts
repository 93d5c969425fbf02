/**
 * Builds the bench catalog: a synthetic catalog published through the registry's own services (validation,
 * transaction, search upsert) into a fresh data dir, exactly as a real publish would store it, without HTTP.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticCatalog } from '@iii-registry/seed';
import { buildApp } from '../registry-server/src/app';
import { loadConfig } from '../registry-server/src/config';
import { SEED_PRINCIPAL } from '../registry-server/src/seed-catalog';
import { publishBenchKits } from './kits';

export interface BenchCatalog {
  dataDir: string;
  apiKey: string;
  /** Worker names in publish order. */
  names: string[];
  /** Kit names (under BENCH_KIT_HANDLE) in publish order. */
  kits: string[];
  /** Wall time to publish the whole catalog, ms. */
  buildMs: number;
  remove(): void;
}

export async function buildCatalog(size: number, seed = 1): Promise<BenchCatalog> {
  const dataDir = mkdtempSync(join(tmpdir(), 'iii-registry-bench-'));
  const apiKey = randomBytes(16).toString('hex');
  const remove = () => rmSync(dataDir, { recursive: true, force: true });
  try {
    const payloads = syntheticCatalog(size, { seed });
    const started = performance.now();
    const { app, ctx, db } = await buildApp(loadConfig({
      REGISTRY_DATA_DIR: dataDir, REGISTRY_API_KEY: apiKey, REGISTRY_SEED: '0',
      REGISTRY_READ_RATE_LIMIT: '0', REGISTRY_PUBLISH_RATE_LIMIT: '0', LOG_LEVEL: 'warn',
    }));
    // A throwaway fixture: no fsync per publish (the registry itself commits with synchronous=FULL).
    if (!db) throw new Error('the bench catalog is a SQLite data dir (REGISTRY_DATABASE_URL must be unset)');
    db.pragma('synchronous = OFF');
    const names = [...new Set(payloads.map((p) => p.worker_name))];
    let kits: string[];
    try {
      for (const payload of payloads) await ctx.services.publish(SEED_PRINCIPAL, payload);
      kits = await publishBenchKits(ctx, apiKey, names);
    } finally {
      await app.close();
    }
    return { dataDir, apiKey, names, kits, buildMs: performance.now() - started, remove };
  } catch (err) {
    remove();
    throw err;
  }
}
