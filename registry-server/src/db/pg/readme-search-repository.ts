import type pg from 'pg';
import type { ReadmeSearchRepository } from '../readme-search-repository';
import { poolSql } from './sql';

/**
 * README full text in PostgreSQL: each version carries its README as a `tsvector` (config 'simple': lower-cased
 * words, no stemming, like SQLite's unicode61), written in the publish transaction and GIN-indexed. Search covers
 * the version each worker shows, so there is nothing to keep in step: `set` and `repair` have no work to do.
 * Same behaviour as FTS5: every word must occur, as a prefix; best match first (ts_rank_cd, then name).
 */
export function createPgReadmeSearchRepository(pool: pg.Pool): ReadmeSearchRepository {
  const sql = poolSql(pool);
  return {
    async set() {},
    async repair() {
      return false;
    },
    async search(terms, limit) {
      const words = terms.map((t) => t.replace(/[^\p{L}\p{N}]/gu, '')).filter((t) => t.length > 0);
      if (words.length === 0) return [];
      const rows = await sql.rows<{ name: string }>(`SELECT w.name FROM versions v JOIN workers w ON w.id = v.worker_id,
          to_tsquery('simple', $1) AS q
        WHERE v.readme_tsv @@ q AND v.id = COALESCE(
          (SELECT t.version_id FROM tags t WHERE t.worker_id = w.id AND t.name = 'latest'),
          (SELECT v2.id FROM versions v2 WHERE v2.worker_id = w.id ORDER BY v2.id DESC LIMIT 1))
        ORDER BY ts_rank_cd(v.readme_tsv, q) DESC, w.name COLLATE "C" LIMIT $2`, [words.map((w) => `${w}:*`).join(' & '), limit]);
      return rows.map((r) => r.name);
    },
  };
}
