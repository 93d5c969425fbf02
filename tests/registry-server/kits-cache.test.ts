import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_BACKEND } from '../helpers/pg-database';
import { eventually } from '../helpers/pg-replicas';
import { binary, makeApp, type TestApp } from './helpers';
import { kitBody, publishKitWorkers } from './kit-fixtures';

/**
 * The kit read cache (services/kit-cache.ts): every kit read answers prepared bytes with an ETag, and every kit write
 * (publish, tag move, status change, download) and worker write changes the next answer, on this process and on
 * another process or replica sharing the store.
 */

const KIT = '/k/acme/kanban-team';
/** Every cached read, as a client sends it. */
const READS = [KIT, `${KIT}?version=1.0.0`, `${KIT}/versions`, `${KIT}/files`, `${KIT}/functions`, `${KIT}/readme`, '/k?search=kanban', '/k'];

const readAll = async (t: TestApp) => Promise.all(READS.map(async (url) => (await t.get(url)).body));

describe('kit read cache', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp();
    await publishKitWorkers(t);
    expect((await t.post(KIT, kitBody('1.0.0'))).status).toBe(200);
  });
  afterEach(() => t.close());

  it('a publish, tag move, deprecation and download each change the next answer', async () => {
    const before = await readAll(t);
    expect(await readAll(t)).toEqual(before); // served again, unchanged, from the cache

    expect((await t.post(KIT, kitBody('1.1.0', { readme: '# Kanban team 1.1\n' }))).status).toBe(200);
    expect((await t.get(KIT)).json.kit.version).toBe('1.1.0');
    expect((await t.get(`${KIT}/versions`)).json.release_tags).toEqual({ latest: '1.1.0' });
    expect((await t.get(`${KIT}/files`)).json.version).toBe('1.1.0');
    expect((await t.get(`${KIT}/readme`)).body).toBe('# Kanban team 1.1\n');
    expect((await t.get('/k?search=kanban')).json.kits[0].version).toBe('1.1.0');

    expect((await t.put(`${KIT}/tags/latest`, { version: '1.0.0' })).status).toBe(200);
    expect((await t.get(KIT)).json.kit.version).toBe('1.0.0');
    expect((await t.get(`${KIT}/versions`)).json.release_tags).toEqual({ latest: '1.0.0' });
    expect((await t.get(`${KIT}/files`)).json.version).toBe('1.0.0');
    expect((await t.get('/k')).json.kits[0].version).toBe('1.0.0');

    expect((await t.post(`${KIT}/versions/1.0.0/status`, { status: 'deprecated', message: 'use 1.1.0' })).status).toBe(200);
    expect((await t.get(`${KIT}?version=1.0.0`)).json.kit.deprecation).toEqual({ message: 'use 1.1.0', replaced_by: null });
    const versions = (await t.get(`${KIT}/versions`)).json.versions as { version: string; deprecated: boolean }[];
    expect(versions.find((v) => v.version === '1.0.0')?.deprecated).toBe(true);

    const downloadsBefore = (await t.get(KIT)).json.kit.total_downloads as number;
    expect((await t.get('/k')).json.kits[0].total_downloads).toBe(downloadsBefore);
    expect((await t.get(`${KIT}/download?ci=true`)).status).toBe(200);
    const after = (await t.get(KIT)).json.kit;
    expect([after.total_downloads, after.ci_downloads]).toEqual([downloadsBefore + 1, 1]);
    expect((await t.get('/k')).json.kits[0].total_downloads).toBe(downloadsBefore + 1);
  });

  it('a worker publish changes what the detail, files and functions resolve', async () => {
    await readAll(t);
    const fn = { name: 'kanban::create', description: 'Create a card, v1.7', request_schema: { type: 'object' }, response_schema: { type: 'object' }, metadata: {} };
    expect((await t.publish(binary('kanban', '1.7.0', { description: 'Kanban boards', functions: [fn] }))).status).toBe(200);
    expect((await t.get(KIT)).json.kit.workers[0].resolved).toBe('1.7.0');
    expect((await t.get(`${KIT}/files`)).json.workers[0].resolved).toBe('1.7.0');
    const functions = (await t.get(`${KIT}/functions`)).json.functions as { id: string; worker_version: string | null; status: string }[];
    expect(functions.find((f) => f.id === 'kanban::create')).toMatchObject({ worker_version: '1.7.0', status: 'ok' });
    // 1.7.0 dropped kanban::move: the cached "ok" must not survive.
    expect(functions.find((f) => f.id === 'kanban::move')?.status).toBe('missing');
  });

  it('every read carries an ETag and answers 304 to a matching If-None-Match until a write changes it', async () => {
    for (const url of READS) {
      const first = await t.app.inject({ url });
      expect(first.statusCode, url).toBe(200);
      const etag = first.headers.etag as string;
      expect(etag, url).toMatch(/^"[\w-]+"$/);
      const again = await t.app.inject({ url, headers: { 'if-none-match': etag } });
      expect([again.statusCode, again.body], url).toEqual([304, '']);
    }
    const readme = await t.app.inject({ url: `${KIT}/readme` });
    expect(readme.headers['content-type']).toBe('text/markdown; charset=utf-8');

    const detail = await t.app.inject({ url: KIT });
    await t.post(KIT, kitBody('1.1.0'));
    const changed = await t.app.inject({ url: KIT, headers: { 'if-none-match': detail.headers.etag as string } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(detail.headers.etag);
    expect(changed.json().kit.version).toBe('1.1.0');
  });

  it('/download sends the bytes and ETag of /files and counts even when answered 304', async () => {
    const files = await t.app.inject({ url: `${KIT}/files?version=1.0.0` });
    const download = await t.app.inject({ url: `${KIT}/download?version=1.0.0` });
    expect(download.body).toBe(files.body);
    expect(download.headers.etag).toBe(files.headers.etag);
    expect(download.headers['cache-control']).toBe('no-store');
    const conditional = await t.app.inject({ url: `${KIT}/download?version=1.0.0`, headers: { 'if-none-match': files.headers.etag as string } });
    expect(conditional.statusCode).toBe(304);
    expect((await t.get(KIT)).json.kit.total_downloads).toBe(2);
  });

  it('a missing kit or version is still 404 after the kit was read (errors are not cached)', async () => {
    await readAll(t);
    expect((await t.get(`${KIT}?version=9.9.9`)).status).toBe(404);
    expect((await t.get('/k/acme/nope/files')).status).toBe(404);
    expect((await t.post(KIT, kitBody('9.9.9'))).status).toBe(200);
    expect((await t.get(`${KIT}?version=9.9.9`)).json.kit.version).toBe('9.9.9');
  });
});

/** Two registries on one store: SQLite, two apps on one data dir; PostgreSQL, two backends on one database. */
describe('kit read cache across processes sharing the store', () => {
  let a: TestApp;
  let b: TestApp;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    if (TEST_BACKEND === 'postgres') {
      const database = await createTestDatabase();
      a = await makeApp({ REGISTRY_DATABASE_URL: database.url });
      b = await makeApp({ REGISTRY_DATABASE_URL: database.url });
      cleanup = () => database.drop();
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kits-cache-'));
      a = await makeApp({ REGISTRY_DATA_DIR: dir });
      b = await makeApp({ REGISTRY_DATA_DIR: dir });
      cleanup = () => fs.promises.rm(dir, { recursive: true, force: true });
    }
    await publishKitWorkers(a);
    expect((await a.post(KIT, kitBody('1.0.0'))).status).toBe(200);
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
    await cleanup();
  });

  /** Polls b until `url` answers what `check` wants (SQLite: within a millisecond; PostgreSQL: the follower's poll). */
  const seenOnB = (url: string, check: (json: Record<string, any>) => boolean) =>
    eventually(async () => {
      const res = await b.get(url);
      return res.status === 200 && check(res.json);
    }, 5_000, `${url} on the other registry`);

  it(`each sees the other's kit publish, tag move, deprecation and download (${TEST_BACKEND})`, async () => {
    await seenOnB(KIT, (j) => j.kit.version === '1.0.0');
    await readAll(b); // b's caches are warm before each write on a

    expect((await a.post(KIT, kitBody('1.1.0'))).status).toBe(200);
    await seenOnB(KIT, (j) => j.kit.version === '1.1.0');
    await seenOnB(`${KIT}/versions`, (j) => j.release_tags.latest === '1.1.0');
    await seenOnB('/k?search=kanban', (j) => j.kits[0]?.version === '1.1.0');

    expect((await a.put(`${KIT}/tags/latest`, { version: '1.0.0' })).status).toBe(200);
    await seenOnB(`${KIT}/files`, (j) => j.version === '1.0.0');

    expect((await a.post(`${KIT}/versions/1.1.0/status`, { status: 'deprecated', message: 'old' })).status).toBe(200);
    await seenOnB(`${KIT}?version=1.1.0`, (j) => j.kit.deprecation?.message === 'old');

    expect((await a.get(`${KIT}/download`)).status).toBe(200);
    await seenOnB(KIT, (j) => j.kit.total_downloads === 1);
    await seenOnB('/k', (j) => j.kits[0]?.total_downloads === 1);

    // And the other way: a write on b shows on a.
    await readAll(a);
    expect((await b.post(KIT, kitBody('1.2.0'))).status).toBe(200);
    await eventually(async () => (await a.get(`${KIT}?version=1.2.0`)).status === 200, 5_000, '1.2.0 on a');
    await eventually(async () => (await a.get(`${KIT}/versions`)).json.versions[0].version === '1.2.0', 5_000, 'versions on a');
  });
});
