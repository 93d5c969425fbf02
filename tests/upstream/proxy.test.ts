import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryProcess } from '../helpers/registry-process';
import { binaryPayload, call, publish, startProxy, startUpstream, userKey } from './two-registries';

/**
 * Two real registry processes: `upstream` plays the public registry, `proxy` is a private registry with its own
 * workers and REGISTRY_UPSTREAM_URL pointing at the upstream.
 */
let upstream: RegistryProcess;
let proxy: RegistryProcess;

beforeAll(async () => {
  upstream = await startUpstream();
  for (const p of [
    binaryPayload('pub-lib', '1.0.0'),
    binaryPayload('pub-lib', '1.2.0'),
    binaryPayload('pub-lib', '2.0.0'),
    binaryPayload('pub-tool', '0.3.0', { dependencies: { 'pub-lib': '^1.0.0' } }),
    binaryPayload('shared-name', '9.9.9', { description: 'upstream copy of shared-name' }),
  ]) expect((await publish(upstream.url, p)).status).toBe(200);
  expect((await call(upstream.url, 'POST', '/w/pub-lib/skills', { version: '1.2.0', skills: { 'SKILL.md': '---\ndescription: use pub-lib\n---\n# pub-lib' } })).status).toBe(200);
  // TTL 0: every read revalidates, so the tests see the upstream's current state (and its failures) at once.
  proxy = await startProxy(upstream.url, { REGISTRY_UPSTREAM_TTL: '0' });
  expect((await publish(proxy.url, binaryPayload('private-app', '1.0.0', { dependencies: { 'pub-tool': '^0.3.0', 'private-util': '^1.0.0' } }))).status).toBe(200);
  expect((await publish(proxy.url, binaryPayload('private-util', '1.0.0'))).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await upstream?.stop();
});

describe('upstream proxy over real HTTP', () => {
  it('answers detail, versions and skills of an upstream worker, marked with its origin and the upstream header', async () => {
    const d = await call(proxy.url, 'GET', '/w/pub-lib', undefined, null);
    expect(d.status).toBe(200);
    expect(d.json.worker).toMatchObject({ name: 'pub-lib', version: '2.0.0', origin: 'upstream' });
    expect(d.headers.get('x-registry-upstream')).toBe('fresh');
    const pinned = await call(proxy.url, 'GET', '/w/pub-lib?version=1.0.0', undefined, null);
    expect(pinned.json.worker.version).toBe('1.0.0');
    const v = await call(proxy.url, 'GET', '/w/pub-lib/versions', undefined, null);
    expect(v.json.versions.map((r: { version: string }) => r.version)).toEqual(['2.0.0', '1.2.0', '1.0.0']);
    const s = await call(proxy.url, 'GET', '/w/pub-lib/skills?version=1.2.0', undefined, null);
    expect(s.status).toBe(200);
    expect(s.json.skills[0].path).toBe('SKILL.md');
    // Local workers carry no upstream header.
    const local = await call(proxy.url, 'GET', '/w/private-util', undefined, null);
    expect(local.status).toBe(200);
    expect(local.headers.get('x-registry-upstream')).toBeNull();
  });

  it('keeps the upstream error codes for versions it does not have, and 404s for names nobody has', async () => {
    const v = await call(proxy.url, 'GET', '/w/pub-lib?version=7.0.0', undefined, null);
    expect(v.status).toBe(404);
    expect(v.json.error.code).toBe('version_not_found');
    const w = await call(proxy.url, 'GET', '/w/nobody-has-this', undefined, null);
    expect(w.status).toBe(404);
    expect(w.json.error.code).toBe('worker_not_found');
  });

  it('renders the agent document and the web page of an upstream worker locally', async () => {
    const md = await call(proxy.url, 'GET', '/workers/pub-lib.md', undefined, null);
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toContain('text/markdown');
    expect(md.text).toContain('pub-lib');
    expect(md.text).toContain('pub_lib::run');
    const page = await call(proxy.url, 'GET', '/workers/pub-lib', undefined, null);
    expect(page.status).toBe(200);
    expect(page.text).toContain('pub-lib');
    expect(page.text).toContain('2.0.0');
  });

  it('resolves a graph that mixes local and upstream workers, each node from where it lives', async () => {
    const r = await call(proxy.url, 'POST', '/resolve', { worker: 'private-app' }, null);
    expect(r.status).toBe(200);
    const byName = Object.fromEntries(r.json.graph.map((n: { name: string; version: string }) => [n.name, n]));
    expect(Object.keys(byName).sort()).toEqual(['private-app', 'private-util', 'pub-lib', 'pub-tool']);
    expect(byName['pub-lib'].version).toBe('1.2.0'); // ^1.0.0 from pub-tool: the highest 1.x, not 2.0.0
    expect(byName['pub-lib'].binaries['x86_64-unknown-linux-gnu'].url).toBe('https://example.com/pub-lib-1.2.0.tar.gz');
    expect(r.json.edges).toContainEqual({ from: 'pub-tool', to: 'pub-lib', range: '^1.0.0' });
    // Leaves first.
    const order = r.json.graph.map((n: { name: string }) => n.name);
    expect(order.indexOf('pub-lib')).toBeLessThan(order.indexOf('pub-tool'));
    const rootUp = await call(proxy.url, 'POST', '/resolve', { worker: 'pub-tool' }, null);
    expect(rootUp.json.graph.map((n: { name: string }) => n.name)).toEqual(['pub-lib', 'pub-tool']);
  });

  it('forwards downloads of upstream workers to the upstream counter, ci kept', async () => {
    const before = (await call(upstream.url, 'GET', '/w/pub-tool', undefined, null)).json.worker.download_counts;
    const d = await call(proxy.url, 'GET', '/download/pub-tool?ci=true', undefined, null);
    expect(d.status).toBe(200);
    expect(d.json).toMatchObject({ name: 'pub-tool', type: 'binary', version: '0.3.0' });
    await call(proxy.url, 'GET', '/download/pub-tool', undefined, null);
    const after = (await call(upstream.url, 'GET', '/w/pub-tool', undefined, null)).json.worker.download_counts;
    expect(after.total - before.total).toBe(2);
    expect(after.ci - before.ci).toBe(1);
  });

  it('search lists local rows first, then the upstream rows, deduplicated, each with its origin', async () => {
    const r = await call(proxy.url, 'GET', '/w?limit=50', undefined, null);
    expect(r.status).toBe(200);
    const rows = r.json.workers as { name: string; origin: string }[];
    const names = rows.map((x) => x.name);
    expect(new Set(names).size).toBe(names.length);
    const firstUpstream = rows.findIndex((x) => x.origin === 'upstream');
    expect(rows.slice(0, firstUpstream).every((x) => x.origin === 'local')).toBe(true);
    expect(rows.slice(firstUpstream).every((x) => x.origin === 'upstream')).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['private-app', 'private-util', 'pub-lib', 'pub-tool', 'shared-name']));
    const searched = await call(proxy.url, 'GET', '/w?search=pub', undefined, null);
    expect(searched.json.workers.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['pub-lib', 'pub-tool']));
  });

  it('pages from local results into the upstream results with one cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r: { json: { workers: { name: string }[]; pagination: { next_cursor: string | null } } } =
        await call(proxy.url, 'GET', `/w?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, null);
      seen.push(...r.json.workers.map((x) => x.name));
      cursor = r.json.pagination.next_cursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    expect([...seen].sort()).toEqual(['private-app', 'private-util', 'pub-lib', 'pub-tool', 'shared-name']);
  });

  it('refuses a non-admin publish of an upstream name; an admin may shadow it, and the local copy wins', async () => {
    const key = await userKey(proxy.url);
    const refused = await publish(proxy.url, binaryPayload('shared-name', '1.0.0'), key);
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('upstream_name_taken');
    expect(refused.json.error.fix).toMatch(/admin/);
    expect((await publish(proxy.url, binaryPayload('team-only', '1.0.0'), key)).status).toBe(200);
    const shadow = await publish(proxy.url, binaryPayload('shared-name', '1.0.0', { description: 'local shadow' }));
    expect(shadow.status).toBe(200);
    const d = await call(proxy.url, 'GET', '/w/shared-name', undefined, null);
    expect(d.json.worker).toMatchObject({ version: '1.0.0', description: 'local shadow' });
    const rows = (await call(proxy.url, 'GET', '/w?limit=50', undefined, null)).json.workers as { name: string; origin: string }[];
    expect(rows.filter((x) => x.name === 'shared-name')).toEqual([expect.objectContaining({ origin: 'local' })]);
  });

  it('serves the cache, marked stale, while the upstream is down; uncached reads fail in the envelope', async () => {
    await call(proxy.url, 'GET', '/w/pub-tool', undefined, null); // cached
    await upstream.stop();
    try {
      const d = await call(proxy.url, 'GET', '/w/pub-tool', undefined, null);
      expect(d.status).toBe(200);
      expect(d.json.worker.name).toBe('pub-tool');
      expect(d.headers.get('x-registry-upstream')).toBe('stale');
      expect(d.headers.get('warning')).toMatch(/^110 /);
      const r = await call(proxy.url, 'POST', '/resolve', { worker: 'private-app' }, null);
      expect(r.status).toBe(200);
      expect(r.headers.get('x-registry-upstream')).toBe('stale');
      const miss = await call(proxy.url, 'GET', '/w/pub-never-fetched', undefined, null);
      expect(miss.status).toBe(502);
      expect(miss.json.error.code).toBe('upstream_unreachable');
      expect(miss.json.error.fix).toContain('npm run mirror');
      const download = await call(proxy.url, 'GET', '/download/pub-tool', undefined, null);
      expect(download.status).toBe(200);
      expect(download.json).toMatchObject({ name: 'pub-tool', version: '0.3.0' });
      expect(download.headers.get('x-registry-upstream')).toBe('stale');
      const page = await call(proxy.url, 'GET', '/workers/pub-never-fetched', undefined, null);
      expect(page.status).toBe(502);
      expect(page.text).toContain('Upstream registry unavailable');
      const stalePage = await call(proxy.url, 'GET', '/workers/pub-tool', undefined, null);
      expect(stalePage.status).toBe(200);
      expect(stalePage.headers.get('x-registry-upstream')).toBe('stale');
      const search = await call(proxy.url, 'GET', '/w?search=private', undefined, null);
      expect(search.status).toBe(200);
      expect(search.json.workers.map((x: { name: string }) => x.name)).toContain('private-app');
    } finally {
      await upstream.restart();
    }
    const back = await call(proxy.url, 'GET', '/w/pub-tool', undefined, null);
    expect(back.headers.get('x-registry-upstream')).toBe('fresh');
  });
});
