import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, makeApp, type TestApp } from '../helpers';
import { hit, type FuzzRequest } from './helpers/check-reply';
import {
  archiveBytes, contentType, jsonBody, keyBody, nearValidPublish, pathSegment, queryString, resolveBody, skillsBody, statusBody, tagBody,
} from './helpers/fuzz-arbitraries';

/**
 * Property-based fault test: thousands of random and near-valid requests against every endpoint of one seeded
 * registry, through app.inject. No reply may be a 5xx; every 4xx of an API route is the error envelope. Write
 * requests really change the registry (publishes, tag moves, yanks), so later requests meet a moving state.
 * Set FUZZ_SEED to replay a failure fast-check reported.
 */

let t: TestApp;
let known: string[] = [];
let versions: string[] = [];
let otherKey = '';
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const params = (numRuns = RUNS): fc.Parameters<unknown> => ({
  numRuns,
  ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}),
  // A bound on wall time per property, so a slow machine runs fewer cases instead of timing out.
  interruptAfterTimeLimit: 6_000,
  endOnFailure: true,
});

beforeAll(async () => {
  t = await makeApp({ REGISTRY_SEED: '1' });
  const list = (await t.get('/w?limit=100')).json.workers as { name: string; version: string }[];
  known = list.map((w) => w.name);
  versions = [...new Set(list.map((w) => w.version))];
  otherKey = (await t.post('/admin/keys', { name: 'fuzz-other' })).json.key.key as string;
  expect(known.length).toBeGreaterThanOrEqual(12);
});
afterAll(() => t.close());

const seg = () => pathSegment([...known, ...versions]);
const q = () => queryString([...known, ...versions]);
const keyHeader = () =>
  fc.constantFrom<Record<string, string>>({ 'x-api-key': ADMIN_KEY }, { 'x-api-key': ADMIN_KEY }, { 'x-api-key': otherKey }, {}, { 'x-api-key': 'nope' }, { 'x-api-key': '' });

/** fast-check prints the whole counterexample (bodies of 70 kB): keep the report readable. */
async function check<T>(arb: fc.Arbitrary<T>, predicate: (v: T) => Promise<void>, numRuns?: number) {
  try {
    await fc.assert(fc.asyncProperty(arb, predicate), params(numRuns));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : '';
    throw new Error(`${message.slice(0, 1200)}${message.length > 1200 ? ' [...]' : ''}\nCaused by: ${cause.slice(0, 2500)}`);
  }
}

const run = (arb: fc.Arbitrary<FuzzRequest>, numRuns?: number) => check(arb, async (req) => void (await hit(t.app, req)), numRuns);

const withBody = (method: FuzzRequest['method'], url: fc.Arbitrary<string>, body: fc.Arbitrary<string>, kind: FuzzRequest['kind'] = 'api') =>
  fc.tuple(url, body, keyHeader(), contentType).map(([u, payload, key, ct]): FuzzRequest => ({
    method, url: u, payload, kind, headers: { ...key, ...(ct ? { 'content-type': ct } : {}) },
  }));

/** Printable latin-1 only: anything else is not a legal header value and never reaches a server. */
const headerValue = fc.oneof(fc.string({ unit: fc.constantFrom(...'abcXYZ019 -_.,;=/*"\'%éü'.split('')), maxLength: 40 }), fc.constantFrom('', '*', 'W/"x"', '"abc"', 'gzip, br', 'bytes=0-1'));
const junkHeaders = fc.dictionary(fc.constantFrom('x-api-key', 'if-none-match', 'accept', 'accept-encoding', 'range', 'x-forwarded-for', 'origin', 'content-type'), headerValue, { maxKeys: 4 });

const get = (url: fc.Arbitrary<string>, kind: FuzzRequest['kind'] = 'api') => url.map((u): FuzzRequest => ({ method: 'GET', url: u, kind }));

describe('fuzz: no 5xx, and every API 4xx is the error envelope', () => {
  it('POST /publish with near-valid, random, deep, huge and non-JSON bodies, with and without keys', async () => {
    await run(withBody('POST', fc.constant('/publish'), jsonBody(known, nearValidPublish(known))), RUNS * 2);
  });

  it('every publish that succeeds can be read back on every read path', async () => {
    const arb = nearValidPublish(known).map((p) => ({ ...p, extra: undefined }));
    await check(
      arb,
      async (payload) => {
        const res = await hit(t.app, { method: 'POST', url: '/publish', kind: 'api', headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
        if (res.statusCode !== 200) return;
        const name = encodeURIComponent(String(payload.worker_name));
        const v = encodeURIComponent(String(payload.version));
        for (const url of [`/w/${name}?version=${v}`, `/w/${name}/versions`, `/download/${name}?version=${v}`, `/workers/${name}.md?version=${v}`, `/w?search=${name}`])
          expect((await hit(t.app, { method: 'GET', url, kind: 'api' })).statusCode).toBeLessThan(400);
        for (const tab of ['', 'api', 'skills', 'versions', 'agent-context'])
          expect((await hit(t.app, { method: 'GET', url: `/workers/${name}?version=${v}&tab=${tab}`, kind: 'page' })).statusCode).toBe(200);
        await hit(t.app, { method: 'POST', url: '/resolve', kind: 'api', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ worker: payload.worker_name, version: payload.version }) });
      },
      RUNS,
    );
  });

  it('POST /resolve', async () => {
    await run(withBody('POST', fc.constant('/resolve'), jsonBody(known, resolveBody(known))));
  });

  it('GET /download/{name}, GET /w/{slug}, /versions and /skills with junk segments and queries', async () => {
    const url = fc.tuple(fc.constantFrom('/download/', '/w/'), seg(), fc.constantFrom('', '/versions', '/skills'), q()).map(([a, s, b, qs]) => `${a}${s}${a === '/w/' ? b : ''}${qs}`);
    await run(get(url), RUNS * 2);
  });

  it('GET /w with junk queries (search, cursor, limit, updated_since, type, tag, repeated keys)', async () => {
    await run(get(q().map((qs) => `/w${qs}`)), RUNS * 2);
  });

  it('PUT /w/{slug}/tags/{tag}', async () => {
    const url = fc.tuple(seg(), seg()).map(([s, tag]) => `/w/${s}/tags/${tag}`);
    await run(withBody('PUT', url, jsonBody(known, tagBody)));
  });

  it('POST /w/{slug}/skills', async () => {
    await run(withBody('POST', seg().map((s) => `/w/${s}/skills`), jsonBody(known, skillsBody)));
  });

  it('POST /w/{slug}/versions/{version}/status', async () => {
    const url = fc.tuple(seg(), seg()).map(([s, v]) => `/w/${s}/versions/${v}/status`);
    await run(withBody('POST', url, jsonBody(known, statusBody)));
  });

  it('POST /w/{slug}/archive?version= with random bytes and content types, GET /archives/{file}', async () => {
    const upload = fc.tuple(seg(), q(), archiveBytes, keyHeader(), contentType).map(([s, qs, bytes, key, ct]): FuzzRequest => ({
      method: 'POST', url: `/w/${s}/archive${qs}`, payload: Buffer.from(bytes), kind: 'api', headers: { ...key, ...(ct ? { 'content-type': ct } : {}) },
    }));
    await run(upload);
    await run(get(seg().map((s) => `/archives/${s}`)));
  });

  it('GET /workers/{name}.md with junk version, tokens and sections', async () => {
    await run(get(fc.tuple(seg(), q()).map(([s, qs]) => `/workers/${s}.md${qs}`), 'md'), RUNS * 2);
  });

  it('web pages, badges and feeds answer without a 5xx (HTML 404s allowed)', async () => {
    const url = fc
      .tuple(fc.constantFrom('/workers/', '/workers/', '/assets/', '/'), seg(), fc.constantFrom('', '/badge.svg', '/downloads.svg', '/feed.xml'), q())
      .map(([a, s, b, qs]) => (a === '/' ? `/${qs}` : `${a}${s}${a === '/workers/' ? b : ''}${qs}`));
    await run(get(url, 'page'), RUNS * 2);
  });

  it('index documents: /llms.txt, /openapi.json, /healthz, /feed.xml with junk queries', async () => {
    await run(get(fc.tuple(fc.constantFrom('/llms.txt', '/openapi.json', '/healthz', '/feed.xml', '/workers'), q()).map(([p, qs]) => `${p}${qs}`), 'page'));
  });

  it('admin keys: POST /admin/keys, GET /admin/keys, DELETE /admin/keys/{id} (never the admin key itself)', async () => {
    const listed = (await t.app.inject({ url: '/admin/keys', headers: { 'x-api-key': ADMIN_KEY } })).json() as { keys: { id: number; name: string }[] };
    const adminId = listed.keys.find((k) => k.name === 'bootstrap-admin')?.id;
    expect(adminId).toBeTypeOf('number');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    };
    const del = seg()
      .filter((s) => Number(decode(s)) !== adminId && Number(decode(s).trim()) !== adminId)
      .chain((s) => keyHeader().map((headers): FuzzRequest => ({ method: 'DELETE', url: `/admin/keys/${s}`, headers, kind: 'api' })));
    await run(withBody('POST', fc.constant('/admin/keys'), jsonBody(known, keyBody)));
    await run(del);
    expect((await t.get('/healthz')).status).toBe(200);
  });

  it('any method on any path made of junk segments', async () => {
    const arb = fc
      .tuple(
        fc.constantFrom<FuzzRequest['method']>('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH'),
        fc.array(seg(), { minLength: 1, maxLength: 5 }),
        q(),
        fc.jsonValue({ maxDepth: 2 }),
        junkHeaders,
      )
      .map(([method, parts, qs, body, headers]): FuzzRequest => ({
        method, url: `/${parts.join('/')}${qs}`, kind: 'page', headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_KEY, ...headers },
        payload: method === 'GET' || method === 'DELETE' || method === 'HEAD' ? undefined : JSON.stringify(body),
      }))
      // DELETE /admin/keys/<n> could revoke the admin key and turn every later write into a 401.
      .filter((r) => !(r.method === 'DELETE' && r.url.startsWith('/admin/keys')));
    await run(arb, RUNS * 2);
  });

  it('undecodable percent-encoding and over-long segments in any path answer in the envelope', async () => {
    const broken = pathSegment([...known, ...versions], true);
    const arb = fc
      .tuple(fc.constantFrom('/w/', '/download/', '/workers/', '/archives/', '/w/image-resize/tags/', '/w/image-resize/versions/'), broken, fc.constantFrom('', '.md', '/versions', '/skills', '/status'))
      .map(([a, s, b]): FuzzRequest => ({ method: a.includes('tags') ? 'PUT' : 'GET', url: `${a}${s}${b}`, kind: a === '/workers/' && b === '' ? 'page' : 'api' }));
    await run(arb);
  });

  it('the registry still answers after the storm', async () => {
    expect((await t.get('/healthz')).json.status).toBe('ok');
    expect((await t.get('/w/image-resize')).status).toBe(200);
  });
});
