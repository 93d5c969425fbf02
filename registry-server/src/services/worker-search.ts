import type { ReadmeSearchRepository } from '../db/readme-search-repository';
import type { WorkersRepository } from '../db/workers-repository';
import { SearchIndex, STOP_WORDS, tokenize, type HitMeta } from './search-index';

export const MAX_HITS = 500;
/** README matches are looked up only when metadata finds fewer hits than this (they rank after metadata hits). */
export const README_TIER_BELOW = 100;

/**
 * Ranked worker search: metadata hits (in-memory index) first, then workers whose README alone matches (FTS5).
 * Results of a query are kept until the catalog changes, since agents repeat the same searches.
 */
export class WorkerSearch {
  readonly index = new SearchIndex();
  private readonly results = new Map<string, { revision: string; names: string[] }>();

  constructor(private readonly workers: WorkersRepository, private readonly readmes: ReadmeSearchRepository, private readonly maxCached = 1000) {}

  async rebuild(): Promise<void> {
    await this.readmes.repair();
    this.index.rebuild(await this.workers.indexRows());
    this.results.clear();
  }

  async update(name: string): Promise<void> {
    const [row] = await this.workers.indexRows([name]);
    // The README row was already written by the database in the write's own transaction.
    if (row) this.index.upsert(row);
  }

  metaOf(name: string): HitMeta | undefined {
    return this.index.metaOf(name);
  }

  get size(): number {
    return this.index.size;
  }

  /** Close names for "did you mean" in errors; metadata only, no README. */
  suggest(name: string, max = 3): string[] {
    return this.index.search(name, max, 1);
  }

  async names(query: string): Promise<string[]> {
    const key = query.trim().toLowerCase().replace(/\s+/g, ' ');
    const revision = await this.workers.catalogStamp();
    const hit = this.results.get(key);
    if (hit && hit.revision === revision) return hit.names;
    const main = this.index.search(key, MAX_HITS);
    let names = main;
    if (main.length < README_TIER_BELOW) {
      const seen = new Set(main);
      const words = tokenize(key).filter((t) => !STOP_WORDS.has(t));
      const extra = (await this.readmes.search(words, MAX_HITS - main.length + seen.size)).filter((n) => !seen.has(n));
      names = [...main, ...extra].slice(0, MAX_HITS);
    }
    this.results.delete(key);
    this.results.set(key, { revision, names });
    if (this.results.size > this.maxCached) this.results.delete(this.results.keys().next().value as string);
    return names;
  }
}
