import type Database from 'better-sqlite3';
import type { VersionStatus } from '@iii-registry/schemas';
import type { Db } from './open';
import { apiSearchTextOf, parseApiSearchText } from './search-text';
import { createStamps, type StampsNow } from './stamps';
import { BUMP_REGISTRY, BUMP_WORKER, DISPLAY_VERSION_JOIN, META_COLUMNS, SUMMARY_COLUMNS, toMeta, toSummary, toVersion, toWorker, VERSION_COLUMNS, WORKER_COLUMNS, WORKER_FROM, writtenRecord } from './rows';
import { functionTextOf, summaryOf, type IndexRow, type ListFilter, type NewVersion, type PublishRules, type TagRow, type VersionMeta, type VersionRecord, type WorkerRow, type WorkerWithSummary } from './types';

type Row = Record<string, unknown>;

export interface TagMoveResult {
  changed: boolean;
  /** Where the tag pointed before. */
  current: string | null;
  conflict: false | 'current' | 'expected_tag';
  /** Where `expectedTag` points, when that check failed. */
  expectedTagAt?: string | null;
}

/** Workers, their versions and tags. Every multi-row write runs in one SQLite transaction. */
export interface WorkersRepository {
  findWorker(name: string): Promise<WorkerRow | null>;
  /** A cheap value that changes whenever anything shown about the worker changes (writes and downloads). */
  stamp(name: string): Promise<string | null>;
  /** The worker's revision (bumped by every write to it), or null when it does not exist. */
  revision(name: string): Promise<string | null>;
  /** Changes whenever any worker is written (not on downloads). */
  catalogStamp(): Promise<string>;
  /** Changes on every write and every download: what a list page shows. */
  listStamp(): Promise<string>;
  /** The four stamps above when known without waiting (SQLite: always; PostgreSQL: memoized), for cache hits. */
  readonly stampsNow: Pick<StampsNow, 'worker' | 'revision' | 'catalog' | 'list'>;
  versions(workerId: number): Promise<VersionMeta[]>;
  getVersion(workerId: number, version: string): Promise<VersionRecord | null>;
  tags(workerId: number): Promise<TagRow[]>;
  displayMany(names: string[]): Promise<WorkerWithSummary[]>;
  listPage(filter: ListFilter): Promise<WorkerWithSummary[]>;
  /** Every worker's shown version, slimmed to what search and llms.txt need. */
  indexRows(names?: string[]): Promise<IndexRow[]>;
  recent(limit: number, name?: string): Promise<{ name: string; version: string; doc_description: string; published_at: string }[]>;
  publish(input: NewVersion, rules: PublishRules): Promise<VersionRecord>;
  /**
   * Compare-and-swap of one tag. A move to where the tag already points is no change and no conflict; otherwise
   * `expectedTag` must point at the version (else conflict 'expected_tag') and `expected` at the tag (else 'current').
   */
  moveTag(workerId: number, tag: string, versionId: number, expected: string | null | undefined, expectedTag?: string): Promise<TagMoveResult>;
  setStatus(workerId: number, versionId: number, status: VersionStatus, message: string | null, latestAfter: (versions: VersionMeta[], current: TagRow | null) => VersionMeta | null): Promise<void>;
  countDownload(workerId: number, ci: boolean): Promise<void>;
}

/**
 * The search text stored at publish; for rows stored in the older plain-text form, the API read from the document
 * instead (one JSON array [functions, triggers, registered_triggers]: SQLite parses the document once).
 */
const INDEX_API = `v.fn_text, CASE WHEN substr(v.fn_text, 1, 1) = '{' THEN NULL
  ELSE json_extract(v.doc, '$.functions', '$.triggers', '$.registered_triggers') END AS api`;

function apiOf(fnText: string, api: string | null): IndexRow['api'] {
  const stored = parseApiSearchText(fnText);
  if (stored) return stored;
  const [functions, triggers, registered] = api ? (JSON.parse(api) as unknown[]) : [];
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  return apiSearchTextOf({ functions: list(functions), triggers: list(triggers), registered_triggers: list(registered) });
}

export function createWorkersRepository(db: Db): WorkersRepository {
  const stamps = createStamps(db);
  const selSummary = `SELECT ${WORKER_COLUMNS}, ${SUMMARY_COLUMNS} FROM ${WORKER_FROM} ${DISPLAY_VERSION_JOIN}`;
  const q = {
    worker: db.prepare(`SELECT ${WORKER_COLUMNS} FROM ${WORKER_FROM} WHERE w.name = ?`),
    bumpRegistry: db.prepare(BUMP_REGISTRY),
    countDownloads: db.prepare(`UPDATE registry_state SET value = value + 1 WHERE name = 'downloads'`),
    versions: db.prepare(`SELECT ${META_COLUMNS} FROM versions v WHERE v.worker_id = ? ORDER BY v.id`),
    version: db.prepare(`SELECT ${VERSION_COLUMNS} FROM versions v WHERE v.worker_id = ? AND v.version = ?`),
    tags: db.prepare('SELECT t.name, v.version, t.version_id FROM tags t JOIN versions v ON v.id = t.version_id WHERE t.worker_id = ? ORDER BY t.name'),
    indexRows: db.prepare(`SELECT w.name, w.updated_at, v.type, v.version, v.summary, ${INDEX_API} FROM workers w ${DISPLAY_VERSION_JOIN} ORDER BY w.name`),
    indexRow: db.prepare(`SELECT w.name, w.updated_at, v.type, v.version, v.summary, ${INDEX_API} FROM workers w ${DISPLAY_VERSION_JOIN} WHERE w.name = ?`),
    recent: db.prepare(`SELECT w.name, v.version, json_extract(v.doc, '$.description') AS doc_description, v.published_at
      FROM versions v JOIN workers w ON w.id = v.worker_id WHERE v.status != 'yanked' ORDER BY v.published_at DESC, v.id DESC LIMIT ?`),
    recentOf: db.prepare(`SELECT w.name, v.version, json_extract(v.doc, '$.description') AS doc_description, v.published_at
      FROM versions v JOIN workers w ON w.id = v.worker_id WHERE w.name = ? ORDER BY v.published_at DESC, v.id DESC LIMIT ?`),
    insertWorker: db.prepare('INSERT INTO workers (name, owner_key_id, created_at, updated_at) VALUES (?, ?, ?, ?)'),
    touchWorker: db.prepare(BUMP_WORKER),
    insertVersion: db.prepare(`INSERT INTO versions (worker_id, version, prerelease, type, status, published_at, publisher_key_id, content_hash, doc, summary, fn_text)
      VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?) RETURNING id`),
    tag: db.prepare('SELECT t.name, v.version, t.version_id FROM tags t JOIN versions v ON v.id = t.version_id WHERE t.worker_id = ? AND t.name = ?'),
    setTag: db.prepare(`INSERT INTO tags (worker_id, name, version_id, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (worker_id, name) DO UPDATE SET version_id = excluded.version_id, updated_at = excluded.updated_at`),
    dropTag: db.prepare('DELETE FROM tags WHERE worker_id = ? AND name = ?'),
    setStatus: db.prepare('UPDATE versions SET status = ?, status_message = ? WHERE id = ?'),
    download: db.prepare('UPDATE workers SET total_downloads = total_downloads + 1, ci_downloads = ci_downloads + ? WHERE id = ?'),
    // Download counts commit without an fsync of their own; the next FULL commit or checkpoint makes them durable.
    relaxed: db.prepare('PRAGMA synchronous = NORMAL'),
    durable: db.prepare('PRAGMA synchronous = FULL'),
  };
  const touch = (now: string, workerId: number) => {
    q.touchWorker.run(now, workerId);
    q.bumpRegistry.run();
  };
  const withSummary = (r: Row): WorkerWithSummary => ({ worker: toWorker(r), version: toSummary(r) });
  const manyStatements = new Map<number, Database.Statement<unknown[]>>();
  const tagsOf = (workerId: number) => q.tags.all(workerId) as TagRow[];
  const metas = (workerId: number) => (q.versions.all(workerId) as Row[]).map(toMeta);

  const publishTx = db.transaction((input: NewVersion, rules: PublishRules): VersionRecord => {
    const found = q.worker.get(input.name) as Row | undefined;
    const worker = found ? toWorker(found) : null;
    rules.authorize(worker);
    const now = input.published_at;
    const workerId = worker?.id ?? Number(q.insertWorker.run(input.name, input.publisher_key_id, now, now).lastInsertRowid);
    const existing = worker ? (q.version.get(worker.id, input.version) as Row | undefined) : undefined;
    if (existing) rules.conflict(toVersion(existing));
    const { id } = q.insertVersion.get(workerId, input.version, input.prerelease ? 1 : 0, input.type, now,
      input.publisher_key_id, input.content_hash, input.doc_json, JSON.stringify(summaryOf(input.doc)), functionTextOf(input.doc)) as { id: number };
    const all = metas(workerId);
    const inserted = all.find((m) => m.id === id) as VersionMeta;
    for (const tag of rules.tagsAfter(all, tagsOf(workerId), inserted)) q.setTag.run(workerId, tag, id, now);
    touch(now, workerId);
    return writtenRecord(inserted, workerId, input);
  });

  /**
   * Group commit: publishes that arrive in the same event-loop turn (concurrent clients) share one transaction and so
   * one COMMIT, which with synchronous=FULL is one WAL fsync for all of them. Each runs in its own savepoint
   * (better-sqlite3 nests transaction functions as savepoints), so a refused publish (403, 409, a failed statement)
   * rolls back only itself. Nobody is answered before the COMMIT returned; if it fails, every publish in the batch
   * fails and none is stored. A lone publish waits for one event-loop turn.
   */
  type Queued = { input: NewVersion; rules: PublishRules; resolve: (v: VersionRecord) => void; reject: (e: unknown) => void };
  type Outcome = { ok: true; record: VersionRecord } | { ok: false; error: unknown };
  let queued: Queued[] = [];
  const publishBatchTx = db.transaction((items: Queued[]): Outcome[] =>
    items.map((item): Outcome => {
      try {
        return { ok: true, record: publishTx(item.input, item.rules) };
      } catch (error) {
        // SQLite ends the whole transaction on some errors (disk full, I/O): then nothing of the batch may commit.
        if (!db.inTransaction) throw error;
        return { ok: false, error };
      }
    }));
  const flushPublishes = () => {
    const items = queued;
    queued = [];
    let outcomes: Outcome[];
    try {
      outcomes = publishBatchTx.immediate(items);
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    }
    items.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) item.resolve(outcome.record);
      else item.reject(outcome.error);
    });
  };

  const countDownloadTx = db.transaction((workerId: number, ci: boolean) => {
    q.download.run(ci ? 1 : 0, workerId);
    q.countDownloads.run();
  });

  const moveTagTx = db.transaction((workerId: number, tag: string, versionId: number, expected: string | null | undefined, expectedTag: string | undefined): TagMoveResult => {
    const current = (q.tag.get(workerId, tag) as TagRow | undefined) ?? null;
    if (current?.version_id === versionId) return { changed: false, current: current.version, conflict: false };
    if (expectedTag !== undefined) {
      const other = (q.tag.get(workerId, expectedTag) as TagRow | undefined) ?? null;
      if (other?.version_id !== versionId)
        return { changed: false, current: current?.version ?? null, conflict: 'expected_tag', expectedTagAt: other?.version ?? null };
    }
    if (expected !== undefined && (current?.version ?? null) !== expected)
      return { changed: false, current: current?.version ?? null, conflict: 'current' };
    const now = new Date().toISOString();
    q.setTag.run(workerId, tag, versionId, now);
    touch(now, workerId);
    return { changed: true, current: current?.version ?? null, conflict: false };
  });

  const statusTx = db.transaction((workerId: number, versionId: number, status: VersionStatus, message: string | null,
    latestAfter: (versions: VersionMeta[], current: TagRow | null) => VersionMeta | null) => {
    q.setStatus.run(status, message, versionId);
    const now = new Date().toISOString();
    const current = (q.tag.get(workerId, 'latest') as TagRow | undefined) ?? null;
    const next = latestAfter(metas(workerId), current);
    if (next === null) q.dropTag.run(workerId, 'latest');
    else if (next.id !== current?.version_id) q.setTag.run(workerId, 'latest', next.id, now);
    touch(now, workerId);
  });

  return {
    async findWorker(name) {
      const r = q.worker.get(name) as Row | undefined;
      return r ? toWorker(r) : null;
    },
    async stamp(name) {
      return stamps.worker(name);
    },
    async revision(name) {
      return stamps.revision(name);
    },
    async listStamp() {
      return stamps.list();
    },
    stampsNow: stamps,
    async catalogStamp() {
      return stamps.catalog();
    },
    async versions(workerId) {
      return metas(workerId);
    },
    async getVersion(workerId, version) {
      const r = q.version.get(workerId, version) as Row | undefined;
      return r ? toVersion(r) : null;
    },
    async tags(workerId) {
      return tagsOf(workerId);
    },
    async displayMany(names) {
      if (names.length === 0) return [];
      let stmt = manyStatements.get(names.length);
      if (!stmt) {
        stmt = db.prepare(`${selSummary} WHERE w.name IN (${names.map(() => '?').join(',')})`);
        manyStatements.set(names.length, stmt);
      }
      const byName = new Map((stmt.all(...names) as Row[]).map((r) => [r.w_name as string, withSummary(r)]));
      return names.flatMap((n) => byName.get(n) ?? []);
    },
    async listPage(f) {
      const where: string[] = [];
      const args: unknown[] = [];
      if (f.after) {
        where.push('(w.total_downloads < ? OR (w.total_downloads = ? AND w.name > ?))');
        args.push(f.after.downloads, f.after.downloads, f.after.name);
      }
      const filter = (clause: string, value: unknown) => {
        where.push(clause);
        args.push(value);
      };
      if (f.updatedSince) filter('w.updated_at >= ?', f.updatedSince);
      if (f.type) filter('v.type = ?', f.type);
      if (f.tag) filter(`EXISTS (SELECT 1 FROM json_each(v.summary, '$.tags') j WHERE j.value = ?)`, f.tag);
      const sql = `${selSummary} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY w.total_downloads DESC, w.name ASC LIMIT ?`;
      return (db.prepare(sql).all(...args, f.limit) as Row[]).map(withSummary);
    },
    async indexRows(names) {
      const rows = (names === undefined ? q.indexRows.all() : names.flatMap((n) => q.indexRow.all(n))) as Row[];
      return rows.map((r) => ({ name: r.name as string, type: r.type as IndexRow['type'], version: r.version as string,
        updated_at: r.updated_at as string, summary: JSON.parse(r.summary as string), api: apiOf(r.fn_text as string, r.api as string | null) }));
    },
    async recent(limit, name) {
      type R = { name: string; version: string; doc_description: string; published_at: string };
      return (name === undefined ? q.recent.all(limit) : q.recentOf.all(name, limit)) as R[];
    },
    publish(input, rules) {
      return new Promise<VersionRecord>((resolve, reject) => {
        queued.push({ input, rules, resolve, reject });
        if (queued.length === 1) setImmediate(flushPublishes);
      });
    },
    async moveTag(workerId, tag, versionId, expected, expectedTag) {
      return moveTagTx.immediate(workerId, tag, versionId, expected, expectedTag);
    },
    async setStatus(workerId, versionId, status, message, latestAfter) {
      statusTx.immediate(workerId, versionId, status, message, latestAfter);
    },
    async countDownload(workerId, ci) {
      q.relaxed.run();
      try {
        countDownloadTx(workerId, ci);
      } finally {
        q.durable.run();
      }
    },
  };
}
