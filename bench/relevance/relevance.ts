/**
 * The relevance bench: the bench catalog (workers-*.ts, 58 workers) published through the registry's own services
 * into a temp data dir, every labelled query (queries.ts) sent as GET /w?search=<q>&limit=10 through app.inject,
 * and the ranking scored: top-1, top-3, MRR (1/rank within the first 10, else 0) over queries with an answer, and
 * for queries with none, the share that return nothing strong. A row is strong when its `match` is `exact_name`
 * or `all_words`; a registry without `match` (the code before issue 12) can only say "nothing" by returning no row.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../registry-server/src/app';
import { loadConfig } from '../../registry-server/src/config';
import { SEED_PRINCIPAL } from '../../registry-server/src/seed-catalog';
import { toPayload } from './build';
import { QUERIES, type QueryKind } from './queries';
import { APP_WORKERS } from './workers-apps';
import { CORE_WORKERS } from './workers-core';

export interface RelevanceResult {
  workers: number;
  queries: number;
  answerable: number;
  top1: number;
  top3: number;
  mrr: number;
  no_answer: { queries: number; nothing_strong: number; rate: number };
  by_kind: Record<string, { n: number; top1: number; top3: number }>;
  misses: { query: string; kind: QueryKind; expected: string | null; got: string[] }[];
}

interface Row {
  name: string;
  match?: string;
  score?: number;
}

const pct = (n: number, d: number): number => (d === 0 ? 0 : Math.round((1000 * n) / d) / 10);

export async function benchRelevance(): Promise<RelevanceResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'iii-relevance-'));
  const { app, ctx } = await buildApp(loadConfig({
    REGISTRY_DATA_DIR: dataDir, REGISTRY_API_KEY: randomBytes(16).toString('hex'), REGISTRY_SEED: '0',
    REGISTRY_READ_RATE_LIMIT: '0', REGISTRY_PUBLISH_RATE_LIMIT: '0', LOG_LEVEL: 'warn',
  }));
  try {
    const workers = [...CORE_WORKERS, ...APP_WORKERS];
    for (const w of workers) await ctx.services.publish(SEED_PRINCIPAL, toPayload(w));
    let top1 = 0, top3 = 0, rr = 0, answerable = 0, none = 0, noneOk = 0;
    const byKind: RelevanceResult['by_kind'] = {};
    const misses: RelevanceResult['misses'] = [];
    for (const [query, expected, kind] of QUERIES) {
      const res = await app.inject({ method: 'GET', url: `/w?search=${encodeURIComponent(query)}&limit=10` });
      if (res.statusCode !== 200) throw new Error(`${query}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      const rows = (res.json() as { workers: Row[] }).workers;
      const got = rows.map((r) => r.name);
      const k = (byKind[kind] ??= { n: 0, top1: 0, top3: 0 });
      k.n++;
      if (expected === null) {
        none++;
        const strong = rows.filter((r) => r.match === undefined || r.match === 'exact_name' || r.match === 'all_words');
        if (strong.length === 0) {
          noneOk++;
          k.top1++;
          k.top3++;
        } else misses.push({ query, kind, expected, got: strong.slice(0, 3).map((r) => `${r.name}${r.match ? ` (${r.match})` : ''}`) });
        continue;
      }
      answerable++;
      const rank = got.indexOf(expected) + 1;
      if (rank === 1) {
        top1++;
        k.top1++;
      }
      if (rank >= 1 && rank <= 3) {
        top3++;
        k.top3++;
      }
      if (rank >= 1) rr += 1 / rank;
      if (rank !== 1) misses.push({ query, kind, expected, got: rows.slice(0, 3).map((r) => `${r.name}${r.match ? ` (${r.match} ${r.score})` : ''}`) });
    }
    return {
      workers: workers.length, queries: QUERIES.length, answerable,
      top1: pct(top1, answerable), top3: pct(top3, answerable), mrr: Math.round((1000 * rr) / answerable) / 1000,
      no_answer: { queries: none, nothing_strong: noneOk, rate: pct(noneOk, none) },
      by_kind: byKind, misses,
    };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
