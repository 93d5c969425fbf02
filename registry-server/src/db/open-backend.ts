import type { RegistryConfig } from '../config';
import type { Backend } from './backend';
import type { Db } from './open';
import { openSqliteBackend } from './sqlite-backend';

/** REGISTRY_DATABASE_URL set: PostgreSQL; unset: SQLite in REGISTRY_DATA_DIR (the default). */
export async function openBackend(config: RegistryConfig): Promise<Backend & { db?: Db }> {
  // Imported on demand: pg and the PostgreSQL backend cost about 40 ms of start-up that SQLite never needs.
  if (config.databaseUrl) return (await import('./pg/backend')).openPostgresBackend({ url: config.databaseUrl, poolSize: config.databasePool });
  return openSqliteBackend(config.dataDir);
}
