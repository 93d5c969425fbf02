import type pg from 'pg';
import { toKit, toMeta, toRecord, type KitsRepository } from '../kits-repository';
import type { KitFileRow, KitTagRow, KitVersionMeta } from '../kits-types';
import { CHANGES_CHANNEL, type PgStamps } from './stamps';
import { poolSql, transaction, type Sql } from './sql';

/**
 * Every SQL statement about kits (PostgreSQL), with the SQLite repository's semantics (db/kits-repository.ts):
 * blobs are content-addressed, shared by versions and kits and never deleted; a publish is one transaction (claim
 * the handle, create the kit, refuse an existing version, insert blobs, version, files and tags), so a refused or
 * failed publish leaves no blob behind.
 *
 * Across replicas, every writer of one kit locks its `kits` row first (publish locks its handle row before it), so
 * publishes of one kit, tag compare-and-swaps and status changes queue exactly as SQLite's IMMEDIATE transactions
 * do. Blobs are inserted in sha256 order, so two publishes sharing blobs cannot deadlock on them; a deadlock or
 * serialization failure anyway re-runs the transaction (db/pg/sql.ts).
 *
 * Kit writes bump the kit revision (`registry_state` 'kits', not the workers' catalog revision) in their transaction
 * and notify, so every replica's follower drops its memoized kit stamps at once; a download bumps 'kit_downloads'
 * without a notification, as worker downloads do (the followers' poll shows it within pollMs).
 */

const KIT_COLUMNS = `k.id AS k_id, k.handle AS k_handle, k.name AS k_name, h.owner_key_id AS k_owner_key_id, a.name AS k_owner_name,
  a.admin AS k_owner_admin, k.created_at AS k_created_at, k.updated_at AS k_updated_at, k.total_downloads AS k_total_downloads,
  k.ci_downloads AS k_ci_downloads`;
const KIT_FROM = `kits k JOIN kit_handles h ON h.handle = k.handle LEFT JOIN api_keys a ON a.id = h.owner_key_id`;
// jsonb refuses the \u0000 escape a stored description may hold: spell it \ufffd for reading the license only.
const META_COLUMNS = `v.id, v.version, v.prerelease, v.status, v.status_message, v.replaced_by, v.published_at,
  replace(v.doc, '\\u0000', '\\ufffd')::jsonb ->> 'license' AS license`;
const VERSION_COLUMNS = `${META_COLUMNS}, v.kit_id, v.readme_sha256, v.doc`;
const SHOWN_VERSION = `COALESCE((SELECT t.version_id FROM kit_tags t WHERE t.kit_id = k.id AND t.name = 'latest'),
  (SELECT v2.id FROM kit_versions v2 WHERE v2.kit_id = k.id ORDER BY v2.id DESC LIMIT 1))`;
const TAGS = 'SELECT t.name, v.version, t.version_id FROM kit_tags t JOIN kit_versions v ON v.id = t.version_id WHERE t.kit_id = $1';
const SET_TAG = `INSERT INTO kit_tags (kit_id, name, version_id, updated_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (kit_id, name) DO UPDATE SET version_id = excluded.version_id, updated_at = excluded.updated_at`;


export function createPgKitsRepository(pool: pg.Pool, stamps: PgStamps): KitsRepository {
  const sql = poolSql(pool);
  /** A kit write: its transaction, then this replica's stamps dropped (others follow the notification). */
  const write = async <T>(fn: (s: Sql) => Promise<T>): Promise<T> => {
    try {
      return await transaction(pool, fn);
    } finally {
      stamps.invalidate();
    }
  };
  const bumpRevision = async (s: Sql) => {
    const bumped = await s.one<{ value: number }>(`UPDATE registry_state SET value = value + 1 WHERE name = 'kits' RETURNING value`);
    await s.exec(`SELECT pg_notify('${CHANGES_CHANNEL}', $1)`, [`kits:${bumped?.value ?? 0}`]);
  };
  const findKit = async (s: Sql, handle: string, name: string, lock = false) => {
    const r = await s.one(`SELECT ${KIT_COLUMNS} FROM ${KIT_FROM} WHERE k.handle = $1 AND k.name = $2${lock ? ' FOR UPDATE OF k' : ''}`, [handle, name]);
    return r ? toKit(r) : null;
  };
  const handleOwner = async (s: Sql, handle: string, lock = false) =>
    (await s.one<{ owner_key_id: number | null }>(`SELECT owner_key_id FROM kit_handles WHERE handle = $1${lock ? ' FOR UPDATE' : ''}`, [handle])) ?? null;
  const metas = async (s: Sql, kitId: number) => (await s.rows(`SELECT ${META_COLUMNS} FROM kit_versions v WHERE v.kit_id = $1 ORDER BY v.id`, [kitId])).map(toMeta);
  const versionWhere = async (s: Sql, where: string, args: unknown[]) => {
    const r = await s.one(`SELECT ${VERSION_COLUMNS} FROM kit_versions v WHERE ${where}`, args);
    return r ? toRecord(r) : null;
  };
  const tagsOf = (s: Sql, kitId: number) => s.rows<KitTagRow>(`${TAGS} ORDER BY t.name COLLATE "C"`, [kitId]);
  const tagOf = async (s: Sql, kitId: number, tag: string) => (await s.one<KitTagRow>(`${TAGS} AND t.name = $2`, [kitId, tag])) ?? null;
  const lockKit = (s: Sql, kitId: number) => s.exec('SELECT 1 FROM kits WHERE id = $1 FOR UPDATE', [kitId]);
  const touchKit = async (s: Sql, kitId: number, now: string) => {
    await s.exec('UPDATE kits SET updated_at = $1 WHERE id = $2', [now, kitId]);
    await bumpRevision(s);
  };

  return {
    kit: (handle, name) => findKit(sql, handle, name),
    handleOwner: (handle) => handleOwner(sql, handle),
    versions: (kitId) => metas(sql, kitId),
    version: (kitId, version) => versionWhere(sql, 'v.kit_id = $1 AND v.version = $2', [kitId, version]),
    tags: (kitId) => tagsOf(sql, kitId),
    files: (versionId) =>
      sql.rows<KitFileRow>('SELECT f.path, f.sha256, b.content FROM kit_files f JOIN kit_blobs b ON b.sha256 = f.sha256 WHERE f.version_id = $1 ORDER BY f.path COLLATE "C"', [versionId]),
    blob: async (sha256) => (await sql.one<{ content: string }>('SELECT content FROM kit_blobs WHERE sha256 = $1', [sha256]))?.content ?? null,
    list: async () =>
      (await sql.rows(`SELECT ${KIT_COLUMNS}, ${VERSION_COLUMNS}, v.search_text FROM ${KIT_FROM} JOIN kit_versions v ON v.id = ${SHOWN_VERSION}
        ORDER BY k.total_downloads DESC, k.handle COLLATE "C", k.name COLLATE "C"`))
        .map((r) => ({ kit: toKit(r), version: toRecord(r), search_text: r.search_text as string })),
    publish: (input, rules) =>
      write(async (s) => {
        const now = input.published_at;
        // The handle row, locked: two replicas claiming one new handle race on its primary key; the loser reads
        // the winner's claim and is authorized against it, as if it had come second on SQLite.
        let owner = await handleOwner(s, input.handle, true);
        rules.authorize(owner);
        if (!owner) {
          const claimed = await s.exec('INSERT INTO kit_handles (handle, owner_key_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (handle) DO NOTHING',
            [input.handle, input.publisher_key_id, now]);
          if (claimed === 0) {
            owner = await handleOwner(s, input.handle, true);
            rules.authorize(owner);
          }
        }
        await s.exec('INSERT INTO kits (handle, name, created_at, updated_at) VALUES ($1, $2, $3, $3) ON CONFLICT (handle, name) DO NOTHING',
          [input.handle, input.name, now]);
        const kit = await findKit(s, input.handle, input.name, true);
        if (!kit) throw new Error(`kit ${input.handle}/${input.name} vanished during publish`);
        const existing = (await metas(s, kit.id)).find((m) => m.version === input.version);
        if (existing) rules.conflict(existing);
        const blobs = new Map(input.files.map((f) => [f.sha256, f.content]));
        if (input.readme) blobs.set(input.readme.sha256, input.readme.content);
        for (const sha of [...blobs.keys()].sort()) {
          const content = blobs.get(sha) as string;
          await s.exec('INSERT INTO kit_blobs (sha256, size, content, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING',
            [sha, Buffer.byteLength(content, 'utf8'), content, now]);
        }
        const inserted = await s.one<{ id: number }>(`INSERT INTO kit_versions (kit_id, version, prerelease, published_at, publisher_key_id, readme_sha256, search_text, doc)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [kit.id, input.version, input.prerelease ? 1 : 0, now, input.publisher_key_id, input.readme?.sha256 ?? null, input.search_text, JSON.stringify(input.doc)]);
        const id = inserted?.id as number;
        for (const f of input.files) await s.exec('INSERT INTO kit_files (version_id, path, sha256) VALUES ($1, $2, $3)', [id, f.path, f.sha256]);
        const all = await metas(s, kit.id);
        const meta = all.find((m) => m.id === id) as KitVersionMeta;
        for (const tag of rules.tagsAfter(all, await tagsOf(s, kit.id), meta)) await s.exec(SET_TAG, [kit.id, tag, id, now]);
        await touchKit(s, kit.id, now);
        return { kit: (await findKit(s, input.handle, input.name))!, version: (await versionWhere(s, 'v.id = $1', [id]))! };
      }),
    moveTag: (kitId, tag, versionId, expected) =>
      write(async (s) => {
        await lockKit(s, kitId);
        const current = await tagOf(s, kitId, tag);
        if (expected !== undefined && (current?.version ?? null) !== expected) return { changed: false, current: current?.version ?? null, conflict: true };
        if (current?.version_id === versionId) return { changed: false, current: current.version, conflict: false };
        const now = new Date().toISOString();
        await s.exec(SET_TAG, [kitId, tag, versionId, now]);
        await touchKit(s, kitId, now);
        return { changed: true, current: current?.version ?? null, conflict: false };
      }),
    setStatus: (kitId, versionId, status, message, replacedBy, latestAfter) =>
      write(async (s) => {
        await lockKit(s, kitId);
        await s.exec('UPDATE kit_versions SET status = $1, status_message = $2, replaced_by = $3 WHERE id = $4', [status, message, replacedBy, versionId]);
        const now = new Date().toISOString();
        const current = await tagOf(s, kitId, 'latest');
        const next = latestAfter(await metas(s, kitId), current);
        if (next === null) await s.exec(`DELETE FROM kit_tags WHERE kit_id = $1 AND name = 'latest'`, [kitId]);
        else if (next.id !== current?.version_id) await s.exec(SET_TAG, [kitId, 'latest', next.id, now]);
        await touchKit(s, kitId, now);
      }),
    countDownload: (kitId, ci) =>
      write(async (s) => {
        // Atomic increments, so a download counts once whichever replica answers it.
        await s.exec('UPDATE kits SET total_downloads = total_downloads + 1, ci_downloads = ci_downloads + $1 WHERE id = $2', [ci ? 1 : 0, kitId]);
        await s.exec(`UPDATE registry_state SET value = value + 1 WHERE name = 'kit_downloads'`);
      }),
    revisionStamp: () => stamps.kitRevision(),
    countsStamp: () => stamps.kits(),
    stampsNow: stamps.now,
  };
}
