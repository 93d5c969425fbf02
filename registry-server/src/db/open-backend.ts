import type { RegistryConfig } from '../config';
import type { Backend } from './backend';
import type { Db } from './open';
import { openPostgresBackend } from './pg/backend';
import { openSqliteBackend } from './sqlite-backend';

/** REGISTRY_DATABASE_URL set: PostgreSQL; unset: SQLite in REGISTRY_DATA_DIR (the default). */
export async function openBackend(config: RegistryConfig): Promise<Backend & { db?: Db }> {
  if (config.databaseUrl) return openPostgresBackend({ url: config.databaseUrl, poolSize: config.databasePool });
  return openSqliteBackend(config.dataDir);
}
