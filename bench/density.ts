/**
 * Density of the agent context: tokens of the API part of `/workers/{name}.md` (the Functions and Trigger types
 * sections) over tokens of the same API reference as pretty-printed JSON (`JSON.stringify({functions, triggers},
 * null, 2)`, what GET /workers/{name}/api-reference.json answers), with a real BPE tokenizer (gpt-tokenizer,
 * o200k_base). Over the seed catalog (every version) and the first 1,000 synthetic workers. Target <= 0.5;
 * that every fact is present is what tests/schemas/agent-context-keywords.test.ts checks.
 */
import { encode } from 'gpt-tokenizer';
import { ApiReferenceSchema } from '@iii-registry/schemas';
import { renderFunctions, renderTriggers } from '@iii-registry/schemas/agent-context-sections';
import { loadSeedCatalog, syntheticCatalog } from '@iii-registry/seed';

export interface DensityResult {
  catalog: string;
  versions: number;
  json_tokens: number;
  md_tokens: number;
  ratio: number;
}

function measure(catalog: string, payloads: { functions?: unknown; triggers?: unknown }[]): DensityResult {
  let json = 0;
  let md = 0;
  for (const p of payloads) {
    const api = ApiReferenceSchema.parse({ functions: p.functions ?? [], triggers: p.triggers ?? [] });
    json += encode(JSON.stringify(api, null, 2)).length;
    md += encode(`${renderFunctions(api.functions)}\n\n${renderTriggers(api.triggers)}`).length;
  }
  return { catalog, versions: payloads.length, json_tokens: json, md_tokens: md, ratio: Math.round((1000 * md) / json) / 1000 };
}

export function benchDensity(syntheticCount = 1000): DensityResult[] {
  return [measure('seed', loadSeedCatalog().publishes), measure(`synthetic (${syntheticCount})`, syntheticCatalog(syntheticCount, { seed: 1 }))];
}
