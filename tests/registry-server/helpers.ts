import crypto from 'node:crypto';
import { ErrorEnvelopeSchema, type PublishPayloadIn } from '@iii-registry/schemas';
import { expect } from 'vitest';
import { buildApp } from '../../registry-server/src/app';
import { loadConfig } from '../../registry-server/src/config';
import { createTestDatabase, TEST_BACKEND } from '../helpers/pg-database';

export const ADMIN_KEY = 'test-admin-key-0123456789';

/**
 * A fresh registry on an in-memory database; no seed unless asked, no rate limits unless asked. In the `postgres`
 * test project the same registry runs on a fresh PostgreSQL database instead (the suites are parameterized by the
 * project, not copied).
 */
export async function makeApp(env: Record<string, string> = {}) {
  const database = TEST_BACKEND === 'postgres' && env.REGISTRY_DATABASE_URL === undefined ? await createTestDatabase() : undefined;
  const built = await buildApp(
    loadConfig({
      REGISTRY_DATA_DIR: ':memory:',
      REGISTRY_API_KEY: ADMIN_KEY,
      REGISTRY_SEED: '0',
      REGISTRY_READ_RATE_LIMIT: '0',
      REGISTRY_PUBLISH_RATE_LIMIT: '0',
      REGISTRY_AUTH_FAILURE_LIMIT: '0',
      REGISTRY_PUBLIC_URL: 'http://registry.test',
      ...(database ? { REGISTRY_DATABASE_URL: database.url } : {}),
      ...env,
    }),
  ).catch(async (e) => {
    await database?.drop();
    throw e;
  });
  const { app } = built;
  const send = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, key: string | null = ADMIN_KEY) => {
    const res = await app.inject({ method, url, payload: body as object | undefined, headers: key ? { 'x-api-key': key } : {} });
    let json: unknown;
    try {
      json = res.json();
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, json: json as Record<string, any>, headers: res.headers, body: res.body };
  };
  return {
    ...built,
    get: (url: string) => send('GET', url, undefined, null),
    post: (url: string, body: unknown, key: string | null = ADMIN_KEY) => send('POST', url, body, key),
    put: (url: string, body: unknown, key: string | null = ADMIN_KEY) => send('PUT', url, body, key),
    del: (url: string, key: string | null = ADMIN_KEY) => send('DELETE', url, undefined, key),
    publish: (p: PublishPayloadIn, key: string | null = ADMIN_KEY) => send('POST', '/publish', p, key),
    /** A COUNT(*) AS n query (`?` placeholders) on whichever backend runs. */
    count: async (sql: string, params: unknown[] = []) => Number((await built.backend.query<{ n: unknown }>(sql, params))[0]?.n),
    close: async () => {
      await app.close();
      await database?.drop();
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof makeApp>>;

const SHA = 'a'.repeat(64);

/** A valid binary publish payload; override any field. */
export function binary(name: string, version: string, extra: Partial<PublishPayloadIn> = {}): PublishPayloadIn {
  return {
    worker_name: name,
    version,
    type: 'binary',
    readme: `# ${name}\n\nDocs for ${name} ${version}.`,
    repo: `https://example.com/${name}`,
    description: `The ${name} worker`,
    config: {},
    functions: [],
    triggers: [],
    binaries: {
      'aarch64-apple-darwin': { url: `https://example.com/${name}-${version}-aarch64-apple-darwin.tar.gz`, sha256: SHA },
      'x86_64-unknown-linux-gnu': { url: `https://example.com/${name}-${version}-x86_64-unknown-linux-gnu.tar.gz`, sha256: SHA },
    },
    ...extra,
  };
}

export const engine = (name: string, version: string, extra: Partial<PublishPayloadIn> = {}): PublishPayloadIn => ({
  worker_name: name, version, type: 'engine', description: `${name} engine built-in`, ...extra,
});

/** A digest for test images: the iii CLI only installs images pinned by digest. */
export const digestOf = (seed: string) => crypto.createHash('sha256').update(seed).digest('hex');

export const image = (name: string, version: string, extra: Partial<PublishPayloadIn> = {}): PublishPayloadIn => ({
  worker_name: name, version, type: 'image', image_tag: `ghcr.io/iii/${name}@sha256:${digestOf(`${name}@${version}`)}`, description: `${name} image`, ...extra,
});

export const bundle = (name: string, version: string, extra: Partial<PublishPayloadIn> = {}): PublishPayloadIn => ({
  worker_name: name, version, type: 'bundle', archive_url: `https://example.com/${name}-${version}.tar.gz`, sha256: 'b'.repeat(64), ...extra,
});

/** Asserts the contract's error envelope and returns its error object. */
export function expectError(res: { status: number; json: Record<string, any> }, status: number, code: string) {
  expect(res.status).toBe(status);
  const parsed = ErrorEnvelopeSchema.safeParse(res.json);
  expect(parsed.success, JSON.stringify(res.json)).toBe(true);
  expect(res.json.error.code).toBe(code);
  expect(res.json.error.fix.length).toBeGreaterThan(0);
  return res.json.error as { code: string; message: string; fix: string; available: string[]; problems?: { path: string; message: string }[] };
}

export async function expectOk(res: Promise<{ status: number; json: Record<string, any>; body: string }>) {
  const r = await res;
  expect(r.status, r.body).toBe(200);
  return r.json;
}

/** Status and JSON body of a real HTTP answer; a body that is not JSON comes back as `{ text }`. */
export async function readAnswer(res: Response): Promise<{ status: number; json: Record<string, any> }> {
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text) };
  } catch {
    return { status: res.status, json: { text } };
  }
}
