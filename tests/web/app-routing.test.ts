import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../registry-server/src/app';
import { loadConfig } from '../../registry-server/src/config';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await buildApp({ ...loadConfig({}), dataDir: ':memory:', readRateLimit: 0, publicUrl: 'http://registry.test' }));
});
afterAll(() => app.close());

/** The pages inside the whole registry app: routes next to the API's must not shadow each other. */
describe('web routes inside buildApp', () => {
  it('/workers/<name>.md stays the agent-context document while /workers/<name> is the page', async () => {
    const md = await app.inject('/workers/image-resize.md');
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toContain('text/markdown');
    const page = await app.inject('/workers/image-resize');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<span class="worker-name">image-resize</span>');
  });

  it('the seeded catalog shows on the index and dependency links resolve to pages', async () => {
    const index = await app.inject('/');
    expect(index.body).toContain('href="/workers/image-resize"');
    const page = await app.inject('/workers/image-resize');
    const deps = [...page.body.matchAll(/<ul class="deps">([\s\S]*?)<\/ul>/g)].flatMap((m) => [...m[1].matchAll(/href="([^"]+)"/g)].map((h) => h[1]));
    expect(deps.length).toBeGreaterThan(0);
    for (const href of deps) expect((await app.inject(href)).statusCode).toBe(200);
  });

  it('HEAD works and a matching ETag gets 304 through the app-wide etag plugin too', async () => {
    const head = await app.inject({ method: 'HEAD', url: '/workers/image-resize?tab=versions' });
    expect(head.statusCode).toBe(200);
    const etag = String(head.headers.etag);
    const again = await app.inject({ url: '/workers/image-resize?tab=versions', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
  });

  it('unknown workers are HTML 404 pages, not the JSON envelope', async () => {
    const res = await app.inject('/workers/does-not-exist');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('Worker not found');
  });
});
