import type { Db } from './open';

/**
 * Cache stamps without a query per request. A probe of this connection's own writes (`total_changes()`) and other
 * connections' commits (`data_version`) costs about a microsecond; stamps are re-read only after it moves.
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
}

export function createStamps(db: Db, maxMemo = 20_000): Stamps {
  const probe = db.prepare(`SELECT total_changes() || '/' || (SELECT data_version FROM pragma_data_version())`).pluck();
  const worker = db.prepare(`SELECT revision || '/' || total_downloads || '/' || ci_downloads FROM workers WHERE name = ?`).pluck();
  const revision = db.prepare('SELECT revision FROM workers WHERE name = ?').pluck();
  const catalog = db.prepare(`SELECT value FROM registry_state WHERE name = 'revision'`).pluck();
  const list = db.prepare(`SELECT group_concat(value, '/') FROM (SELECT value FROM registry_state ORDER BY name)`).pluck();
  const memo = new Map<string, string | null>();
  let seen: unknown;

  const cached = (key: string, read: () => unknown): string | null => {
    const now = probe.get();
    if (now !== seen || memo.size > maxMemo) {
      memo.clear();
      seen = now;
    }
    let value = memo.get(key);
    if (value === undefined) {
      const raw = read();
      value = raw === undefined || raw === null ? null : String(raw);
      memo.set(key, value);
    }
    return value;
  };

  return {
    worker: (name) => cached(`w\u0000${name}`, () => worker.get(name)),
    revision: (name) => cached(`r\u0000${name}`, () => revision.get(name)),
    catalog: () => cached('catalog', () => catalog.get()) as string,
    list: () => cached('list', () => list.get()) as string,
  };
}
