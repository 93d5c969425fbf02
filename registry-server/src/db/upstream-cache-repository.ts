import type { Db } from './open';

/** One cached upstream answer: its status (200, 204 or 404), the validated body, its ETag, when it was fetched. */
export interface UpstreamCacheEntry {
  status: number;
  body: string;
  etag: string | null;
  fetched_at: number;
}

/** The upstream proxy's cache, kept in the registry's own store so it survives restarts and upstream outages. */
export interface UpstreamCacheRepository {
  get(key: string): Promise<UpstreamCacheEntry | null>;
  put(key: string, entry: UpstreamCacheEntry): Promise<void>;
  /** A 304 from the upstream: the stored body is current again. */
  touch(key: string, fetchedAt: number): Promise<void>;
}

export function createUpstreamCacheRepository(db: Db): UpstreamCacheRepository {
  const get = db.prepare('SELECT status, body, etag, fetched_at FROM upstream_cache WHERE key = ?');
  const put = db.prepare(`INSERT INTO upstream_cache (key, status, body, etag, fetched_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET status = excluded.status, body = excluded.body, etag = excluded.etag, fetched_at = excluded.fetched_at`);
  const touch = db.prepare('UPDATE upstream_cache SET fetched_at = ? WHERE key = ?');
  return {
    async get(key) {
      return (get.get(key) as UpstreamCacheEntry | undefined) ?? null;
    },
    async put(key, e) {
      put.run(key, e.status, e.body, e.etag, e.fetched_at);
    },
    async touch(key, fetchedAt) {
      touch.run(fetchedAt, key);
    },
  };
}
