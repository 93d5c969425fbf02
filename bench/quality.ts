/**
 * The quality sections of the bench (issue 12), printed after the table: search relevance over the labelled
 * queries (bench/relevance/) and agent-context density (bench/density.ts). Both run in process in a few seconds.
 */
import { benchDensity, type DensityResult } from './density';
import { benchRelevance, type RelevanceResult } from './relevance/relevance';

export const TOP1_TARGET = 90;
export const TOP3_TARGET = 100;
export const DENSITY_TARGET = 0.5;

export interface Quality {
  relevance: RelevanceResult;
  density: DensityResult[];
}

export async function benchQuality(): Promise<Quality> {
  return { relevance: await benchRelevance(), density: benchDensity() };
}

const yes = (ok: boolean) => (ok ? 'yes' : 'NO');

export function printQuality({ relevance: r, density }: Quality): void {
  console.log(`\nsearch relevance: ${r.queries} labelled queries over ${r.workers} bench workers (bench/relevance/), GET /w?search=&limit=10`);
  console.log(`  top-1 ${r.top1} % (target >= ${TOP1_TARGET} %: ${yes(r.top1 >= TOP1_TARGET)})   top-3 ${r.top3} % (target ${TOP3_TARGET} %: ${yes(r.top3 >= TOP3_TARGET)})   MRR ${r.mrr}`);
  console.log(`  queries with no right answer that return nothing strong: ${r.no_answer.nothing_strong}/${r.no_answer.queries} (${r.no_answer.rate} %)`);
  console.log(`  by kind: ${Object.entries(r.by_kind).map(([k, v]) => `${k} ${v.top1}/${v.n}`).join(', ')}`);
  for (const m of r.misses) console.log(`  miss [${m.kind}] "${m.query}" -> want ${m.expected ?? 'nothing strong'}, got ${m.got.join(', ') || 'nothing'}`);
  console.log('\nagent-context density: tokens of the .md API sections / tokens of the pretty-printed API reference JSON (gpt-tokenizer o200k)');
  for (const d of density)
    console.log(`  ${d.catalog}: ${d.versions} versions, ${d.md_tokens} / ${d.json_tokens} tokens = ${d.ratio} (target <= ${DENSITY_TARGET}: ${yes(d.ratio <= DENSITY_TARGET)})`);
}
