import type { ReadmeSearchRepository } from '../db/readme-search-repository';
import type { WorkersRepository } from '../db/workers-repository';
import { analyzeQuery } from './search/analyze';
import { SearchIndex, type HitMeta, type SearchHit } from './search-index';

export const MAX_HITS = 500;
/**
 * README text is consulted only when the metadata found no hit matching every query word: READMEs repeat what
 * metadata says, and skipping them keeps most new queries off the database.
 */
export const README_LIMIT = 20;
/** A README-only hit scores this share of the weakest metadata hit kept (or 1 when there is none). */
export const README_SHARE = 0.9;

/**
 * Ranked worker search: metadata hits (in-memory BM25F index) first, then workers whose README alone has every
 * query word (FTS5). Results of a query are kept until the catalog changes, since agents repeat the same searches.
 */
export class WorkerSearch {
  readonly index = new SearchIndex();
  private readonly results = new Map<string, { revision: string; hits: SearchHit[] }>();

  constructor(private readonly workers: WorkersRepository, private readonly readmes: ReadmeSearchRepository, private readonly maxCached = 1000) {}

  async rebuild(): Promise<void> {
    await this.readmes.repair();
    this.index.rebuild(await this.workers.indexRows());
    this.results.clear();
  }

  async update(name: string): Promise<void> {
    const [row] = await this.workers.indexRows([name]);
    if (row) this.index.upsert(row);
    await this.readmes.set(name);
  }

  metaOf(name: string): HitMeta | undefined {
    return this.index.metaOf(name);
  }

  get size(): number {
    return this.index.size;
  }

  /** Close names for "did you mean" in errors; metadata only, no README. */
  suggest(name: string, max = 3): string[] {
    return this.index.suggest(name, max);
  }

  async names(query: string): Promise<string[]> {
    return (await this.hits(query)).map((h) => h.name);
  }

  async hits(query: string): Promise<SearchHit[]> {
    const key = query.trim().toLowerCase().replace(/\s+/g, ' ');
    const revision = await this.workers.catalogStamp();
    const cached = this.results.get(key);
    if (cached && cached.revision === revision) return cached.hits;
    let hits = this.index.search(key, MAX_HITS);
    if (!hits.some((h) => h.match === 'exact_name' || h.match === 'all_words')) hits = [...hits, ...(await this.readmeHits(key, hits))];
    this.results.delete(key);
    this.results.set(key, { revision, hits });
    if (this.results.size > this.maxCached) this.results.delete(this.results.keys().next().value as string);
    return hits;
  }

  /** Workers whose README has every query word (stems matched as prefixes), after the metadata hits. */
  private async readmeHits(key: string, main: SearchHit[]): Promise<SearchHit[]> {
    const terms = analyzeQuery(key).flatMap((c) => (c.stem ? [c.stem] : c.word.split(' ')));
    if (terms.length === 0) return [];
    const seen = new Set(main.map((h) => h.name));
    const floor = main.length > 0 ? main[main.length - 1].score * README_SHARE : 1;
    const names = (await this.readmes.search(terms, README_LIMIT + seen.size)).filter((n) => !seen.has(n)).slice(0, README_LIMIT);
    return names.map((name, i) => ({ name, score: Math.round(floor * (1 - i / (names.length + 1)) * 1000) / 1000, match: 'all_words' as const }));
  }
}
