import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../registry-server/src/app';
import { loadConfig } from '../../registry-server/src/config';
import { ADMIN_KEY, binary } from './helpers';

/**
 * Issue 16: the hot reads answer prepared bytes from the cache (fast paths that skip zod must answer exactly what
 * the validated path answers), and the search index is built on first use after a restart, never stale.
 */

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hot-reads-'));
const start = () => buildApp(loadConfig({ REGISTRY_DATA_DIR: root, REGISTRY_API_KEY: ADMIN_KEY, REGISTRY_SEED: '0', REGISTRY_READ_RATE_LIMIT: '0', REGISTRY_PUBLISH_RATE_LIMIT: '0' }));
let b: BuiltApp;

beforeAll(async () => {
  const first = await start();
  for (const [name, version] of [['image-resize', '1.0.0'], ['image-resize', '1.1.0'], ['pdf-parser', '2.0.0']]) {
    const res = await first.app.inject({ method: 'POST', url: '/publish', headers: { 'x-api-key': ADMIN_KEY }, payload: binary(name, version, { description: `${name} worker` }) });
    expect(res.statusCode).toBe(200);
  }
  await first.app.close();
  b = await start();
});
afterAll(async () => {
  await b.app.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('search index built on first use', () => {
  it('is not built at start; the first search builds it and finds published workers', async () => {
    expect((await b.app.inject('/healthz')).json()).toMatchObject({ status: 'ok', search_index: 'on_first_search' });
    const res = await b.app.inject('/w?search=image%20resize');
    expect(res.statusCode).toBe(200);
    expect(res.json().workers.map((w: { name: string }) => w.name)).toContain('image-resize');
    expect((await b.app.inject('/healthz')).json()).toMatchObject({ search_index: 'built', workers_indexed: 2 });
  });

  it('suggests close names in a 404 right after a restart (the build runs for the suggestion)', async () => {
    const again = await start();
    try {
      const res = await again.app.inject('/w/image-resiz');
      expect(res.statusCode).toBe(404);
      expect(res.json().error.available).toContain('image-resize');
    } finally {
      await again.app.close();
    }
  });
});

describe('prepared answers', () => {
  it('?search= alone answers what the validated query answers, and an over-long one is refused', async () => {
    const fast = await b.app.inject('/w?search=pdf');
    const validated = await b.app.inject('/w?search=pdf&limit=20');
    expect(fast.statusCode).toBe(200);
    expect(fast.json().workers).toEqual(validated.json().workers);
    expect((await b.app.inject(`/w?search=${'a'.repeat(257)}`)).statusCode).toBe(422);
  });

  it('detail and .md send the cached bytes with their ETag, and 304 for a matching If-None-Match', async () => {
    const detail = await b.app.inject('/w/image-resize');
    expect(detail.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(detail.json().worker.version).toBe('1.1.0');
    expect((await b.app.inject({ url: '/w/image-resize', headers: { 'if-none-match': String(detail.headers.etag) } })).statusCode).toBe(304);

    const md = await b.app.inject('/workers/image-resize.md');
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.headers['content-location']).toBe('/workers/image-resize.md?version=1.1.0');
    expect(md.headers['cache-control']).toBe('public, max-age=60');
    expect(md.body).toContain('image-resize');
    expect(Number(md.headers['content-length'])).toBe(Buffer.byteLength(md.body));
    expect((await b.app.inject({ url: '/workers/image-resize.md', headers: { 'if-none-match': String(md.headers.etag) } })).statusCode).toBe(304);
    const exact = await b.app.inject('/workers/image-resize.md?version=1.0.0');
    expect(exact.headers['cache-control']).toBe('public, max-age=86400');
  });

  it('POST /resolve answers a repeated body from the cache and still refuses a bad one with every problem', async () => {
    const body = { worker: 'pdf-parser', version: 'latest' };
    const first = await b.app.inject({ method: 'POST', url: '/resolve', payload: body });
    const second = await b.app.inject({ method: 'POST', url: '/resolve', payload: body });
    expect(first.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    const bad = await b.app.inject({ method: 'POST', url: '/resolve', payload: { worker: 42, version: 'latest' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('validation_failed');
  });
});
