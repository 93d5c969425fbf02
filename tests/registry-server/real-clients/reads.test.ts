import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binary, engine, expectError, expectOk, makeApp, type TestApp } from '../helpers';

/**
 * real-clients.md: "A worker that has only prereleases is a real worker" (engine release candidates) and "Detail
 * fields that the clients read as Rust String must be strings, never null; function and trigger rows come back
 * exactly as published".
 */

let t: TestApp;
beforeEach(async () => { t = await makeApp(); });
afterEach(async () => t.close());

/** Every field of the detail that Rust structs (iii-directory, the CI read-back) read as a String or Vec<String>. */
const STRING_FIELDS = ['name', 'description', 'type', 'version', 'repo', 'license', 'readme', 'published_at'] as const;

describe('real clients: prerelease-only workers', () => {
  beforeEach(async () => {
    await expectOk(t.publish(engine('iii-engine-rc', '0.23.0-rc.3', { tag: 'rc', readme: '# rc3' })));
    await expectOk(t.publish(engine('iii-engine-rc', '0.23.0-rc.4', { tag: 'rc', readme: '# rc4' })));
  });

  it('shows the newest version in the detail, without a version and with ?version=latest', async () => {
    for (const url of ['/w/iii-engine-rc', '/w/iii-engine-rc?version=latest', '/w/iii-engine-rc?version=rc']) {
      const w = (await expectOk(t.get(url))).worker;
      expect(w.version, url).toBe('0.23.0-rc.4');
      expect(w.readme).toBe('# rc4');
      expect(w.version_tags).toEqual(['rc']);
    }
  });

  it('lists its versions newest first and never gives latest to a prerelease implicitly', async () => {
    const { versions } = await expectOk(t.get('/w/iii-engine-rc/versions'));
    expect(versions.map((v: { version: string; tags: string[] }) => [v.version, v.tags])).toEqual([['0.23.0-rc.4', ['rc']], ['0.23.0-rc.3', []]]);
    expectError(await t.post('/resolve', { worker: 'iii-engine-rc', version: 'latest' }, null), 422, 'version_not_found');
    expect((await expectOk(t.post('/resolve', { worker: 'iii-engine-rc', version: 'rc' }, null))).root.version).toBe('0.23.0-rc.4');
  });

  it('renders its page, .md, llms.txt, feeds and badge at the newest version', async () => {
    const page = await t.get('/workers/iii-engine-rc');
    expect(page.status).toBe(200);
    expect(page.body).toContain('0.23.0-rc.4');
    const md = await t.get('/workers/iii-engine-rc.md');
    expect(md.status).toBe(200);
    expect(md.body).toContain('0.23.0-rc.4');
    const llms = await t.get('/llms.txt');
    expect(llms.body).toContain('/workers/iii-engine-rc.md');
    expect((await t.get('/feed.xml')).body).toContain('iii-engine-rc 0.23.0-rc.4');
    const feed = await t.get('/workers/iii-engine-rc/feed.xml');
    expect(feed.status).toBe(200);
    expect(feed.body).toContain('0.23.0-rc.4');
    expect((await t.get('/workers/iii-engine-rc/badge.svg')).body).toContain('v0.23.0-rc.4');
    expect((await expectOk(t.get('/w?search=iii-engine-rc'))).workers[0].version).toBe('0.23.0-rc.4');
  });

  it('a stable publish without a tag then becomes latest', async () => {
    await expectOk(t.publish(engine('iii-engine-rc', '0.23.0')));
    expect((await expectOk(t.post('/resolve', { worker: 'iii-engine-rc', version: 'latest' }, null))).root.version).toBe('0.23.0');
    expect((await expectOk(t.get('/w/iii-engine-rc'))).worker.version).toBe('0.23.0');
  });
});

describe('real clients: strings never null, rows as published', () => {
  it('answers license "" when none was published, as the CI read-back compares it', async () => {
    await expectOk(t.publish(binary('nolicense', '1.0.0', { license: undefined })));
    const w = (await expectOk(t.get('/w/nolicense?version=1.0.0'))).worker;
    expect(w.license).toBe('');
    for (const f of STRING_FIELDS) expect(typeof w[f], f).toBe('string');
    const row = (await expectOk(t.get('/w?search=nolicense'))).workers[0];
    for (const f of ['name', 'description', 'type', 'version', 'repo'] as const) expect(typeof row[f], f).toBe('string');
  });

  it('returns function and trigger rows exactly as published, extra schema keys and metadata included', async () => {
    const functions = [{ name: 'a::x', description: 'X', request_schema: { type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'], additionalProperties: false }, response_schema: { type: 'string' }, metadata: { http: { api_path: '/x', http_method: 'POST' } } }];
    const triggers = [{ name: 'a::on', description: 'On', invocation_schema: { type: 'object' }, return_schema: {}, metadata: { k: [1, 'two', null] } }];
    await expectOk(t.publish(binary('rows', '1.0.0', { functions, triggers })));
    const w = (await expectOk(t.get('/w/rows'))).worker;
    expect(w.functions).toEqual(functions);
    expect(w.triggers).toEqual(triggers);
  });
});
