import type { Author, WorkerDetail, WorkerListItem } from '@iii-registry/schemas';
import type { TagRow, VersionRecord, WorkerRow } from '../db/types';

/** Pure mappings from stored rows to the contract's wire shapes (http-api.md). */

export function authorOf(worker: WorkerRow): Author {
  // Seeded workers have no owning key: they are the registry's own catalog.
  if (worker.owner_key_id === null) return { name: 'iii', pfp: null, verified: true };
  return { name: worker.owner_name ?? 'unknown', pfp: null, verified: worker.owner_admin };
}

export function toListItem(worker: WorkerRow, v: VersionRecord): WorkerListItem {
  const d = v.doc;
  const item: WorkerListItem = {
    name: worker.name,
    description: d.description,
    type: v.type,
    version: v.version,
    repo: d.repo,
    config: d.config,
    supported_targets: Object.keys(d.binaries ?? {}).sort(),
    total_downloads: worker.total_downloads,
    dependencies: d.dependencies,
    author: authorOf(worker),
  };
  if (v.type === 'image' && d.image_tag) item.image = d.image_tag;
  item.tags = d.tags;
  item.updated_at = worker.updated_at;
  return item;
}

export function toDetail(worker: WorkerRow, v: VersionRecord, tags: TagRow[]): WorkerDetail {
  const d = v.doc;
  const detail: WorkerDetail = {
    ...toListItem(worker, v),
    license: d.license ?? null,
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
  if (d.binaries) detail.binaries = d.binaries;
  if (d.archive_url) detail.archive_url = d.archive_url;
  if (d.sha256) detail.sha256 = d.sha256;
  return detail;
}
