import type pg from 'pg';
import { DISPLAY_VERSION_JOIN, META_COLUMNS, SUMMARY_COLUMNS, toMeta, toSummary, toVersion, toWorker, VERSION_COLUMNS, WORKER_COLUMNS, WORKER_FROM, writtenRecord } from '../rows';
import { functionTextOf, summaryOf, type IndexRow, type TagRow, type VersionMeta, type WorkerWithSummary } from '../types';
import { apiSearchTextOf, parseApiSearchText } from '../search-text';
import type { TagMoveResult, WorkersRepository } from '../workers-repository';
import { readmeColumns } from './readme-text';
import type { PgStamps } from './stamps';
import { CHANGES_CHANNEL } from './stamps';
import { poolSql, transaction, type Row, type Sql } from './sql';

const SEL_SUMMARY = `SELECT ${WORKER_COLUMNS}, ${SUMMARY_COLUMNS} FROM ${WORKER_FROM} ${DISPLAY_VERSION_JOIN}`;
const TAGS = 'SELECT t.name, v.version, t.version_id FROM tags t JOIN versions v ON v.id = t.version_id WHERE t.worker_id = $1';
const SET_TAG = `INSERT INTO tags (worker_id, name, version_id, updated_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (worker_id, name) DO UPDATE SET version_id = excluded.version_id, updated_at = excluded.updated_at`;
/** As in SQLite: the document only for rows whose fn_text is in the older plain-text form (copied from SQLite). */
const INDEX_ROW = `SELECT w.name, w.updated_at, v.type, v.version, v.summary, v.fn_text,
  CASE WHEN left(v.fn_text, 1) = '{' THEN NULL ELSE v.doc END AS doc FROM workers w ${DISPLAY_VERSION_JOIN}`;

/** The search text stored at publish (search-text.ts), or for an older plain-text row the API read from the document. */
function apiOf(fnText: string, doc: string | null): IndexRow['api'] {
  const stored = parseApiSearchText(fnText);
  if (stored) return stored;
  const d = (doc ? JSON.parse(doc) : {}) as Record<string, unknown>;
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  return apiSearchTextOf({ functions: list(d.functions), triggers: list(d.triggers), registered_triggers: list(d.registered_triggers) });
}

/**
 * Every write to a worker: bump the registry revision (its row lock orders all writers, so change_seq commits in
 * sequence), stamp the worker with it, and notify the other replicas (delivered at commit, dropped on rollback).
 */
export async function touchWorker(sql: Sql, workerId: number, now: string): Promise<void> {
  // One statement, one round trip: data-modifying CTEs always run, and the worker's UPDATE reads the bumped value.
  await sql.exec(`WITH bumped AS (UPDATE registry_state SET value = value + 1 WHERE name = 'revision' RETURNING value),
      stamped AS (UPDATE workers SET updated_at = $1, revision = revision + 1, change_seq = (SELECT value FROM bumped) WHERE id = $2)
    SELECT pg_notify('${CHANGES_CHANNEL}', (SELECT value FROM bumped)::text)`, [now, workerId]);
}

/** The worker row locked for the rest of the transaction: every writer of one worker queues here, on any replica. */
export const lockWorker = (sql: Sql, workerId: number) => sql.exec('SELECT 1 FROM workers WHERE id = $1 FOR UPDATE', [workerId]);

export function createPgWorkersRepository(pool: pg.Pool, stamps: PgStamps): WorkersRepository {
  const sql = poolSql(pool);
  const withSummary = (r: Row): WorkerWithSummary => ({ worker: toWorker(r), version: toSummary(r) });
  const tagsOf = async (s: Sql, workerId: number) => s.rows<TagRow>(`${TAGS} ORDER BY t.name`, [workerId]);
  const metas = async (s: Sql, workerId: number) => (await s.rows(`SELECT ${META_COLUMNS} FROM versions v WHERE v.worker_id = $1 ORDER BY v.id`, [workerId])).map(toMeta);
  const findWorker = async (s: Sql, name: string, lock = false) => {
    const r = await s.one(`SELECT ${WORKER_COLUMNS} FROM ${WORKER_FROM} WHERE w.name = $1${lock ? ' FOR UPDATE OF w' : ''}`, [name]);
    return r ? toWorker(r) : null;
  };
  const getVersion = async (s: Sql, workerId: number, version: string) => {
    const r = await s.one(`SELECT ${VERSION_COLUMNS} FROM versions v WHERE v.worker_id = $1 AND v.version = $2`, [workerId, version]);
    return r ? toVersion(r) : null;
  };
  const write = async <T>(fn: (s: Sql) => Promise<T>): Promise<T> => {
    try {
      return await transaction(pool, fn);
    } finally {
      stamps.invalidate();
    }
  };

  return {
    findWorker: (name) => findWorker(sql, name),
    stamp: (name) => stamps.worker(name),
    revision: (name) => stamps.revision(name),
    listStamp: () => stamps.list(),
    catalogStamp: () => stamps.catalog(),
    stampsNow: stamps.now,
    versions: (workerId) => metas(sql, workerId),
    getVersion: (workerId, version) => getVersion(sql, workerId, version),
    tags: (workerId) => tagsOf(sql, workerId),
    async displayMany(names) {
      if (names.length === 0) return [];
      const rows = await sql.rows(`${SEL_SUMMARY} WHERE w.name = ANY($1::text[])`, [names]);
      const byName = new Map(rows.map((r) => [r.w_name as string, withSummary(r)]));
      return names.flatMap((n) => byName.get(n) ?? []);
    },
    async listPage(f) {
      const where: string[] = [];
      const args: unknown[] = [];
      const arg = (v: unknown) => `$${args.push(v)}`;
      if (f.after) {
        const d = arg(f.after.downloads);
        where.push(`(w.total_downloads < ${d} OR (w.total_downloads = ${d} AND w.name > ${arg(f.after.name)}))`);
      }
      if (f.updatedSince) where.push(`w.updated_at >= ${arg(f.updatedSince)}`);
      if (f.type) where.push(`v.type = ${arg(f.type)}`);
      // jsonb refuses the \u0000 escape a stored description may hold: spell it \ufffd for this filter only.
      if (f.tag) where.push(`(replace(v.summary, '\\u0000', '\\ufffd')::jsonb -> 'tags') ? ${arg(f.tag)}`);
      // COLLATE "C": names compare by bytes, as in SQLite, so cursors page identically on both backends.
      const text = `${SEL_SUMMARY} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY w.total_downloads DESC, w.name COLLATE "C" ASC LIMIT ${arg(f.limit)}`;
      return (await sql.rows(text, args)).map(withSummary);
    },
    async indexRows(names) {
      const rows = names === undefined
        ? await sql.rows(`${INDEX_ROW} ORDER BY w.name COLLATE "C"`)
        : await sql.rows(`${INDEX_ROW} WHERE w.name = ANY($1::text[])`, [names]);
      return rows.map((r) => ({ name: r.name as string, type: r.type as IndexRow['type'], version: r.version as string,
        updated_at: r.updated_at as string, summary: JSON.parse(r.summary as string), api: apiOf(r.fn_text as string, r.doc as string | null) }));
    },
    async recent(limit, name) {
      // The description comes from the summary text, parsed here: jsonb refuses the \u0000 escape a stored text may hold.
      const cols = 'w.name, v.version, v.summary, v.published_at FROM versions v JOIN workers w ON w.id = v.worker_id';
      const rows = name === undefined
        ? await sql.rows(`SELECT ${cols} WHERE v.status != 'yanked' ORDER BY v.published_at DESC, v.id DESC LIMIT $1`, [limit])
        : await sql.rows(`SELECT ${cols} WHERE w.name = $1 ORDER BY v.published_at DESC, v.id DESC LIMIT $2`, [name, limit]);
      return rows.map((r) => ({ name: r.name as string, version: r.version as string, published_at: r.published_at as string,
        doc_description: (JSON.parse(r.summary as string) as { description?: string }).description ?? '' }));
    },
    publish: (input, rules) =>
      write(async (s) => {
        const now = input.published_at;
        let worker = await findWorker(s, input.name, true);
        if (!worker) {
          // Replicas racing to create one worker: the unique name lets one insert win; the others lock its row.
          await s.exec('INSERT INTO workers (name, owner_key_id, created_at, updated_at) VALUES ($1, $2, $3, $3) ON CONFLICT (name) DO NOTHING',
            [input.name, input.publisher_key_id, now]);
          worker = await findWorker(s, input.name, true);
          if (!worker) throw new Error(`worker ${input.name} vanished during publish`);
          if (worker.owner_key_id !== input.publisher_key_id) rules.authorize(worker);
        } else rules.authorize(worker);
        const existing = await getVersion(s, worker.id, input.version);
        if (existing) rules.conflict(existing);
        const readme = readmeColumns(input.doc.readme);
        const inserted = await s.one<{ id: number }>(`INSERT INTO versions (worker_id, version, prerelease, type, status, published_at, publisher_key_id,
            content_hash, doc, summary, fn_text, readme_tsv, readme_len)
          VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $8, $9, $10, $11::tsvector, $12) RETURNING id`,
        [worker.id, input.version, input.prerelease ? 1 : 0, input.type, now, input.publisher_key_id, input.content_hash,
          input.doc_json, JSON.stringify(summaryOf(input.doc)), functionTextOf(input.doc), readme.tsv, readme.length]);
        const id = inserted?.id as number;
        const all = await metas(s, worker.id);
        const meta = all.find((m) => m.id === id) as VersionMeta;
        for (const tag of rules.tagsAfter(all, await tagsOf(s, worker.id), meta)) await s.exec(SET_TAG, [worker.id, tag, id, now]);
        await touchWorker(s, worker.id, now);
        return writtenRecord(meta, worker.id, input);
      }),
    moveTag: (workerId, tag, versionId, expected, expectedTag) =>
      write(async (s): Promise<TagMoveResult> => {
        await lockWorker(s, workerId);
        const current = (await s.one<TagRow>(`${TAGS} AND t.name = $2`, [workerId, tag])) ?? null;
        if (current?.version_id === versionId) return { changed: false, current: current.version, conflict: false };
        if (expectedTag !== undefined) {
          const other = (await s.one<TagRow>(`${TAGS} AND t.name = $2`, [workerId, expectedTag])) ?? null;
          if (other?.version_id !== versionId)
            return { changed: false, current: current?.version ?? null, conflict: 'expected_tag', expectedTagAt: other?.version ?? null };
        }
        if (expected !== undefined && (current?.version ?? null) !== expected)
          return { changed: false, current: current?.version ?? null, conflict: 'current' };
        const now = new Date().toISOString();
        await s.exec(SET_TAG, [workerId, tag, versionId, now]);
        await touchWorker(s, workerId, now);
        return { changed: true, current: current?.version ?? null, conflict: false };
      }),
    setStatus: (workerId, versionId, status, message, latestAfter) =>
      write(async (s) => {
        await lockWorker(s, workerId);
        await s.exec('UPDATE versions SET status = $1, status_message = $2 WHERE id = $3', [status, message, versionId]);
        const now = new Date().toISOString();
        const current = (await s.one<TagRow>(`${TAGS} AND t.name = 'latest'`, [workerId])) ?? null;
        const next = latestAfter(await metas(s, workerId), current);
        if (next === null) await s.exec(`DELETE FROM tags WHERE worker_id = $1 AND name = 'latest'`, [workerId]);
        else if (next.id !== current?.version_id) await s.exec(SET_TAG, [workerId, 'latest', next.id, now]);
        await touchWorker(s, workerId, now);
      }),
    countDownload: (workerId, ci) =>
      write(async (s) => {
        // One UPDATE per counter: atomic increments, so a download counts once whichever replica answers it.
        await s.exec('UPDATE workers SET total_downloads = total_downloads + 1, ci_downloads = ci_downloads + $1 WHERE id = $2', [ci ? 1 : 0, workerId]);
        // No notification: counters are not worth waking every replica; the followers' poll shows them within pollMs.
        await s.exec(`UPDATE registry_state SET value = value + 1 WHERE name = 'downloads'`);
      }),
  };
}
