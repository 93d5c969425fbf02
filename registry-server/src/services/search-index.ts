import MiniSearch from 'minisearch';
import type { IndexRow } from '../db/types';

interface SearchDoc {
  id: string;
  name: string;
  description: string;
  tags: string;
  functions: string;
}

/** What list filters need about a hit without a database round trip. */
export interface HitMeta {
  type: IndexRow['type'];
  tags: string[];
  updated_at: string;
}

export const STOP_WORDS = new Set(['a', 'an', 'and', 'the', 'to', 'of', 'for', 'in', 'on', 'with', 'from', 'by', 'or', 'is', 'it', 'my', 'i', 'me', 'that', 'this', 'can', 'how', 'do']);

/** Edits forgiven per word: none below 4 letters, one at 4, two from 5 on. */
const FUZZY = (term: string): number | false => (term.length >= 5 ? 2 : term.length === 4 ? 1 : false);

/** Splits names too: `image-resize` and `image_resize::resize` yield image, resize. */
export const tokenize = (text: string): string[] => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);

/**
 * The in-memory part of search: name, description, tags, function names and descriptions (minisearch, typo and
 * prefix tolerant). README text lives in SQLite FTS5 (see readme-search-repository.ts). Rebuilt from the store at
 * start and updated on every write.
 */
export class SearchIndex {
  private index = SearchIndex.create();
  private readonly meta = new Map<string, HitMeta>();

  private static create(): MiniSearch<SearchDoc> {
    return new MiniSearch<SearchDoc>({
      fields: ['name', 'description', 'tags', 'functions'],
      storeFields: [],
      tokenize,
      processTerm: (term) => (STOP_WORDS.has(term) ? null : term),
      searchOptions: {
        boost: { name: 6, tags: 3, description: 2, functions: 1.5 },
        prefix: (term) => term.length >= 3,
        weights: { fuzzy: 0.35, prefix: 0.6 },
      },
    });
  }

  private static toDoc(e: IndexRow): SearchDoc {
    return {
      id: e.name,
      name: `${e.name} ${e.name.replace(/[-_]/g, ' ')}`,
      description: e.summary.description,
      tags: e.summary.tags.join(' '),
      functions: e.fn_text,
    };
  }

  rebuild(entries: IndexRow[]): void {
    const fresh = SearchIndex.create();
    this.meta.clear();
    fresh.addAll(entries.map(SearchIndex.toDoc));
    for (const e of entries) this.meta.set(e.name, { type: e.type, tags: e.summary.tags, updated_at: e.updated_at });
    this.index = fresh;
  }

  upsert(e: IndexRow): void {
    if (this.meta.has(e.name)) this.index.discard(e.name);
    this.index.add(SearchIndex.toDoc(e));
    this.meta.set(e.name, { type: e.type, tags: e.summary.tags, updated_at: e.updated_at });
  }

  get size(): number {
    return this.meta.size;
  }

  has(name: string): boolean {
    return this.meta.has(name);
  }

  metaOf(name: string): HitMeta | undefined {
    return this.meta.get(name);
  }

  /**
   * Worker names, best first, in tiers that stop as soon as one finds enough: every word as typed or as a prefix
   * (AND); then any word (OR); then any word with typos forgiven. Natural-language queries with filler or
   * misspellings still find something, without paying for fuzzy matching on every query. An exact name comes first.
   */
  search(query: string, max = 500, enough = 20): string[] {
    const q = query.trim().toLowerCase();
    if (q === '') return [];
    const ranked: string[] = [];
    const seen = new Set<string>();
    const tiers = [{ combineWith: 'AND' }, { combineWith: 'OR' }, { combineWith: 'OR', fuzzy: FUZZY, maxFuzzy: 2 }] as const;
    for (const tier of tiers) {
      for (const r of this.index.search(q, tier)) {
        const id = r.id as string;
        if (seen.has(id)) continue;
        seen.add(id);
        ranked.push(id);
      }
      if (ranked.length >= enough) break;
    }
    const exact = [q, q.replace(/\s+/g, '-'), q.replace(/\s+/g, '_')].find((n) => this.meta.has(n));
    const out = exact ? [exact, ...ranked.filter((n) => n !== exact)] : ranked;
    return out.slice(0, max);
  }
}
