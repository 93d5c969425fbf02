/**
 * New queries: what a search costs when the registry has never seen it (its per-query result cache cannot help).
 * `agentQueries` builds queries the way agents and people type them over the synthetic catalog's vocabulary:
 * natural sentences, typos, half-typed words, words no worker has; none repeats. Measured two ways on the
 * 10,000-worker catalog: in process (the search service alone: CPU per query from process.cpuUsage, wall p99), and
 * over HTTP at one connection against the registry child process (p99, server CPU per request from /proc).
 */
import type { AutocannonRequest } from 'autocannon';
import { DOMAINS } from '../seed/src/synthetic-words';
import { percentile, round } from './load';

const FILLERS = ['how do i', 'i need to', 'worker to', 'something that can', 'library for', ''];
const UNKNOWN = ['frobnicate', 'quasar', 'zeppelin', 'marmalade', 'origami', 'tundra', 'velvet', 'yodel'];

/** One letter swapped with the next: the commonest typo. */
const typo = (w: string, k: number): string => {
  if (w.length < 4) return w;
  const i = 1 + (k % (w.length - 2));
  return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
};

/** `count` distinct queries, deterministic, rotating over five shapes. */
export function agentQueries(count: number): string[] {
  const out = new Set<string>();
  for (let i = 0; out.size < count && i < count * 20; i++) {
    const d = DOMAINS[i % DOMAINS.length];
    const e = DOMAINS[Math.floor(i / DOMAINS.length) % DOMAINS.length];
    const verb = d.verbs[Math.floor(i / 7) % d.verbs.length];
    const purpose = d.purposes[Math.floor(i / 11) % d.purposes.length].split(' ').slice(-1)[0];
    const filler = FILLERS[Math.floor(i / 13) % FILLERS.length];
    const round_ = Math.floor(i / 1000);
    switch (i % 5) {
      case 0: out.add(`${filler} ${verb} ${d.noun} ${purpose} ${e.tags[round_ % e.tags.length]}`.trim()); break;
      case 1: out.add(`${typo(verb, i)} ${typo(d.noun, i + round_)} ${e.noun}`); break;
      case 2: out.add(`${verb} ${e.noun} ${d.tags[round_ % d.tags.length].slice(0, 3 + (i % 4))}`); break;
      case 3: out.add(`${filler} ${verb} ${UNKNOWN[i % UNKNOWN.length]} ${UNKNOWN[(i + round_) % UNKNOWN.length]}`.trim()); break;
      default: out.add(`${d.noun} ${e.verbs[round_ % e.verbs.length]} ${purpose} ${d.plural}`);
    }
  }
  return [...out];
}

export const agentSearchRequests = (count: number): AutocannonRequest[] =>
  agentQueries(count).map((q) => ({ method: 'GET', path: `/w?search=${encodeURIComponent(q)}` }));

export interface InProcessResult {
  queries: number;
  cpu_us_per_query: number;
  p50_ms: number;
  p99_ms: number;
}

/** Runs every query once through `search` (warm-up on a disjoint set first), one at a time. */
export async function measureInProcess(search: (q: string) => Promise<unknown>, queries: string[], warmup: string[]): Promise<InProcessResult> {
  for (const q of warmup) await search(q);
  const samples = new Float64Array(queries.length);
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < queries.length; i++) {
    const t = performance.now();
    await search(queries[i]);
    samples[i] = performance.now() - t;
  }
  const cpu = process.cpuUsage(cpu0);
  samples.sort();
  return {
    queries: queries.length,
    cpu_us_per_query: round((cpu.user + cpu.system) / queries.length, 1),
    p50_ms: round(percentile(samples, 0.5)),
    p99_ms: round(percentile(samples, 0.99)),
  };
}
