import type { SearchSnapshotStore, StoredSnapshot } from '../services/search/snapshot';
import type { Db } from './open';

/**
 * The persisted search index (services/search/snapshot.ts) in the registry's own SQLite file, one row: a copy of
 * the file carries the snapshot that matches its data, and no write path touches it (its revision label alone
 * decides whether it is current).
 */
export function createSearchSnapshotRepository(db: Db): SearchSnapshotStore {
  const read = db.prepare('SELECT fingerprint, revision, data FROM search_snapshot WHERE id = 1');
  const write = db.prepare('INSERT OR REPLACE INTO search_snapshot (id, fingerprint, revision, data) VALUES (1, ?, ?, ?)');
  return {
    load: async () => read.get() as StoredSnapshot | undefined,
    async save(s) {
      write.run(s.fingerprint, s.revision, s.data);
    },
  };
}
