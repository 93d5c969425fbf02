import type { SearchMatch } from '@iii-registry/schemas';
import type { IndexRow } from '../db/types';
import { words } from './search/analyze';
import { Bm25fIndex } from './search/bm25f-index';
import type { Bm25fState } from './search/bm25f-state';
import { entryNames, fieldTexts } from './search/fields';

/** What list filters need about a hit without a database round trip. */
export interface HitMeta {
  type: IndexRow['type'];
  tags: string[];
  updated_at: string;
}

export interface SearchHit {
  name: string;
  score: number;
  match: SearchMatch;
}

const KINDS: SearchMatch[] = ['exact_name', 'all_words', 'some_words', 'typo'];

/**
 * A ranked result list, stored compactly (names, scores, match codes) because the per-query result cache and the
 * cursor snapshots keep hundreds of them: one object per hit would keep the heap large and the GC pauses long.
 */
export class RankedHits {
  private constructor(readonly names: string[], private readonly scores: Float64Array, private readonly kinds: Uint8Array) {}

  static of(names: string[], scores: Float64Array, kinds: Uint8Array): RankedHits {
    return new RankedHits(names, scores, kinds);
  }

  static empty(): RankedHits {
    return new RankedHits([], new Float64Array(0), new Uint8Array(0));
  }

  static from(hits: SearchHit[]): RankedHits {
    return new RankedHits(hits.map((h) => h.name), Float64Array.from(hits, (h) => h.score), Uint8Array.from(hits, (h) => KINDS.indexOf(h.match)));
  }

  get length(): number {
    return this.names.length;
  }

  at(i: number): SearchHit {
    return { name: this.names[i], score: this.scores[i], match: KINDS[this.kinds[i]] };
  }

  slice(start: number, end: number): SearchHit[] {
    const out: SearchHit[] = [];
    for (let i = start; i < Math.min(end, this.length); i++) out.push(this.at(i));
    return out;
  }

  filter(keep: (name: string) => boolean): RankedHits {
    const idx = this.names.flatMap((n, i) => (keep(n) ? [i] : []));
    return new RankedHits(idx.map((i) => this.names[i]), Float64Array.from(idx, (i) => this.scores[i]), Uint8Array.from(idx, (i) => this.kinds[i]));
  }

  /** True when some hit matched every word (or named the worker exactly). */
  hasStrong(): boolean {
    return this.kinds.some((k) => k <= 1);
  }

  toArray(): SearchHit[] {
    return this.slice(0, this.length);
  }
}

/**
 * Hits scoring below this share of the best one are cut: a tail that weak is noise (the relevance bench shows
 * the right worker is never there), and an agent that takes the first hits should not see it as an answer.
 */
export const CUT_RATIO = 0.25;

interface Entry {
  doc: number;
  meta: HitMeta;
  fnNames: string[];
}

/** A SearchIndex's content as plain data (search/snapshot.ts persists it); the function-name map is derived. */
export interface SearchIndexState {
  index: Bm25fState;
  entries: Map<string, Entry>;
}

/**
 * The in-memory part of search (BM25F over name, tags, description, function and trigger names and descriptions,
 * schema property descriptions, HTTP routes; see search/). README text lives in SQLite FTS5
 * (readme-search-repository.ts). Rebuilt from the store at start and updated on every write.
 */
export class SearchIndex {
  private index = new Bm25fIndex();
  private entries = new Map<string, Entry>();
  private names: string[] = [];
  private byFunction = new Map<string, Set<string>>();

  rebuild(rows: IndexRow[]): void {
    this.index = new Bm25fIndex();
    this.entries = new Map();
    this.names = [];
    this.byFunction = new Map();
    const docs = this.index.addAll(rows.map(fieldTexts));
    rows.forEach((row, i) => this.remember(row, docs[i]));
  }

  /** The content to persist (shared with the live index: serialize it before the next write). */
  toState(): SearchIndexState {
    return { index: this.index.toState(), entries: this.entries };
  }

  /** Replaces the content with a persisted one; searches then answer exactly as the index it was taken from. */
  restore(state: SearchIndexState): void {
    this.index = new Bm25fIndex(state.index);
    this.entries = state.entries;
    this.names = [];
    this.byFunction = new Map();
    for (const [name, entry] of state.entries) this.link(name, entry);
  }

  upsert(row: IndexRow): void {
    const old = this.entries.get(row.name);
    if (old) {
      this.index.remove(old.doc);
      for (const f of old.fnNames) this.byFunction.get(f)?.delete(row.name);
    }
    this.remember(row, this.index.add(fieldTexts(row)));
  }

  private remember(row: IndexRow, doc: number): void {
    const entry: Entry = { doc, fnNames: entryNames(row), meta: { type: row.type, tags: row.summary.tags, updated_at: row.updated_at } };
    this.entries.set(row.name, entry);
    this.link(row.name, entry);
  }

  /** The lookups derived from an entry: its document's name and the function names it answers to. */
  private link(name: string, entry: Entry): void {
    this.names[entry.doc] = name;
    for (const f of entry.fnNames) {
      const set = this.byFunction.get(f) ?? new Set<string>();
      set.add(name);
      this.byFunction.set(f, set);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  metaOf(name: string): HitMeta | undefined {
    return this.entries.get(name)?.meta;
  }

  /**
   * Workers best first. The score is BM25F times the share of query words matched; a worker named exactly by the
   * query, or owning a function named exactly by it, comes first with match `exact_name`. `all_words` when every
   * query word (or a synonym or completion of it) matched, `typo` when that needed a typo-tolerant match,
   * `some_words` otherwise. Hits below CUT_RATIO of the best are dropped.
   */
  search(query: string, max = 200): RankedHits {
    const q = query.trim().toLowerCase().replace(/\s+/g, ' ');
    if (q === '') return RankedHits.empty();
    const { hits, concepts } = this.index.search(q);
    const n = Math.max(1, concepts.length);
    const exact = new Set<string>();
    const named = [q, q.replace(/ /g, '-'), q.replace(/ /g, '_')].find((x) => this.entries.has(x));
    if (named) exact.add(named);
    for (const x of this.byFunction.get(q) ?? []) exact.add(x);
    // Score with the share of words matched, cut, rank by one numeric key (tier, then score): no object per hit.
    let top = 0;
    for (let k = 0; k < hits.count; k++) top = Math.max(top, (hits.scores[k] * hits.matched[k]) / n);
    const kept: number[] = [];
    const keys = new Float64Array(hits.count);
    const kinds = new Uint8Array(hits.count);
    const exactDocs = new Set([...exact].map((x) => this.entries.get(x)?.doc));
    for (let k = 0; k < hits.count; k++) {
      const score = (hits.scores[k] * hits.matched[k]) / n;
      const isExact = exactDocs.has(hits.docs[k]);
      if (!isExact && score < top * CUT_RATIO) continue;
      const kind: SearchMatch = isExact ? 'exact_name' : hits.matched[k] < concepts.length ? 'some_words' : hits.typo[k] ? 'typo' : 'all_words';
      kinds[k] = KINDS.indexOf(kind);
      keys[k] = TIER[kind] * SCORE_SPAN + Math.min(score, SCORE_SPAN - 1);
      kept.push(k);
    }
    kept.sort((x, y) => keys[y] - keys[x] || (this.names[hits.docs[x]] < this.names[hits.docs[y]] ? -1 : 1));
    const top_ = kept.slice(0, max);
    const names = top_.map((k) => this.names[hits.docs[k]]);
    const scores = Float64Array.from(top_, (k) => Math.round(((hits.scores[k] * hits.matched[k]) / n) * 1000) / 1000);
    const codes = Uint8Array.from(top_, (k) => kinds[k]);
    // An exact name with no word in the index (a name of stop words) still comes first.
    const missing = [...exact].filter((x) => !names.includes(x));
    if (missing.length === 0) return RankedHits.of(names, scores, codes);
    return RankedHits.from([...missing.map((name) => ({ name, score: 0, match: 'exact_name' as const })), ...RankedHits.of(names, scores, codes).slice(0, max)].slice(0, max));
  }

  /** Close names for "did you mean": the query as words, no cut beyond the usual. */
  suggest(name: string, max: number): string[] {
    return this.search(words(name).join(' '), max).names;
  }
}

/**
 * Ranking tiers, as in Meilisearch's "words" then "typo" rules: an exact name, then rows matching every query word,
 * then every word with a typo forgiven, then some words; BM25F score within a tier.
 */
export const TIER: Record<SearchMatch, number> = { exact_name: 3, all_words: 2, typo: 1, some_words: 0 };
/** Scores stay far below this; tier × SCORE_SPAN + score is one sortable number. */
const SCORE_SPAN = 1e6;

/**
 * Sorts by tier then score and cuts hits below CUT_RATIO of the best score (an exact name is never cut); scores
 * are rounded to three decimals in place.
 */
export function rankHits(hits: SearchHit[], top = hits.reduce((m, h) => Math.max(m, h.score), 0)): SearchHit[] {
  const kept = hits.filter((h) => h.match === 'exact_name' || h.score >= top * CUT_RATIO);
  kept.sort((a, b) => TIER[b.match] - TIER[a.match] || b.score - a.score || (a.name < b.name ? -1 : 1));
  for (const h of kept) h.score = Math.round(h.score * 1000) / 1000;
  return kept;
}
