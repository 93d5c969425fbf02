import type pg from 'pg';
import type { StagedArchivesRepository } from '../staged-archives-repository';
import type { StagedArchive } from '../types';
import { poolSql } from './sql';

/** Staged uploads live in the database, so an upload to one replica is usable by a publish sent to another. */
export function createPgStagedArchivesRepository(pool: pg.Pool): StagedArchivesRepository {
  const sql = poolSql(pool);
  return {
    async stage(worker, version, archive) {
      await sql.exec(`INSERT INTO staged_archives (worker_name, version, sha256, size, created_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (worker_name, version) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, created_at = excluded.created_at`,
      [worker, version, archive.sha256, archive.size, new Date().toISOString()]);
    },
    async get(worker, version) {
      return (await sql.one<StagedArchive>('SELECT sha256, size FROM staged_archives WHERE worker_name = $1 AND version = $2', [worker, version])) ?? null;
    },
  };
}
