import type pg from 'pg';
import type { SkillsRepository } from '../skills-repository';
import type { PgStamps } from './stamps';
import { poolSql, transaction } from './sql';
import { lockWorker, touchWorker } from './workers-repository';

export function createPgSkillsRepository(pool: pg.Pool, stamps: PgStamps): SkillsRepository {
  const sql = poolSql(pool);
  return {
    async replace(versionId, map) {
      try {
        await transaction(pool, async (s) => {
          const owner = await s.one<{ worker_id: number }>('SELECT worker_id FROM versions WHERE id = $1', [versionId]);
          if (!owner) throw new Error(`version ${versionId} vanished`);
          await lockWorker(s, owner.worker_id);
          const now = new Date().toISOString();
          await s.exec('DELETE FROM skill_files WHERE version_id = $1', [versionId]);
          await s.exec(`INSERT INTO skill_snapshots (version_id, updated_at) VALUES ($1, $2)
            ON CONFLICT (version_id) DO UPDATE SET updated_at = excluded.updated_at`, [versionId, now]);
          const entries = Object.entries(map);
          if (entries.length > 0)
            await s.exec('INSERT INTO skill_files (version_id, path, content) SELECT $1, p, c FROM unnest($2::text[], $3::text[]) AS f(p, c)',
              [versionId, entries.map((e) => e[0]), entries.map((e) => e[1])]);
          await touchWorker(s, owner.worker_id, now);
        });
      } finally {
        stamps.invalidate();
      }
    },
    async get(versionId) {
      if (!(await sql.one('SELECT 1 AS x FROM skill_snapshots WHERE version_id = $1', [versionId]))) return null;
      return sql.rows<{ path: string; content: string }>('SELECT path, content FROM skill_files WHERE version_id = $1 ORDER BY path COLLATE "C"', [versionId]);
    },
  };
}
