import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { BuiltApp } from '../../registry-server/src/app';
import { loadConfig, type RegistryConfig } from '../../registry-server/src/config';
import { createTestDatabase } from '../helpers/pg-database';
import { ADMIN_KEY } from '../registry-server/helpers';

/**
 * A SQLite source folder and an empty PostgreSQL database for one migrate-to-postgres suite, made before its tests
 * and removed after them; `env` is the registry configuration both sides start with.
 */
export function migrationFixture(prefix: string, seed: boolean) {
  const state = { dir: '', db: undefined as Awaited<ReturnType<typeof createTestDatabase>> | undefined };
  beforeAll(async () => {
    state.dir = await mkdtemp(join(tmpdir(), prefix));
    state.db = await createTestDatabase();
  });
  afterAll(async () => {
    await rm(state.dir, { recursive: true, force: true });
    await state.db?.drop();
  });
  const env = (extra: Record<string, string>): RegistryConfig =>
    loadConfig({ REGISTRY_API_KEY: ADMIN_KEY, REGISTRY_SEED: seed ? '1' : '0', REGISTRY_READ_RATE_LIMIT: '0', REGISTRY_PUBLISH_RATE_LIMIT: '0', REGISTRY_PUBLIC_URL: 'http://registry.test', ...extra });
  return {
    env,
    dir: () => state.dir,
    dbUrl: () => state.db!.url,
  };
}

/** One request through inject, with the admin key unless another key (or none, `null`) is given. */
export const send = (built: BuiltApp, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, key: string | null = ADMIN_KEY) =>
  built.app.inject({ method, url, payload: body as object | undefined, headers: key ? { 'x-api-key': key } : {} });
