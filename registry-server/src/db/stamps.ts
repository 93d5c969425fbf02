import type { Statement } from 'better-sqlite3';
import type { Db } from './open';

/**
 * Cache stamps without a query per request. Stamps are re-read only after this connection wrote
 * (`total_changes()`, checked on every call, 0.05 µs) or another connection committed (`data_version`, 0.7 µs,
 * checked at most once a millisecond: another process's write shows here within a millisecond).
 */
export interface Stamps {
  /** revision/downloads/ci of a worker (what its detail shows), or null when it does not exist. */
  worker(name: string): string | null;
  /** The worker's revision alone (what its agent document shows), or null. */
  revision(name: string): string | null;
  /** Changes with every write to any worker. */
  catalog(): string;
  /** Changes with every write and every download. */
  list(): string;
  /** The kit revision (bumped by every kit write) alone. */
  kitRevision(): string;
  /** The kit revision and the kit download counter. */
  kits(): string;
}

/**
 * The same stamps when they are known without waiting: SQLite always (its `Stamps` satisfy this), PostgreSQL when
 * memoized. `undefined` means "not known now: take the async path". The hot reads (routes/prepared.ts) answer
 * a cache hit synchronously with these.
 */
export interface StampsNow {
  worker(name: string): string | null | undefined;
  revision(name: string): string | null | undefined;
  catalog(): string | undefined;
  list(): string | undefined;
  kitRevision(): string | undefined;
  kits(): string | undefined;
}

export function createStamps(db: Db, maxMemo = 20_000): Stamps {
  const ownWrites = db.prepare('SELECT total_changes()').pluck();
  const otherWrites = db.prepare('PRAGMA data_version').pluck();
  const worker = db.prepare(`SELECT revision || '/' || total_downloads || '/' || ci_downloads FROM workers WHERE name = ?`).pluck();
  const revision = db.prepare('SELECT revision FROM workers WHERE name = ?').pluck();
  const catalog = db.prepare(`SELECT value FROM registry_state WHERE name = 'revision'`).pluck();
  const list = db.prepare(`SELECT group_concat(value, '/') FROM (SELECT value FROM registry_state WHERE name IN ('downloads', 'revision') ORDER BY name)`).pluck();
  const kitRevision = db.prepare(`SELECT value FROM registry_state WHERE name = 'kits'`).pluck();
  const kits = db.prepare(`SELECT group_concat(value, '/') FROM (SELECT value FROM registry_state WHERE name IN ('kit_downloads', 'kits') ORDER BY name)`).pluck();
  // One memo per kind (keyed by worker name, or the scalar's name): no key concatenation or closure per read.
  const memos = { worker: new Map<string, string | null>(), revision: new Map<string, string | null>(), state: new Map<string, string | null>() };
  let own: unknown;
  let other: unknown;
  let otherCheckedAt = -Infinity;

  const cached = (memo: Map<string, string | null>, key: string, statement: Statement, arg?: string): string | null => {
    const ownNow = ownWrites.get();
    const t = performance.now();
    let otherNow = other;
    if (t - otherCheckedAt >= 1) {
      otherNow = otherWrites.get();
      otherCheckedAt = t;
    }
    if (ownNow !== own || otherNow !== other || memos.worker.size + memos.revision.size > maxMemo) {
      memos.worker.clear();
      memos.revision.clear();
      memos.state.clear();
      own = ownNow;
      other = otherNow;
    }
    let value = memo.get(key);
    if (value === undefined) {
      const raw = arg === undefined ? statement.get() : statement.get(arg);
      value = raw === undefined || raw === null ? null : String(raw);
      memo.set(key, value);
    }
    return value;
  };

  return {
    worker: (name) => cached(memos.worker, name, worker, name),
    revision: (name) => cached(memos.revision, name, revision, name),
    catalog: () => cached(memos.state, 'catalog', catalog) as string,
    list: () => cached(memos.state, 'list', list) as string,
    kitRevision: () => cached(memos.state, 'kit', kitRevision) as string,
    kits: () => cached(memos.state, 'kits', kits) as string,
  };
}
