import type { ReadmeSearchRepository } from '../db/readme-search-repository';
import type { WorkersRepository } from '../db/workers-repository';
import { analyzeQuery } from './search/analyze';
import { RankedHits, rankHits, SearchIndex, type HitMeta, type SearchHit } from './search-index';
import { SecondAsk } from './second-ask';
import { decodeSnapshot, encodeSnapshot, type SearchSnapshotStore } from './search/snapshot';

/** Rows a search can page through (ten pages of 20); the weak tail is cut well before that in practice. */
export const MAX_HITS = 200;
/**
 * README text is consulted only when the metadata found little: no hit matching every query word, and fewer than
 * README_TIER_BELOW hits in all. READMEs mostly repeat what metadata says, and skipping them keeps most new queries
 * off the database.
 */
export const README_TIER_BELOW = 50;
export const README_LIMIT = 20;
/** READMEs matching every word of a query are used only when at most this many do (else the words are too common). */
export const README_MAX_MATCHES = 200;
/** A README-only hit (every query word in the README) scores this share of the best metadata hit (1 when none). */
export const README_SHARE = 0.9;

/**
 * Ranked worker search: metadata hits (in-memory BM25F index) first, then workers whose README alone has every
 * query word (FTS5). Results of a query are kept until the catalog changes, since agents repeat the same searches.
 */
export class WorkerSearch {
  readonly index = new SearchIndex();
  private readonly results = new Map<string, { revision: string; hits: RankedHits }>();
  /** Ranked hits are kept from a query's second ask (second-ask.ts). */
  private readonly admission: SecondAsk;

  constructor(
    private readonly workers: WorkersRepository,
    private readonly readmes: ReadmeSearchRepository,
    private readonly snapshots?: SearchSnapshotStore,
    private readonly maxCached = 1000,
  ) {
    this.admission = new SecondAsk(maxCached);
  }

  /** The in-memory index is built on first use (see `ready`); until then this is the pending build. */
  private building: Promise<void> | undefined;
  private built = false;
  private from: 'snapshot' | 'rows' | undefined;
  private saving: Promise<void> | undefined;

  /**
   * Marks the index for a rebuild from the store. The build itself (about 0.9 s of CPU at 10,000 workers, most of
   * start-up before) waits for the first call that needs the index: a search, a suggestion or a filter (not a write).
   * Reads by name (detail, agent context, resolve of existing workers) never need it, so the server answers them
   * from its first millisecond. The README repair (an FTS5 row count check, ~40 ms at 10,000 workers) runs with
   * the build, before any search can read the README table.
   */
  async rebuild(): Promise<void> {
    this.built = false;
    this.building = undefined;
    this.results.clear();
  }

  /**
   * Builds the index now if it is not built yet; every method that reads it calls this first. A persisted snapshot
   * (search/snapshot.ts) is used when it was built at the current catalog revision; otherwise the index is built
   * from the rows and persisted, after the request that needed it, for the next start.
   */
  async ready(): Promise<void> {
    if (this.built) return;
    this.building ??= (async () => {
      await this.readmes.repair();
      // Read before the rows: a write committed in between makes the label older than the content, never newer.
      const revision = await this.workers.catalogStamp();
      const restored = decodeSnapshot(await this.snapshots?.load().catch(() => undefined), revision);
      if (restored) {
        this.index.restore(restored);
        this.from = 'snapshot';
      } else {
        this.index.rebuild(await this.workers.indexRows());
        this.from = 'rows';
        const store = this.snapshots;
        if (store) this.saving = new Promise<void>((resolve) => setImmediate(resolve)).then(() => store.save(encodeSnapshot(this.index, revision))).catch(() => {});
      }
      this.built = true;
      this.results.clear();
    })().finally(() => {
      this.building = undefined;
    });
    await this.building;
  }

  /** Where the index came from: a persisted snapshot, the rows, or nowhere yet. */
  get source(): 'snapshot' | 'rows' | undefined {
    return this.built ? this.from : undefined;
  }

  /** Waits for a snapshot being persisted (the app awaits it before closing the database). */
  async flush(): Promise<void> {
    await this.building?.catch(() => {});
    await this.saving;
  }

  /** True once the index holds the catalog. */
  get isBuilt(): boolean {
    return this.built;
  }

  async update(name: string): Promise<void> {
    // Before the first build there is nothing to update: the build reads every row, this one included, so a write
    // never pays for it. A build already running may have read the rows before this write: upsert after it.
    if (!this.built) {
      if (!this.building) return;
      await this.building;
    }
    const [row] = await this.workers.indexRows([name]);
    // The README row was already written by the database in the write's own transaction.
    if (row) this.index.upsert(row);
  }

  /** Filter metadata of a hit; hits only exist once the index is built (hits() awaits it). */
  metaOf(name: string): HitMeta | undefined {
    return this.index.metaOf(name);
  }

  get size(): number {
    return this.index.size;
  }

  /** Close names for "did you mean" in errors; metadata only, no README. Builds the index first if needed. */
  async suggest(name: string, max = 3): Promise<string[]> {
    if (!this.built) await this.ready();
    return this.index.suggest(name, max);
  }

  async names(query: string): Promise<string[]> {
    return (await this.hits(query)).names;
  }

  async hits(query: string): Promise<RankedHits> {
    const key = query.trim().toLowerCase().replace(/\s+/g, ' ');
    if (!this.built) await this.ready();
    const revision = await this.workers.catalogStamp();
    const cached = this.results.get(key);
    if (cached && cached.revision === revision) return cached.hits;
    let hits = this.index.search(key, MAX_HITS);
    if (hits.length < README_TIER_BELOW && !hits.hasStrong()) {
      const found = hits.toArray();
      hits = RankedHits.from(rankHits([...found, ...(await this.readmeHits(key, found))]).slice(0, MAX_HITS));
    }
    if (!this.admission.admit(key, cached !== undefined)) return hits;
    this.results.delete(key);
    this.results.set(key, { revision, hits });
    if (this.results.size > this.maxCached) this.results.delete(this.results.keys().next().value as string);
    return hits;
  }

  /** Workers whose README has every query word (stems matched as prefixes), after the metadata hits. */
  private async readmeHits(key: string, main: SearchHit[]): Promise<SearchHit[]> {
    const terms = analyzeQuery(key).flatMap((c) => c.word.split(' '));
    if (terms.length === 0) return [];
    const seen = new Set(main.map((h) => h.name));
    const floor = main.length > 0 ? main[0].score * README_SHARE : 1;
    const names = (await this.readmes.search(terms, README_LIMIT + seen.size, README_MAX_MATCHES)).filter((n) => !seen.has(n)).slice(0, README_LIMIT);
    return names.map((name, i) => ({ name, score: Math.round(floor * (1 - i / (names.length + 1)) * 1000) / 1000, match: 'all_words' as const }));
  }
}
