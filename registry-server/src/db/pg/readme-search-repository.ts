import type pg from 'pg';
import type { ReadmeSearchRepository } from '../readme-search-repository';
import { readmeQueryTerms } from './readme-text';
import { poolSql } from './sql';

/** The version each worker shows (its latest tag, else its newest version), as in db/rows.ts. */
const SHOWN = (w: string) => `COALESCE(
  (SELECT t.version_id FROM tags t WHERE t.worker_id = ${w}.id AND t.name = 'latest'),
  (SELECT v2.id FROM versions v2 WHERE v2.worker_id = ${w}.id ORDER BY v2.id DESC LIMIT 1))`;

/** READMEs shown by a worker that hold every term of the tsquery $1. */
const MATCHING = `SELECT w.id, w.name, v.readme_tsv, v.readme_len FROM versions v JOIN workers w ON w.id = v.worker_id
  WHERE v.readme_tsv @@ $1::tsquery AND v.id = ${SHOWN('w')}`;

/**
 * README full text in PostgreSQL, matched and ranked like SQLite FTS5 with `tokenize='porter unicode61'`. Each
 * version stores its README's Porter-stemmed words (readme-text.ts) as a GIN-indexed tsvector plus its length in
 * words, written in the publish transaction, so the index always agrees with the data (`repair` has no work). A
 * query keeps FTS5's rules: every stemmed word must occur exactly (AND), over the README of the version each worker
 * shows; more than `maxMatches` matching READMEs answer [] unranked; the score is FTS5's bm25 (k1 1.2, b 0.75, idf
 * floored at 1e-6), ties by worker id as FTS5's rowid order. Known difference: a tsvector keeps at most 256
 * positions per word, so counts above 256 of one word in one README are capped.
 */
export function createPgReadmeSearchRepository(pool: pg.Pool): ReadmeSearchRepository {
  const sql = poolSql(pool);
  return {
    async repair() {
      return false;
    },
    async search(terms, limit, maxMatches) {
      // Not deduplicated: FTS5's bm25 scores each phrase of `"a" AND "a"`, so a repeated stem counts twice there too.
      const words = readmeQueryTerms(terms);
      if (words.length === 0) return [];
      // Built as a tsquery value, not parsed by to_tsquery: the stems are the lexemes, with nothing re-cut.
      const query = words.map(quote).join(' & ');
      const matches = await sql.one<{ n: number }>(`SELECT COUNT(*)::int AS n FROM (${MATCHING} LIMIT $2) m`, [query, maxMatches + 1]);
      if ((matches?.n ?? 0) > maxMatches) return [];
      const rows = await sql.rows<{ name: string }>(`
        WITH terms AS (SELECT term, ord FROM unnest($2::text[]) WITH ORDINALITY AS x(term, ord)),
        hits AS (${MATCHING}),
        stats AS (
          SELECT COUNT(*)::float8 AS n, GREATEST(COALESCE(AVG(v.readme_len), 0), 1e-9)::float8 AS avgdl
          FROM workers w JOIN versions v ON v.id = ${SHOWN('w')}),
        df AS (
          SELECT terms.ord, (SELECT COUNT(*) FROM versions v JOIN workers w ON w.id = v.worker_id
            WHERE v.readme_tsv @@ quote_literal(terms.term)::tsquery AND v.id = ${SHOWN('w')})::float8 AS n
          FROM terms),
        tf AS (
          SELECT hits.id, terms.ord, COALESCE(array_length(u.positions, 1), 1)::float8 AS f
          FROM hits CROSS JOIN terms CROSS JOIN LATERAL unnest(hits.readme_tsv) AS u
          WHERE u.lexeme = terms.term),
        scored AS (
          SELECT hits.id, hits.name, GREATEST(ln((stats.n - df.n + 0.5) / (df.n + 0.5)), 1e-6)
            * tf.f * 2.2 / (tf.f + 1.2 * (0.25 + 0.75 * hits.readme_len / stats.avgdl)) AS s
          FROM hits JOIN tf ON tf.id = hits.id JOIN df ON df.ord = tf.ord CROSS JOIN stats)
        SELECT name FROM scored GROUP BY id, name ORDER BY SUM(s) DESC, id
        LIMIT $3`,
      [query, words, limit]);
      return rows.map((r) => r.name);
    },
  };
}

/** A lexeme as a tsquery literal: quoted, with quotes and backslashes escaped. */
const quote = (w: string) => `'${w.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
