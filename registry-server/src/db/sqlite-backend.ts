import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createArchiveStore, sweepArchiveTemp } from '../storage/archive-store';
import type { Backend } from './backend';
import { createKeysRepository } from './keys-repository';
import { createKitsRepository } from './kits-repository';
import { openDatabase, type Db } from './open';
import { createReadmeSearchRepository } from './readme-search-repository';
import { createSearchSnapshotRepository } from './search-snapshot-repository';
import { createSkillsRepository } from './skills-repository';
import { createStagedArchivesRepository } from './staged-archives-repository';
import { createUpstreamCacheRepository } from './upstream-cache-repository';
import { createWorkersRepository } from './workers-repository';

/** The default, embedded backend: registry.db and archives/ in REGISTRY_DATA_DIR (':memory:' for tests). */
export async function openSqliteBackend(dataDir: string): Promise<Backend & { db: Db }> {
  const db = openDatabase(dataDir);
  const archiveDir = dataDir === ':memory:' ? fs.mkdtempSync(path.join(os.tmpdir(), 'iii-archives-')) : path.join(dataDir, 'archives');
  await sweepArchiveTemp(archiveDir);
  return {
    kind: 'sqlite',
    db,
    repos: {
      workers: createWorkersRepository(db),
      skills: createSkillsRepository(db),
      staged: createStagedArchivesRepository(db),
      readmes: createReadmeSearchRepository(db),
      keys: createKeysRepository(db),
      kits: createKitsRepository(db),
      upstreamCache: createUpstreamCacheRepository(db),
      searchSnapshots: createSearchSnapshotRepository(db),
    },
    archives: createArchiveStore(archiveDir),
    ping: async () => db.prepare('SELECT 1 AS ok').get() !== undefined,
    // Writes are immediate transactions and seeding tolerates a racing seeder: no lock needed on one file.
    exclusive: (fn) => fn(),
    countWorkers: async () => (db.prepare('SELECT COUNT(*) AS n FROM workers').get() as { n: number }).n,
    // Cache stamps already see other processes' commits (data_version); one process owns the search index.
    mark: async () => null,
    follow: () => {},
    query: async <T>(sql: string, params: unknown[] = []) => db.prepare(sql).all(...params) as T[],
    close: async () => {
      db.close();
      // An in-memory registry (tests) keeps its archives in a temp dir of its own: gone with it.
      if (dataDir === ':memory:') await fs.promises.rm(archiveDir, { recursive: true, force: true });
    },
  };
}
