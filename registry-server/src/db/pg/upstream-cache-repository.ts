import type pg from 'pg';
import type { UpstreamCacheEntry, UpstreamCacheRepository } from '../upstream-cache-repository';
import { poolSql } from './sql';

/** The upstream proxy's cache in PostgreSQL: shared by every replica, so one fetch serves them all. */
export function createPgUpstreamCacheRepository(pool: pg.Pool): UpstreamCacheRepository {
  const sql = poolSql(pool);
  return {
    async get(key) {
      return (await sql.one<UpstreamCacheEntry>('SELECT status, body, etag, fetched_at FROM upstream_cache WHERE key = $1', [key])) ?? null;
    },
    async put(key, e) {
      await sql.exec(`INSERT INTO upstream_cache (key, status, body, etag, fetched_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (key) DO UPDATE SET status = excluded.status, body = excluded.body, etag = excluded.etag, fetched_at = excluded.fetched_at`,
      [key, e.status, e.body, e.etag, e.fetched_at]);
    },
    async touch(key, fetchedAt) {
      await sql.exec('UPDATE upstream_cache SET fetched_at = $1 WHERE key = $2', [fetchedAt, key]);
    },
  };
}
