import type { Db } from './open';
import { createStamps, type StampsNow } from './stamps';
import { toPackage } from './rows';
import type {
  KitFileRow,
  KitListRow,
  KitPublishRules,
  KitRow,
  KitTagRow,
  KitVersionMeta,
  KitVersionRecord,
  KitVersionStatus,
  NewKitVersion,
} from './kits-types';

/**
 * Every SQL statement about kits (SQLite). Async like the other repositories so a PostgreSQL version is a second
 * implementation of the same interface. Blobs are content-addressed, shared by versions and kits, never deleted;
 * a publish writes its blobs, files and tags in the one transaction that inserts the version, so a refused or
 * failed publish leaves no blob behind.
 */
export interface KitsRepository {
  kit(handle: string, name: string): Promise<KitRow | null>;
  handleOwner(handle: string): Promise<{ owner_key_id: number | null } | null>;
  versions(kitId: number): Promise<KitVersionMeta[]>;
  version(kitId: number, version: string): Promise<KitVersionRecord | null>;
  tags(kitId: number): Promise<KitTagRow[]>;
  /** Files of a version with their contents, sorted by path. */
  files(versionId: number): Promise<KitFileRow[]>;
  blob(sha256: string): Promise<string | null>;
  /** Every kit with its shown version (latest tag, else newest), for listing and search. */
  list(): Promise<KitListRow[]>;
  publish(input: NewKitVersion, rules: KitPublishRules): Promise<{ kit: KitRow; version: KitVersionRecord }>;
  moveTag(kitId: number, tag: string, versionId: number, expected: string | null | undefined): Promise<{ changed: boolean; current: string | null; conflict: boolean }>;
  setStatus(kitId: number, versionId: number, status: KitVersionStatus, message: string | null, replacedBy: string | null,
    latestAfter: (versions: KitVersionMeta[], current: KitTagRow | null) => KitVersionMeta | null): Promise<void>;
  /** Counts a download of the kit and bumps the kit download counter, in one transaction. */
  countDownload(kitId: number, ci: boolean): Promise<void>;
  /**
   * Cache stamps (services/kit-cache.ts): the kit revision, bumped inside every kit write's transaction (publish, tag
   * move, status change), and with it the kit download counter. Read cheaply: memoized until a write could have moved
   * them (db/stamps.ts on SQLite, the follower on PostgreSQL).
   */
  revisionStamp(): Promise<string>;
  countsStamp(): Promise<string>;
  /** Both when known without waiting (SQLite: always; PostgreSQL: memoized), for cache hits. */
  readonly stampsNow: Pick<StampsNow, 'kitRevision' | 'kits'>;
}

type Row = Record<string, unknown>;

const KIT_COLUMNS = `k.id AS k_id, k.handle AS k_handle, k.name AS k_name, h.owner_key_id AS k_owner_key_id, a.name AS k_owner_name,
  a.admin AS k_owner_admin, k.created_at AS k_created_at, k.updated_at AS k_updated_at, k.total_downloads AS k_total_downloads,
  k.ci_downloads AS k_ci_downloads`;
const KIT_FROM = `kits k JOIN kit_handles h ON h.handle = k.handle LEFT JOIN api_keys a ON a.id = h.owner_key_id`;
const META_COLUMNS = `v.id, v.version, v.prerelease, v.status, v.status_message, v.replaced_by, v.published_at, json_extract(v.doc, '$.license') AS license`;
const VERSION_COLUMNS = `${META_COLUMNS}, v.kit_id, v.readme_sha256, v.doc`;
const SHOWN_VERSION = `COALESCE((SELECT t.version_id FROM kit_tags t WHERE t.kit_id = k.id AND t.name = 'latest'),
  (SELECT v2.id FROM kit_versions v2 WHERE v2.kit_id = k.id ORDER BY v2.id DESC LIMIT 1))`;

/** Row mappers shared by both backends (the PostgreSQL queries select the same column names). */
export const toKit = (r: Row): KitRow => ({ ...toPackage(r, 'k_'), handle: r.k_handle as string });
export const toMeta = (r: Row): KitVersionMeta => ({
  id: r.id as number,
  version: r.version as string,
  prerelease: r.prerelease === 1,
  status: r.status as KitVersionStatus,
  status_message: (r.status_message as string | null) ?? null,
  replaced_by: (r.replaced_by as string | null) ?? null,
  published_at: r.published_at as string,
  license: (r.license as string | null) ?? null,
});
export const toRecord = (r: Row): KitVersionRecord => ({
  ...toMeta(r),
  kit_id: r.kit_id as number,
  readme_sha256: (r.readme_sha256 as string | null) ?? null,
  doc: JSON.parse(r.doc as string) as KitVersionRecord['doc'],
});

export function createKitsRepository(db: Db): KitsRepository {
  const q = {
    kit: db.prepare(`SELECT ${KIT_COLUMNS} FROM ${KIT_FROM} WHERE k.handle = ? AND k.name = ?`),
    handle: db.prepare('SELECT owner_key_id FROM kit_handles WHERE handle = ?'),
    claimHandle: db.prepare('INSERT INTO kit_handles (handle, owner_key_id, created_at) VALUES (?, ?, ?)'),
    insertKit: db.prepare('INSERT INTO kits (handle, name, created_at, updated_at) VALUES (?, ?, ?, ?)'),
    touchKit: db.prepare('UPDATE kits SET updated_at = ? WHERE id = ?'),
    versions: db.prepare(`SELECT ${META_COLUMNS} FROM kit_versions v WHERE v.kit_id = ? ORDER BY v.id`),
    version: db.prepare(`SELECT ${VERSION_COLUMNS} FROM kit_versions v WHERE v.kit_id = ? AND v.version = ?`),
    versionById: db.prepare(`SELECT ${VERSION_COLUMNS} FROM kit_versions v WHERE v.id = ?`),
    tags: db.prepare('SELECT t.name, v.version, t.version_id FROM kit_tags t JOIN kit_versions v ON v.id = t.version_id WHERE t.kit_id = ? ORDER BY t.name'),
    tag: db.prepare('SELECT t.name, v.version, t.version_id FROM kit_tags t JOIN kit_versions v ON v.id = t.version_id WHERE t.kit_id = ? AND t.name = ?'),
    setTag: db.prepare(`INSERT INTO kit_tags (kit_id, name, version_id, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (kit_id, name) DO UPDATE SET version_id = excluded.version_id, updated_at = excluded.updated_at`),
    dropTag: db.prepare('DELETE FROM kit_tags WHERE kit_id = ? AND name = ?'),
    files: db.prepare('SELECT f.path, f.sha256, b.content FROM kit_files f JOIN kit_blobs b ON b.sha256 = f.sha256 WHERE f.version_id = ? ORDER BY f.path'),
    blob: db.prepare('SELECT content FROM kit_blobs WHERE sha256 = ?').pluck(),
    insertBlob: db.prepare('INSERT INTO kit_blobs (sha256, size, content, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING'),
    insertFile: db.prepare('INSERT INTO kit_files (version_id, path, sha256) VALUES (?, ?, ?)'),
    insertVersion: db.prepare(`INSERT INTO kit_versions (kit_id, version, prerelease, published_at, publisher_key_id, readme_sha256, search_text, doc)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
    list: db.prepare(`SELECT ${KIT_COLUMNS}, ${VERSION_COLUMNS}, v.search_text FROM ${KIT_FROM} JOIN kit_versions v ON v.id = ${SHOWN_VERSION}
      ORDER BY k.total_downloads DESC, k.handle, k.name`),
    setStatus: db.prepare('UPDATE kit_versions SET status = ?, status_message = ?, replaced_by = ? WHERE id = ?'),
    download: db.prepare('UPDATE kits SET total_downloads = total_downloads + 1, ci_downloads = ci_downloads + ? WHERE id = ?'),
    bumpRevision: db.prepare(`UPDATE registry_state SET value = value + 1 WHERE name = 'kits'`),
    bumpDownloads: db.prepare(`UPDATE registry_state SET value = value + 1 WHERE name = 'kit_downloads'`),
  };
  const stamps = createStamps(db);
  const metas = (kitId: number) => (q.versions.all(kitId) as Row[]).map(toMeta);
  const tagsOf = (kitId: number) => q.tags.all(kitId) as KitTagRow[];

  const publishTx = db.transaction((input: NewKitVersion, rules: KitPublishRules) => {
    const now = input.published_at;
    const owner = (q.handle.get(input.handle) as { owner_key_id: number | null } | undefined) ?? null;
    rules.authorize(owner);
    if (!owner) q.claimHandle.run(input.handle, input.publisher_key_id, now);
    const found = q.kit.get(input.handle, input.name) as Row | undefined;
    const kitId = found ? (found.k_id as number) : Number(q.insertKit.run(input.handle, input.name, now, now).lastInsertRowid);
    const existing = metas(kitId).find((m) => m.version === input.version);
    if (existing) rules.conflict(existing);
    for (const f of input.files) q.insertBlob.run(f.sha256, Buffer.byteLength(f.content, 'utf8'), f.content, now);
    if (input.readme) q.insertBlob.run(input.readme.sha256, Buffer.byteLength(input.readme.content, 'utf8'), input.readme.content, now);
    const { id } = q.insertVersion.get(kitId, input.version, input.prerelease ? 1 : 0, now, input.publisher_key_id,
      input.readme?.sha256 ?? null, input.search_text, JSON.stringify(input.doc)) as { id: number };
    for (const f of input.files) q.insertFile.run(id, f.path, f.sha256);
    const all = metas(kitId);
    const inserted = all.find((m) => m.id === id) as KitVersionMeta;
    for (const tag of rules.tagsAfter(all, tagsOf(kitId), inserted)) q.setTag.run(kitId, tag, id, now);
    q.touchKit.run(now, kitId);
    q.bumpRevision.run();
    return { kit: toKit(q.kit.get(input.handle, input.name) as Row), version: toRecord(q.versionById.get(id) as Row) };
  });

  const moveTagTx = db.transaction((kitId: number, tag: string, versionId: number, expected: string | null | undefined) => {
    const current = (q.tag.get(kitId, tag) as KitTagRow | undefined) ?? null;
    if (expected !== undefined && (current?.version ?? null) !== expected) return { changed: false, current: current?.version ?? null, conflict: true };
    if (current?.version_id === versionId) return { changed: false, current: current.version, conflict: false };
    const now = new Date().toISOString();
    q.setTag.run(kitId, tag, versionId, now);
    q.touchKit.run(now, kitId);
    q.bumpRevision.run();
    return { changed: true, current: current?.version ?? null, conflict: false };
  });

  const statusTx = db.transaction((kitId: number, versionId: number, status: KitVersionStatus, message: string | null, replacedBy: string | null,
    latestAfter: (versions: KitVersionMeta[], current: KitTagRow | null) => KitVersionMeta | null) => {
    q.setStatus.run(status, message, replacedBy, versionId);
    const now = new Date().toISOString();
    const current = (q.tag.get(kitId, 'latest') as KitTagRow | undefined) ?? null;
    const next = latestAfter(metas(kitId), current);
    if (next === null) q.dropTag.run(kitId, 'latest');
    else if (next.id !== current?.version_id) q.setTag.run(kitId, 'latest', next.id, now);
    q.touchKit.run(now, kitId);
    q.bumpRevision.run();
  });

  const downloadTx = db.transaction((kitId: number, ci: boolean) => {
    q.download.run(ci ? 1 : 0, kitId);
    q.bumpDownloads.run();
  });

  return {
    async kit(handle, name) {
      const r = q.kit.get(handle, name) as Row | undefined;
      return r ? toKit(r) : null;
    },
    async handleOwner(handle) {
      return (q.handle.get(handle) as { owner_key_id: number | null } | undefined) ?? null;
    },
    versions: async (kitId) => metas(kitId),
    async version(kitId, version) {
      const r = q.version.get(kitId, version) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    tags: async (kitId) => tagsOf(kitId),
    files: async (versionId) => q.files.all(versionId) as KitFileRow[],
    blob: async (sha256) => (q.blob.get(sha256) as string | undefined) ?? null,
    list: async () => (q.list.all() as Row[]).map((r) => ({ kit: toKit(r), version: toRecord(r), search_text: r.search_text as string })),
    publish: async (input, rules) => publishTx.immediate(input, rules),
    moveTag: async (kitId, tag, versionId, expected) => moveTagTx.immediate(kitId, tag, versionId, expected),
    setStatus: async (kitId, versionId, status, message, replacedBy, latestAfter) => statusTx.immediate(kitId, versionId, status, message, replacedBy, latestAfter),
    async countDownload(kitId, ci) {
      downloadTx.immediate(kitId, ci);
    },
    revisionStamp: async () => stamps.kitRevision(),
    countsStamp: async () => stamps.kits(),
    stampsNow: stamps,
  };
}
