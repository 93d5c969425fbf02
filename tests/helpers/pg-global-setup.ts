import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { migratePostgres } from '../../registry-server/src/db/pg/migrations';
import { startPgCluster } from './pg-cluster';
import { PG_TEMPLATE } from './pg-database';

/** One PostgreSQL cluster per vitest run for the `postgres` project; removed when the run ends. */
export default async function setup(project: TestProject) {
  const cluster = await startPgCluster();
  // A migrated template: each suite's fresh database is a cheap copy of it.
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${PG_TEMPLATE}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: cluster.urlFor(PG_TEMPLATE), max: 1 });
  await migratePostgres(pool);
  await pool.end();
  project.provide('pgUrl', cluster.url);
  return async () => {
    await cluster.destroy();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}
