import type { Backend } from '../backend';
import { createPgArchiveStore } from './archive-store';
import { createPgKeysRepository } from './keys-repository';
import { createPgKitsRepository } from './kits-repository';
import { migratePostgres, withAdvisoryLock } from './migrations';
import { createPgReadmeSearchRepository } from './readme-search-repository';
import { createPgSkillsRepository } from './skills-repository';
import { createPgStagedArchivesRepository } from './staged-archives-repository';
import { createPgUpstreamCacheRepository } from './upstream-cache-repository';
import { createPgStamps, kitCounters, startFollower, type FollowerMark } from './stamps';
import { createPool, poolSql } from './sql';
import { createPgWorkersRepository } from './workers-repository';

export interface PostgresBackendOptions {
  url: string;
  poolSize: number;
  /** How often a replica polls the registry counters besides LISTEN (bounds staleness when a NOTIFY is lost). */
  pollMs?: number;
}

/** `?` placeholders (the SQLite spelling tools and tests use) become `$1..$n`. */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/** PostgreSQL: any number of stateless replicas share one database; nothing is kept on local disk. */
export async function openPostgresBackend(o: PostgresBackendOptions): Promise<Backend> {
  const pool = createPool({ url: o.url, max: o.poolSize });
  try {
    await migratePostgres(pool);
  } catch (e) {
    await pool.end().catch(() => {});
    throw e;
  }
  const sql = poolSql(pool);
  const stamps = createPgStamps(sql);
  const archives = createPgArchiveStore(pool);
  await archives.sweep();
  let follower: ReturnType<typeof startFollower> | undefined;
  return {
    kind: 'postgres',
    repos: {
      workers: createPgWorkersRepository(pool, stamps),
      skills: createPgSkillsRepository(pool, stamps),
      staged: createPgStagedArchivesRepository(pool),
      readmes: createPgReadmeSearchRepository(pool),
      keys: createPgKeysRepository(pool),
      kits: createPgKitsRepository(pool, stamps),
      upstreamCache: createPgUpstreamCacheRepository(pool),
    },
    archives,
    ping: async () => {
      try {
        return (await sql.one('SELECT 1 AS ok')) !== undefined;
      } catch {
        return false;
      }
    },
    exclusive: (fn) => withAdvisoryLock(pool, 'iii-registry:start-up', fn),
    countWorkers: async () => Number((await sql.one<{ n: number }>('SELECT COUNT(*) AS n FROM workers'))?.n ?? 0),
    mark: async () => {
      const rows = await sql.rows<{ name: string; value: number }>(`SELECT name, value FROM registry_state`);
      const mark: FollowerMark = { seq: rows.find((r) => r.name === 'revision')?.value ?? 0, downloads: rows.find((r) => r.name === 'downloads')?.value ?? 0, kits: kitCounters(rows) };
      return mark;
    },
    follow(mark, onWorkers) {
      follower = startFollower({ url: o.url, sql, stamps, onWorkers, pollMs: o.pollMs }, mark as FollowerMark);
    },
    query: async <T>(text: string, params: unknown[] = []) => sql.rows<T>(numbered(text), params),
    async close() {
      await follower?.stop();
      await pool.end();
    },
  };
}
