import type { PublishPayload, VersionStatus, WorkerType } from '@iii-registry/schemas';
import { apiSearchTextOf, type ApiSearchText } from './search-text';

/** A published version as stored: the normalized payload without its name, version and tag. */
export type VersionDoc = Omit<PublishPayload, 'worker_name' | 'version' | 'tag'>;

/** The fields of a version that a list row shows (GET /w); derived from the doc at publish time. */
export interface VersionSummary {
  description: string;
  repo: string;
  config: Record<string, unknown>;
  dependencies: VersionDoc['dependencies'];
  tags: string[];
  image_tag?: string;
  targets: string[];
}

export const summaryOf = (d: VersionDoc): VersionSummary => ({
  description: d.description,
  repo: d.repo,
  config: d.config,
  dependencies: d.dependencies,
  tags: d.tags,
  ...(d.image_tag ? { image_tag: d.image_tag } : {}),
  targets: Object.keys(d.binaries ?? {}).sort(),
});

/** The `fn_text` column: what search reads from the version's API (search-text.ts), as JSON. */
export const functionTextOf = (d: VersionDoc): string => {
  const registered = (d as { registered_triggers?: unknown }).registered_triggers;
  return JSON.stringify(apiSearchTextOf({ functions: d.functions, triggers: d.triggers, registered_triggers: Array.isArray(registered) ? registered : [] }));
};

/**
 * What the in-memory search index needs about a worker: no README (full text stays in readme-search-repository),
 * no schemas beyond the words search-text.ts extracts from them.
 */
export interface IndexRow {
  name: string;
  type: VersionDoc['type'];
  version: string;
  updated_at: string;
  summary: VersionSummary;
  api: ApiSearchText;
}

export interface KeyRow {
  id: number;
  name: string;
  hash: string;
  admin: boolean;
  created_at: string;
  revoked_at: string | null;
}

/** What a worker and a kit row share: identity, owner (the key that first published) and download counters. */
export interface PackageRow {
  id: number;
  name: string;
  owner_key_id: number | null;
  owner_name: string | null;
  owner_admin: boolean;
  created_at: string;
  updated_at: string;
  total_downloads: number;
  ci_downloads: number;
}

export interface WorkerRow extends PackageRow {
  /** Bumped by every write to the worker (publish, tag, status, skills); not by downloads. */
  revision: number;
}

export interface VersionMeta {
  id: number;
  version: string;
  prerelease: boolean;
  status: VersionStatus;
  status_message: string | null;
  published_at: string;
  type: WorkerType;
}

export interface VersionRecord extends VersionMeta {
  worker_id: number;
  content_hash: string;
  doc: VersionDoc;
}

/** A worker with the version it shows by default (its `latest` tag, else its newest version), as a list row. */
export interface WorkerWithSummary {
  worker: WorkerRow;
  version: VersionMeta & { summary: VersionSummary };
}

export interface TagRow {
  name: string;
  version: string;
  version_id: number;
}

export interface NewVersion {
  name: string;
  version: string;
  prerelease: boolean;
  type: WorkerType;
  content_hash: string;
  doc: VersionDoc;
  /** `JSON.stringify(doc)`, made once by the service (it is hashed and stored: 50 KB documents are common). */
  doc_json: string;
  published_at: string;
  publisher_key_id: number | null;
}

/** The rules a publish applies inside the store's transaction; the service supplies them. */
export interface PublishRules {
  /** Throws when the caller may not publish to an existing worker. */
  authorize(worker: WorkerRow | null): void;
  /** Throws the conflict error; called when the version exists already. */
  conflict(existing: VersionRecord): never;
  /** Tags to set after the insert, given every version (the new one included) and the current tags. */
  tagsAfter(versions: VersionMeta[], tags: TagRow[], inserted: VersionMeta): string[];
}

export interface ListFilter {
  after?: { downloads: number; name: string };
  limit: number;
  updatedSince?: string;
  type?: WorkerType;
  tag?: string;
}

export interface StagedArchive {
  sha256: string;
  size: number;
}
