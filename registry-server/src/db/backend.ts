import type { ArchiveBlobs } from '../storage/archive-store';
import type { KeysRepository } from './keys-repository';
import type { KitsRepository } from './kits-repository';
import type { ReadmeSearchRepository } from './readme-search-repository';
import type { SearchSnapshotStore } from '../services/search/snapshot';
import type { SkillsRepository } from './skills-repository';
import type { StagedArchivesRepository } from './staged-archives-repository';
import type { UpstreamCacheRepository } from './upstream-cache-repository';
import type { WorkersRepository } from './workers-repository';

/**
 * Storage behind the services: one set of repository interfaces, one implementation per database. SQLite
 * (db/*.ts, the default) and PostgreSQL (db/pg/*.ts, when REGISTRY_DATABASE_URL is set). Services never ask
 * which one they run on. Adding a table group means one interface, two factories, and a line in each backend
 * (see docs/deployment.md, "Adding a repository").
 */
export interface Repositories {
  workers: WorkersRepository;
  skills: SkillsRepository;
  staged: StagedArchivesRepository;
  readmes: ReadmeSearchRepository;
  keys: KeysRepository;
  kits: KitsRepository;
  /** The upstream proxy's answers (used only when REGISTRY_UPSTREAM_URL is set). */
  upstreamCache: UpstreamCacheRepository;
  /** The persisted search index (SQLite only; without it the index is built from the rows at first use). */
  searchSnapshots?: SearchSnapshotStore;
}

export interface Backend {
  readonly kind: 'sqlite' | 'postgres';
  readonly repos: Repositories;
  readonly archives: ArchiveBlobs;
  /** True when the database answers (GET /healthz). */
  ping(): Promise<boolean>;
  /** Runs start-up work (bootstrap key, seed) once even when several replicas start together. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  countWorkers(): Promise<number>;
  /**
   * Makes this process follow writes committed by other processes: `onWorkers` gets the changed workers' names
   * (to refresh the search index) before the cache stamps move. Call `mark()` before building the index and pass
   * it here, so nothing committed in between is missed.
   */
  mark(): Promise<unknown>;
  follow(mark: unknown, onWorkers: (names: string[]) => Promise<void>): void;
  /** A read-only SQL query with `?` placeholders, for tools and tests that inspect the store. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}
