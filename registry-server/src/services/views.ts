import type { Author, WorkerDetail, WorkerListItem } from '@iii-registry/schemas';
import { summaryOf, type TagRow, type VersionMeta, type VersionRecord, type VersionSummary, type WorkerRow } from '../db/types';

/** Pure mappings from stored rows to the contract's wire shapes (http-api.md). */

export function authorOf(worker: WorkerRow): Author {
  // Seeded workers have no owning key: they are the registry's own catalog.
  if (worker.owner_key_id === null) return { name: 'iii', pfp: null, verified: true };
  return { name: worker.owner_name ?? 'unknown', pfp: null, verified: worker.owner_admin };
}

export function toListItem(worker: WorkerRow, v: VersionMeta & { summary: VersionSummary }): WorkerListItem {
  const s = v.summary;
  const item: WorkerListItem = {
    name: worker.name,
    description: s.description,
    type: v.type,
    version: v.version,
    repo: s.repo,
    config: s.config,
    supported_targets: s.targets,
    total_downloads: worker.total_downloads,
    dependencies: s.dependencies,
    author: authorOf(worker),
  };
  if (v.type === 'image' && s.image_tag) item.image = s.image_tag;
  item.tags = s.tags;
  item.updated_at = worker.updated_at;
  return item;
}

export function toDetail(worker: WorkerRow, v: VersionRecord, tags: TagRow[]): WorkerDetail {
  const d = v.doc;
  const detail: WorkerDetail = {
    ...toListItem(worker, { ...v, summary: summaryOf(d) }),
    // The CI read-back compares `worker.get("license", "")` with the payload, and Rust clients read a String.
    license: d.license ?? '',
    tags: d.tags,
    experimental: d.experimental,
    readme: d.readme,
    functions: d.functions,
    triggers: d.triggers,
    published_at: v.published_at,
    status: v.status,
    status_message: v.status_message,
    version_tags: tags.filter((t) => t.version_id === v.id).map((t) => t.name),
    download_counts: { total: worker.total_downloads, ci: worker.ci_downloads },
  };
  if (d.registered_triggers && d.registered_triggers.length > 0) detail.registered_triggers = d.registered_triggers;
  if (d.binaries) detail.binaries = d.binaries;
  if (d.archive_url) detail.archive_url = d.archive_url;
  if (d.sha256) detail.sha256 = d.sha256;
  return detail;
}
