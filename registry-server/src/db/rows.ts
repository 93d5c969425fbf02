import type { VersionStatus, WorkerType } from '@iii-registry/schemas';
import type { NewVersion, PackageRow, VersionMeta, VersionRecord, VersionSummary, WorkerRow } from './types';

/** Column lists and row mappers shared by the repositories (one place knows the table layout). */
export const WORKER_COLUMNS = `w.id AS w_id, w.name AS w_name, w.owner_key_id AS w_owner_key_id, k.name AS w_owner_name,
  k.admin AS w_owner_admin, w.created_at AS w_created_at, w.updated_at AS w_updated_at,
  w.total_downloads AS w_total_downloads, w.ci_downloads AS w_ci_downloads, w.revision AS w_revision`;
/** What `toMeta` reads: listing a worker's versions never loads their documents (up to megabytes each). */
export const META_COLUMNS = `v.id AS v_id, v.version AS v_version, v.prerelease AS v_prerelease,
  v.type AS v_type, v.status AS v_status, v.status_message AS v_status_message, v.published_at AS v_published_at`;
export const VERSION_COLUMNS = `${META_COLUMNS}, v.worker_id AS v_worker_id, v.content_hash AS v_content_hash, v.doc AS v_doc`;
export const SUMMARY_COLUMNS = `v.id AS v_id, v.version AS v_version, v.prerelease AS v_prerelease, v.type AS v_type,
  v.status AS v_status, v.status_message AS v_status_message, v.published_at AS v_published_at, v.summary AS v_summary`;
export const WORKER_FROM = `workers w LEFT JOIN api_keys k ON k.id = w.owner_key_id`;
/** The version a worker shows by default: its latest tag, else its newest version. */
export const DISPLAY_VERSION_JOIN = `JOIN versions v ON v.id = COALESCE(
  (SELECT t.version_id FROM tags t WHERE t.worker_id = w.id AND t.name = 'latest'),
  (SELECT v2.id FROM versions v2 WHERE v2.worker_id = w.id ORDER BY v2.id DESC LIMIT 1))`;

type Row = Record<string, unknown>;

/** The shared package columns of a row whose aliases carry `prefix` (`w_id`, `k_owner_name`, ...). */
export function toPackage(r: Row, prefix: string): PackageRow {
  return {
    id: r[`${prefix}id`] as number,
    name: r[`${prefix}name`] as string,
    owner_key_id: (r[`${prefix}owner_key_id`] as number | null) ?? null,
    owner_name: (r[`${prefix}owner_name`] as string | null) ?? null,
    owner_admin: r[`${prefix}owner_admin`] === 1,
    created_at: r[`${prefix}created_at`] as string,
    updated_at: r[`${prefix}updated_at`] as string,
    total_downloads: r[`${prefix}total_downloads`] as number,
    ci_downloads: r[`${prefix}ci_downloads`] as number,
  };
}

export function toWorker(r: Row): WorkerRow {
  return { ...toPackage(r, 'w_'), revision: r.w_revision as number };
}

export function toMeta(r: Row): VersionMeta {
  return {
    id: r.v_id as number,
    version: r.v_version as string,
    prerelease: r.v_prerelease === 1,
    type: r.v_type as WorkerType,
    status: r.v_status as VersionStatus,
    status_message: (r.v_status_message as string | null) ?? null,
    published_at: r.v_published_at as string,
  };
}

/** The record a publish just wrote, built from what it wrote: the document is not read back and parsed again. */
export function writtenRecord(meta: VersionMeta, workerId: number, input: NewVersion): VersionRecord {
  return { ...meta, worker_id: workerId, content_hash: input.content_hash, doc: input.doc };
}

export function toVersion(r: Row): VersionRecord {
  return {
    ...toMeta(r),
    worker_id: r.v_worker_id as number,
    content_hash: r.v_content_hash as string,
    doc: JSON.parse(r.v_doc as string),
  };
}

export function toSummary(r: Row): VersionMeta & { summary: VersionSummary } {
  return { ...toMeta(r), summary: JSON.parse(r.v_summary as string) };
}

/** Every write to a worker bumps its revision and the registry's; caches compare these, never clocks. */
export const BUMP_WORKER = 'UPDATE workers SET updated_at = ?, revision = revision + 1 WHERE id = ?';
export const BUMP_REGISTRY = "UPDATE registry_state SET value = value + 1 WHERE name = 'revision'";
