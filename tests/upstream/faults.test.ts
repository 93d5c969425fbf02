import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../registry-server/helpers';
import { freePort } from '../../registry-server/src/child-process';
import { startStandIn, type StandIn, type StandInMode } from './stand-in';

/**
 * The proxy against an upstream that fails (a node:http stand-in, over real HTTP): each fault gives the cached answer
 * marked stale, or an envelope error with its own code, and nothing unverified reaches the cache.
 */
let upstream: StandIn;
let app: TestApp;

const cachedKeys = async (a: TestApp) => (await a.backend.query<{ key: string }>('SELECT key FROM upstream_cache ORDER BY key')).map((r) => r.key);
const cachedBody = async (a: TestApp, key: string) => (await a.backend.query<{ body: string }>('SELECT body FROM upstream_cache WHERE key = ?', [key]))[0]?.body;

beforeAll(async () => {
  upstream = await startStandIn();
  app = await makeApp({ REGISTRY_UPSTREAM_URL: upstream.url, REGISTRY_UPSTREAM_TTL: '0', REGISTRY_UPSTREAM_TIMEOUT_MS: '2500', REGISTRY_UPSTREAM_MAX_BYTES: '65536' });
  // One request first, so the HTTP client's start-up cost never counts against the timeout below.
  expect((await app.get('/w/warm-up')).status).toBe(200);
});

afterAll(async () => {
  await app?.close();
  await upstream?.close();
});

const faults: [StandInMode, number, string][] = [
  ['slow', 504, 'upstream_timeout'],
  ['status500', 502, 'upstream_bad_status'],
  ['garbage', 502, 'upstream_invalid_body'],
  ['wrong-shape', 502, 'upstream_invalid_body'],
  ['huge', 502, 'upstream_too_large'],
  ['huge-chunked', 502, 'upstream_too_large'],
  ['redirect-loop', 502, 'upstream_redirect_loop'],
];

describe('upstream faults', () => {
  it.each(faults)('%s: a cached worker is served stale, an uncached one fails with %i %s, nothing stored', async (mode, status, code) => {
    upstream.mode = 'ok';
    const good = await app.get('/w/cached-one');
    expect(good.status).toBe(200);
    const stored = await cachedBody(app, '/w/cached-one');
    expect(stored).toBeDefined();

    upstream.mode = mode;
    const stale = await app.get('/w/cached-one');
    expect(stale.status).toBe(200);
    expect(stale.json.worker.name).toBe('cached-one');
    expect(stale.headers['x-registry-upstream']).toBe('stale');
    expect(stale.headers.warning).toMatch(/^110 /);
    expect(await cachedBody(app, '/w/cached-one')).toBe(stored);

    const miss = await app.get(`/w/never-${mode}`);
    expect(miss.status).toBe(status);
    expect(miss.json.error.code).toBe(code);
    expect(miss.json.error.fix).toBeTruthy();
    expect(await cachedKeys(app)).not.toContain(`/w/never-${mode}`);
  });

  it('an upstream that is down: stale for cached names, upstream_unreachable for the rest', async () => {
    const port = await freePort();
    const down = await makeApp({ REGISTRY_UPSTREAM_URL: `http://127.0.0.1:${port}`, REGISTRY_UPSTREAM_TTL: '0' });
    try {
      const miss = await down.get('/w/anything');
      expect(miss.status).toBe(502);
      expect(miss.json.error.code).toBe('upstream_unreachable');
      expect(await cachedKeys(down)).toEqual([]);
      // Publishing a new name cannot be checked against the upstream: refused for non-admins, admins still may.
      const key = (await down.post('/admin/keys', { name: 'team' })).json.key.key as string;
      const p = await down.publish({ worker_name: 'new-name', version: '1.0.0', type: 'engine' }, key);
      expect(p.status).toBe(502);
      expect((await down.publish({ worker_name: 'new-name', version: '1.0.0', type: 'engine' })).status).toBe(200);
    } finally {
      await down.close();
    }
  });
});

describe('upstream freshness', () => {
  it('revalidates an expired entry with If-None-Match and keeps the body on 304', async () => {
    upstream.mode = 'ok';
    await app.get('/w/etag-one');
    const before = upstream.conditional;
    const again = await app.get('/w/etag-one');
    expect(again.status).toBe(200);
    expect(again.headers['x-registry-upstream']).toBe('fresh');
    expect(upstream.conditional).toBe(before + 1);
  });

  it('serves a fresh entry from the cache without asking the upstream while the TTL lasts', async () => {
    const ttl = await makeApp({ REGISTRY_UPSTREAM_URL: upstream.url, REGISTRY_UPSTREAM_TTL: '3600' });
    try {
      upstream.mode = 'ok';
      expect((await ttl.get('/w/ttl-one')).headers['x-registry-upstream']).toBe('fresh');
      const seen = upstream.requests;
      upstream.mode = 'status500'; // would fail if asked
      const hit = await ttl.get('/w/ttl-one');
      expect(hit.status).toBe(200);
      expect(hit.headers['x-registry-upstream']).toBe('cached');
      expect(upstream.requests).toBe(seen);
    } finally {
      await ttl.close();
    }
  });
});
