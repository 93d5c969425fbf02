import { defineConfig } from 'vitest/config';

/**
 * Lines the unmodified iii-sdk 0.22.1 prints with console.debug on every connection, with no option to turn them off
 * (`[iii] Worker registered with ID: ...` in iii-sdk, `[OTel] OpenTelemetry is disabled...` in @iii-dev/helpers).
 * They say nothing about a test, so the test output drops exactly these; anything else a test logs still shows.
 */
const SDK_BANNERS = [/^\[iii\] Worker registered with ID: /, /^\[OTel\] OpenTelemetry is disabled\./];
/**
 * The `postgres` project runs the registry suites again on a real PostgreSQL 15 (makeApp() picks the backend from
 * REGISTRY_TEST_BACKEND), plus the PostgreSQL-only e2e suites (replicas, faults, migration) named tests/e2e/pg-*, and
 * the upstream suites that run on makeApp() (the proxy's cache table).
 */
const POSTGRES = ['tests/registry-server/**/*.test.ts', 'tests/e2e/pg-*.test.ts', 'tests/upstream/faults.test.ts', 'tests/upstream/mirror-faults.test.ts'];
/**
 * SQLite-specific files (on-disk layout, the filesystem archive store, the file's durability pragmas, the FTS5 triggers) stay in the
 * default project only.
 */
const SQLITE_ONLY = [
  'tests/registry-server/persistence.test.ts',
  'tests/registry-server/archive-store.test.ts', 'tests/registry-server/durable-file.test.ts', 'tests/registry-server/group-commit.test.ts',
  'tests/registry-server/archive-policy.test.ts', 'tests/registry-server/archive-framing.test.ts',
  'tests/registry-server/durability.test.ts',
  'tests/registry-server/faults/search-crash.test.ts', 'tests/registry-server/readme-index.test.ts',
  'tests/registry-server/search-snapshot.test.ts', 'tests/registry-server/busy-retry.test.ts', 'tests/registry-server/tick-shape.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    onConsoleLog: (log) => (SDK_BANNERS.some((re) => re.test(log)) ? false : undefined),
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['tests/**/*.test.ts'], exclude: ['tests/e2e/pg-*.test.ts', '**/node_modules/**'] },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: POSTGRES,
          exclude: [...SQLITE_ONLY, '**/node_modules/**'],
          env: { REGISTRY_TEST_BACKEND: 'postgres' },
          globalSetup: ['tests/helpers/pg-global-setup.ts'],
        },
      },
    ],
  },
});
