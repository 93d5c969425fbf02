import type { Db } from './open';
import type { StagedArchive } from './types';

/** Archives uploaded for a version not published yet; a bundle publish without archive_url uses them. */
export interface StagedArchivesRepository {
  stage(worker: string, version: string, archive: StagedArchive): Promise<void>;
  get(worker: string, version: string): Promise<StagedArchive | null>;
}

export function createStagedArchivesRepository(db: Db): StagedArchivesRepository {
  const upsert = db.prepare(`INSERT INTO staged_archives (worker_name, version, sha256, size, created_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (worker_name, version) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, created_at = excluded.created_at`);
  const get = db.prepare('SELECT sha256, size FROM staged_archives WHERE worker_name = ? AND version = ?');
  return {
    async stage(worker, version, archive) {
      upsert.run(worker, version, archive.sha256, archive.size, new Date().toISOString());
    },
    async get(worker, version) {
      return (get.get(worker, version) as StagedArchive | undefined) ?? null;
    },
  };
}
