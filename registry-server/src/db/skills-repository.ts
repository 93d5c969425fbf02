import type { Db } from './open';
import { BUMP_REGISTRY, BUMP_WORKER } from './rows';

export interface SkillsRepository {
  /** Replaces the whole snapshot of a version atomically (an empty map clears it but keeps the snapshot). */
  replace(versionId: number, files: Record<string, string>): Promise<void>;
  /** null when the version has no snapshot. Files sorted by path. */
  get(versionId: number): Promise<{ path: string; content: string }[] | null>;
}

export function createSkillsRepository(db: Db): SkillsRepository {
  const clear = db.prepare('DELETE FROM skill_files WHERE version_id = ?');
  const upsertSnapshot = db.prepare(
    'INSERT INTO skill_snapshots (version_id, updated_at) VALUES (?, ?) ON CONFLICT (version_id) DO UPDATE SET updated_at = excluded.updated_at',
  );
  const insertFile = db.prepare('INSERT INTO skill_files (version_id, path, content) VALUES (?, ?, ?)');
  const snapshot = db.prepare('SELECT 1 FROM skill_snapshots WHERE version_id = ?');
  const files = db.prepare('SELECT path, content FROM skill_files WHERE version_id = ? ORDER BY path');
  const bumpWorker = db.prepare(BUMP_WORKER.replace('WHERE id = ?', 'WHERE id = (SELECT worker_id FROM versions WHERE id = ?)'));
  const bumpRegistry = db.prepare(BUMP_REGISTRY);
  const replace = db.transaction((versionId: number, map: Record<string, string>) => {
    const now = new Date().toISOString();
    clear.run(versionId);
    upsertSnapshot.run(versionId, now);
    bumpWorker.run(now, versionId);
    bumpRegistry.run();
    for (const [path, content] of Object.entries(map)) insertFile.run(versionId, path, content);
  });
  return {
    async replace(versionId, map) {
      replace.immediate(versionId, map);
    },
    async get(versionId) {
      if (!snapshot.get(versionId)) return null;
      return files.all(versionId) as { path: string; content: string }[];
    },
  };
}

