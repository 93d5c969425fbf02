import type { Db } from './open';
import { DISPLAY_VERSION_JOIN } from './rows';

/**
 * README full text in SQLite FTS5: persisted with the data, so it costs no memory and no start-up time, and is
 * rebuildable from the versions table at any time. One row per worker: the README of the version it shows.
 * The rows are written by triggers (migrations.ts) inside the very transaction that changes which version a worker
 * shows (publish, tag move, yank), so search can never disagree with the data after a crash; any other
 * implementation of the repositories must likewise index the README in the write's own transaction.
 */
export interface ReadmeSearchRepository {
  /**
   * Names ranked by BM25, at most `limit`. `terms` are words as typed, matched with English (Porter) stemming;
   * every word must occur (AND). When more than `maxMatches` READMEs match, answers [] without ranking them: words
   * that common do not tell workers apart, and ranking thousands of rows is the expensive part of full-text search.
   */
  search(terms: string[], limit: number, maxMatches: number): Promise<string[]>;
  /** Rebuilds the whole table when it disagrees with the workers table (a file edited by hand). */
  repair(): Promise<boolean>;
}

export function createReadmeSearchRepository(db: Db): ReadmeSearchRepository {
  const readmeOf = db.prepare(`SELECT w.id, json_extract(v.doc, '$.readme') AS readme FROM workers w ${DISPLAY_VERSION_JOIN} WHERE w.name = ?`);
  const drop = db.prepare('DELETE FROM readme_fts WHERE rowid = ?');
  const insert = db.prepare('INSERT INTO readme_fts (rowid, readme) VALUES (?, ?)');
  const search = db.prepare('SELECT w.name FROM readme_fts f JOIN workers w ON w.id = f.rowid WHERE readme_fts MATCH ? ORDER BY f.rank LIMIT ?').pluck();
  const matches = db.prepare('SELECT COUNT(*) FROM (SELECT 1 FROM readme_fts WHERE readme_fts MATCH ? LIMIT ?)').pluck();
  const counts = db.prepare('SELECT (SELECT COUNT(*) FROM readme_fts) = (SELECT COUNT(*) FROM workers)').pluck();
  const names = db.prepare('SELECT name FROM workers').pluck();
  const setTx = db.transaction((name: string) => {
    const row = readmeOf.get(name) as { id: number; readme: string | null } | undefined;
    if (!row) return;
    drop.run(row.id);
    insert.run(row.id, row.readme ?? '');
  });
  const rebuild = db.transaction(() => {
    db.prepare('DELETE FROM readme_fts').run();
    for (const name of names.all() as string[]) setTx(name);
  });
  return {
    async search(terms, limit, maxMatches) {
      const words = terms.map((t) => t.replace(/[^\p{L}\p{N}]/gu, '')).filter((t) => t.length > 0);
      if (words.length === 0) return [];
      const match = words.map((w) => `"${w}"`).join(' AND ');
      if ((matches.get(match, maxMatches + 1) as number) > maxMatches) return [];
      return search.all(match, limit) as string[];
    },
    async repair() {
      if (counts.get() === 1) return false;
      rebuild.immediate();
      return true;
    },
  };
}
