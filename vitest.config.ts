import { defineConfig } from 'vitest/config';

/** Registry suites that run on both backends: the `postgres` project runs them again on a real PostgreSQL 15. */
const BOTH_BACKENDS = [
  'tests/registry-server/**/*.test.ts',
  'tests/e2e/pg-*.test.ts',
];
/** SQLite-specific files (on-disk layout, the filesystem archive store) stay in the default project only. */
const SQLITE_ONLY = ['tests/registry-server/persistence.test.ts', 'tests/registry-server/archive-store.test.ts', 'tests/registry-server/archive-policy.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['tests/**/*.test.ts'], exclude: ['tests/e2e/pg-*.test.ts', '**/node_modules/**'] },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: BOTH_BACKENDS,
          exclude: [...SQLITE_ONLY, '**/node_modules/**'],
          env: { REGISTRY_TEST_BACKEND: 'postgres' },
          globalSetup: ['tests/helpers/pg-global-setup.ts'],
        },
      },
    ],
  },
});
