import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export const PG_TEMPLATE = 'registry_template';

/** Which backend this test project runs the registry on (the `postgres` vitest project sets it). */
export const TEST_BACKEND: 'sqlite' | 'postgres' = process.env.REGISTRY_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
  const c = new pg.Client({ connectionString: inject('pgUrl') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
};

/** A fresh, migrated database in the run's cluster; `drop` removes it (connections still open are closed). */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${PG_TEMPLATE}`));
  const base = inject('pgUrl');
  return {
    url: base.replace(/\/[^/]*$/, `/${name}`),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}
