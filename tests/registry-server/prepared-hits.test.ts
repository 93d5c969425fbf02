import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { binary, expectError, makeApp, type TestApp } from './helpers';
import { kitBody, publishKitWorkers } from './kit-fixtures';

/**
 * Issue 16: cache hits of the hot reads are written by routes/prepared.ts on a hijacked reply, the rest by Fastify's
 * normal path (reply.send, the @fastify/etag hook). A hit must answer byte for byte what the normal path answers: the
 * status line, every header in the same order, the body; 304 and HEAD as the etag hook and Fastify answer them; the
 * rate limit's headers and its 429 still applied.
 */

const KIT = '/k/acme/kanban-team';

/** The head exactly as written on the wire, without the Date line (it changes with the clock). */
const head = (res: LightMyRequestResponse) =>
  (res.raw.res as unknown as { _header: string })._header.replace(/^Date: .*\r\n/im, '');

const READS: Record<string, InjectOptions> = {
  detail: { method: 'GET', url: '/w/image-resize' },
  search: { method: 'GET', url: '/w?search=image' },
  'agent context': { method: 'GET', url: '/workers/image-resize.md' },
  resolve: { method: 'POST', url: '/resolve', payload: { worker: 'image-resize', version: 'latest' } },
  'kit detail': { method: 'GET', url: KIT },
};

/** Whether each read is a synchronous hit now (so the next request takes routes/prepared.ts). */
const isHit = (t: TestApp, name: string): boolean => {
  const hits = t.ctx.hits;
  switch (name) {
    case 'detail': return hits.detail('image-resize') !== undefined;
    case 'search': return hits.search('image') !== undefined;
    case 'agent context': return hits.agentContext('image-resize') !== undefined;
    case 'resolve': return hits.resolve({ worker: 'image-resize', version: 'latest' }) !== undefined;
    default: return t.ctx.kits.cached.detailHit('acme', 'kanban-team') !== undefined;
  }
};

/**
 * Asks until the read is cached, at most 10 times, and returns the last answer (it took the normal path, since the
 * read was not a hit when it was asked). A search answer is kept from its query's second miss (response-cache
 * `secondMiss`), every other read from its first; on PostgreSQL a stamp is memoized only once this replica's
 * follower has seen the catalog's own writes, so a notification landing after the first miss can undo it.
 */
async function missUntilCached(t: TestApp, name: string, request: InjectOptions): Promise<{ miss: LightMyRequestResponse; asked: number }> {
  let asked = 0;
  let miss: LightMyRequestResponse;
  do {
    miss = await t.app.inject(request);
    asked++;
  } while (!isHit(t, name) && asked < 10);
  return { miss, asked };
}

async function catalog(env: Record<string, string> = {}) {
  const t = await makeApp(env);
  // Not ASCII: small hits go out as a latin1 string of their UTF-8 bytes (routes/prepared.ts), which must stay exact.
  expect((await t.publish(binary('image-resize', '1.0.0', { description: 'Resize images — fast · über' }))).status).toBe(200);
  // A README long enough that the detail and the agent document are over that bound (they keep the Buffer write).
  const readme = `# image-resize\n\n${'Résumé — größer · '.repeat(300)}`;
  expect((await t.publish(binary('image-resize', '1.1.0', { description: 'Resize images — fast · über', readme }))).status).toBe(200);
  await publishKitWorkers(t);
  expect((await t.post(KIT, kitBody('1.0.0'))).status).toBe(200);
  return t;
}

describe('prepared hits answer what the normal path answers', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('200: the same status line, headers in the same order and bytes as the miss before them', async () => {
    t = await catalog();
    for (const [name, request] of Object.entries(READS)) {
      expect(isHit(t, name), name).toBe(false);
      const { miss } = await missUntilCached(t, name, request);
      expect(miss.statusCode, name).toBe(200);
      expect(isHit(t, name), name).toBe(true);
      const hit = await t.app.inject(request);
      expect(head(hit), name).toBe(head(miss));
      expect(hit.rawPayload.equals(miss.rawPayload), name).toBe(true);
      expect(Number(hit.headers['content-length']), name).toBe(hit.rawPayload.length);
    }
  });

  it('over a real socket, a small hit (sent as a latin1 string of its bytes) and a large one carry the exact UTF-8 bytes', async () => {
    t = await catalog();
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const bytes = async (path: string, init?: RequestInit) => {
      const res = await fetch(`${base}${path}`, init);
      const body = Buffer.from(await res.arrayBuffer());
      expect(Number(res.headers.get('content-length')), path).toBe(body.length);
      return body;
    };
    /** The normal path's bytes, asked until the read is cached (see missUntilCached), then the hit's bytes. */
    const missThenHit = async (name: string, path: string, init?: RequestInit) => {
      let miss = await bytes(path, init);
      for (let asked = 1; asked < 10 && !isHit(t, name); asked++) miss = await bytes(path, init);
      expect(isHit(t, name), name).toBe(true);
      return { miss, hit: await bytes(path, init) };
    };
    // Large bodies (over the latin1 bound, 4 KiB): the detail and the agent document of 1.1.0 with its long README.
    for (const [name, path] of [['detail', '/w/image-resize'], ['agent context', '/workers/image-resize.md']]) {
      const { miss, hit } = await missThenHit(name, path);
      expect(miss.toString('utf8'), path).toContain('Résumé — größer · ');
      expect(miss.length, path).toBeGreaterThan(4 * 1024);
      expect(hit.equals(miss), path).toBe(true);
    }
    // Small bodies: a search page and a resolve answer.
    const search = await missThenHit('search', '/w?search=image');
    expect(search.miss.toString('utf8')).toContain('Resize images — fast · über');
    expect(search.miss.length).toBeLessThan(4 * 1024);
    expect(search.hit.equals(search.miss)).toBe(true);
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ worker: 'image-resize', version: 'latest' }) };
    const resolve = await missThenHit('resolve', '/resolve', init);
    expect(resolve.miss.length).toBeLessThan(4 * 1024);
    expect(resolve.hit.equals(resolve.miss)).toBe(true);
  });

  it('304 to a matching If-None-Match, weak or strong, with the content headers and content-length 0, as the etag hook answers', async () => {
    t = await catalog();
    for (const [name, request] of Object.entries(READS)) {
      const { miss: first } = await missUntilCached(t, name, request);
      expect(isHit(t, name), name).toBe(true);
      const etag = String(first.headers.etag);
      for (const inm of [etag, `W/${etag}`]) {
        const res = await t.app.inject({ ...request, headers: { ...request.headers, 'if-none-match': inm } });
        expect(res.statusCode, name).toBe(304);
        expect(res.rawPayload.length, name).toBe(0);
        const names = head(res).split('\r\n').slice(1).filter(Boolean).map((l) => l.split(':')[0].toLowerCase());
        const own = name === 'agent context' ? ['content-type', 'etag', 'cache-control', 'content-location'] : ['content-type', 'etag'];
        expect(names.slice(0, own.length + 1), name).toEqual([...own, 'content-length']);
        expect(res.headers['content-length'], name).toBe('0');
        expect(res.headers.etag, name).toBe(etag);
        expect(res.headers['content-type'], name).toBe(first.headers['content-type']);
      }
      const other = await t.app.inject({ ...request, headers: { ...request.headers, 'if-none-match': '"something-else"' } });
      expect(other.statusCode, name).toBe(200);
    }
  });

  it('HEAD: the GET headers (content-length of the body) and no body, on a miss and on a hit alike', async () => {
    t = await catalog();
    for (const [name, request] of Object.entries(READS)) {
      if (request.method !== 'GET') continue;
      const missHead = await t.app.inject({ ...request, method: 'HEAD' });
      const { miss: get } = await missUntilCached(t, name, request);
      expect(isHit(t, name), name).toBe(true);
      const hitHead = await t.app.inject({ ...request, method: 'HEAD' });
      expect(hitHead.statusCode, name).toBe(200);
      expect(hitHead.rawPayload.length, name).toBe(0);
      expect(head(hitHead), name).toBe(head(missHead));
      expect(hitHead.headers['content-length'], name).toBe(String(get.rawPayload.length));
      expect(hitHead.headers.etag, name).toBe(get.headers.etag);
    }
  });

  it('a write is seen by the next read: no hit survives the stamps it was cached under', async () => {
    t = await catalog();
    for (const request of Object.values(READS)) await t.app.inject(request);
    expect((await t.publish(binary('image-resize', '1.2.0', { description: 'Resize images' }))).status).toBe(200);
    expect(isHit(t, 'detail')).toBe(false);
    expect((await t.get('/w/image-resize')).json.worker.version).toBe('1.2.0');
    expect((await t.get('/workers/image-resize.md')).headers['content-location']).toBe('/workers/image-resize.md?version=1.2.0');
    expect((await t.post('/resolve', { worker: 'image-resize', version: 'latest' }, null)).json.root.version).toBe('1.2.0');
  });
});

describe('read rate limit on prepared hits', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('hits carry the x-ratelimit-* headers in the order the normal path sends them, and the limit still answers 429', async () => {
    const limit = 20;
    t = await catalog({ REGISTRY_READ_RATE_LIMIT: String(limit) });
    const { miss, asked } = await missUntilCached(t, 'detail', READS.detail);
    expect(isHit(t, 'detail')).toBe(true);
    const hit = await t.app.inject(READS.detail);
    const names = (res: LightMyRequestResponse) => head(res).split('\r\n').slice(1).filter(Boolean).map((l) => l.split(':')[0].toLowerCase());
    expect(names(hit)).toEqual(names(miss));
    expect(names(hit).slice(0, 3)).toEqual(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']);
    expect(hit.headers['x-ratelimit-remaining']).toBe(String(limit - asked - 1));
    expect(hit.rawPayload.equals(miss.rawPayload)).toBe(true);
    for (let sent = asked + 1; sent < limit; sent++) expect((await t.app.inject(READS.detail)).statusCode).toBe(200);
    const limited = await t.app.inject(READS.detail);
    expect(limited.statusCode).toBe(429);
    expectError({ status: limited.statusCode, json: limited.json() }, 429, 'rate_limited');
  });
});

describe('errors of the hot reads', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('leave in the envelope with a weak ETag from the etag hook, as before', async () => {
    t = await catalog();
    for (const url of ['/w/no-such-worker', '/workers/no-such-worker.md', '/k/acme/no-such-kit']) {
      const res = await t.app.inject(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers.etag, url).toMatch(/^W\/"/);
      expect(res.json().error.code, url).toMatch(/_not_found$/);
    }
  });
});
