import MiniSearch from 'minisearch';
import type { WorkerType } from '@iii-registry/schemas';
import type { VersionDoc } from '../db/types';

export interface IndexEntry {
  name: string;
  type: WorkerType;
  updated_at: string;
  doc: VersionDoc;
}

/** What list filters need about a hit without a database round trip. */
export interface HitMeta {
  type: WorkerType;
  tags: string[];
  updated_at: string;
}

interface SearchDoc {
  id: string;
  name: string;
  description: string;
  tags: string;
  functions: string;
  readme: string;
}

const STOP_WORDS = new Set(['a', 'an', 'and', 'the', 'to', 'of', 'for', 'in', 'on', 'with', 'from', 'by', 'or', 'is', 'it', 'my', 'i', 'me', 'that', 'this', 'can', 'how', 'do']);

/** Splits names too: `image-resize` and `image_resize::resize` yield image, resize. */
const tokenize = (text: string): string[] => text.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t.length > 0);

/**
 * Ranked full-text search over name, description, tags, function names and descriptions and README text, held in
 * memory and rebuildable from the store at any time (so a replica can rebuild its own). Typos and prefixes match;
 * an exact name match always ranks first.
 */
export class SearchIndex {
  private index = SearchIndex.create();
  private readonly meta = new Map<string, HitMeta>();

  private static create(): MiniSearch<SearchDoc> {
    return new MiniSearch<SearchDoc>({
      fields: ['name', 'description', 'tags', 'functions', 'readme'],
      storeFields: [],
      tokenize,
      processTerm: (term) => (STOP_WORDS.has(term) ? null : term),
      searchOptions: {
        boost: { name: 6, tags: 3, description: 2, functions: 2, readme: 0.6 },
        prefix: (term) => term.length >= 3,
        fuzzy: (term) => (term.length >= 5 ? 2 : term.length === 4 ? 1 : false),
        maxFuzzy: 2,
        combineWith: 'OR',
        weights: { fuzzy: 0.35, prefix: 0.6 },
      },
    });
  }

  static toDoc(name: string, doc: VersionDoc): SearchDoc {
    return {
      id: name,
      name: `${name} ${name.replace(/[-_]/g, ' ')}`,
      description: doc.description,
      tags: doc.tags.join(' '),
      functions: [...doc.functions, ...doc.triggers].map((f) => `${f.name} ${f.description}`).join(' '),
      // The README's head carries its substance; capping it keeps the index and its rebuild small.
      readme: doc.readme.slice(0, 4000),
    };
  }

  rebuild(entries: Iterable<IndexEntry>): void {
    const fresh = SearchIndex.create();
    this.meta.clear();
    const docs: SearchDoc[] = [];
    for (const e of entries) {
      docs.push(SearchIndex.toDoc(e.name, e.doc));
      this.meta.set(e.name, { type: e.type, tags: e.doc.tags, updated_at: e.updated_at });
    }
    fresh.addAll(docs);
    this.index = fresh;
  }

  upsert(e: IndexEntry): void {
    if (this.meta.has(e.name)) this.index.discard(e.name);
    this.index.add(SearchIndex.toDoc(e.name, e.doc));
    this.meta.set(e.name, { type: e.type, tags: e.doc.tags, updated_at: e.updated_at });
  }

  get size(): number {
    return this.meta.size;
  }

  metaOf(name: string): HitMeta | undefined {
    return this.meta.get(name);
  }

  /** Worker names, best first, at most `max`. */
  search(query: string, max = 500): string[] {
    const q = query.trim().toLowerCase();
    if (q === '') return [];
    const ranked = this.index.search(q).map((r) => r.id as string);
    const exact = [q, q.replace(/\s+/g, '-'), q.replace(/\s+/g, '_')].find((n) => this.meta.has(n));
    const out = exact ? [exact, ...ranked.filter((n) => n !== exact)] : ranked;
    return out.slice(0, max);
  }
}
