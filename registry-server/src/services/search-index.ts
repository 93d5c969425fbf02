import type { SearchMatch } from '@iii-registry/schemas';
import type { IndexRow } from '../db/types';
import { words } from './search/analyze';
import { Bm25fIndex } from './search/bm25f-index';
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

  upsert(row: IndexRow): void {
    const old = this.entries.get(row.name);
    if (old) {
      this.index.remove(old.doc);
      for (const f of old.fnNames) this.byFunction.get(f)?.delete(row.name);
    }
    this.remember(row, this.index.add(fieldTexts(row)));
  }

  private remember(row: IndexRow, doc: number): void {
    const fnNames = entryNames(row);
    this.entries.set(row.name, { doc, fnNames, meta: { type: row.type, tags: row.summary.tags, updated_at: row.updated_at } });
    this.names[doc] = row.name;
    for (const f of fnNames) {
      const set = this.byFunction.get(f) ?? new Set<string>();
      set.add(row.name);
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
  search(query: string, max = 500): SearchHit[] {
    const q = query.trim().toLowerCase().replace(/\s+/g, ' ');
    if (q === '') return [];
    const { hits, concepts } = this.index.search(q);
    const exact = new Set<string>();
    const named = [q, q.replace(/ /g, '-'), q.replace(/ /g, '_')].find((n) => this.entries.has(n));
    if (named) exact.add(named);
    for (const n of this.byFunction.get(q) ?? []) exact.add(n);
    const scored: SearchHit[] = hits.map((h) => {
      const name = this.names[h.doc];
      const all = h.matched >= concepts;
      const match: SearchMatch = exact.has(name) ? 'exact_name' : all ? (h.typo ? 'typo' : 'all_words') : h.typo && h.matched === 0 ? 'typo' : 'some_words';
      return { name, score: h.score * (concepts > 0 ? h.matched / concepts : 1), match };
    });
    for (const name of exact) if (!scored.some((h) => h.name === name)) scored.push({ name, score: 0, match: 'exact_name' });
    const top = scored.reduce((m, h) => Math.max(m, h.score), 0);
    const ranked = scored
      .filter((h) => h.match === 'exact_name' || h.score >= top * CUT_RATIO)
      .sort((a, b) => rank(b) - rank(a) || b.score - a.score || (a.name < b.name ? -1 : 1));
    return ranked.slice(0, max).map((h) => ({ ...h, score: Math.round(h.score * 1000) / 1000 }));
  }

  /** Close names for "did you mean": the query as words, no cut beyond the usual. */
  suggest(name: string, max: number): string[] {
    return this.search(words(name).join(' '), max).map((h) => h.name);
  }
}

const rank = (h: SearchHit): number => (h.match === 'exact_name' ? 1 : 0);
