import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ErrorEnvelopeSchema } from '@iii-registry/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, expectError, makeApp, readAnswer, type TestApp } from '../helpers';
import { gzipSync } from 'node:zlib';
import { bundleBody, END, entry, gnuLongPath, header, manifestYaml, MiB, packDir, paxHeader, paxPath, paxRecord, type Part, withManifest, writeTarGz, zeroEntry } from '../helpers/tar-fixtures';

/**
 * Hostile bundle archives uploaded over real HTTP (POST /w/{slug}/archive?version=) to a registry on a real temp
 * data dir: each is refused with its named code, and <dataDir>/archives holds no new file (temp files included) and
 * nothing is staged. Then a good bundle goes the whole way: upload, publish without archive_url, download, fetch.
 */

const NAME = 'hostile-bundle';
let t: TestApp;
let dataDir: string;
let fixtures: string;
let base = '';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'archive-faults-'));
  fixtures = await mkdtemp(join(tmpdir(), 'archive-fixtures-'));
  t = await makeApp({ REGISTRY_DATA_DIR: dataDir });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(fixtures, { recursive: true, force: true });
});

/** Every file under the archive store, recursively, temp dir included (on PostgreSQL: blobs and temporary chunks). */
async function storeFiles(): Promise<string[]> {
  if (t.backend.kind === 'postgres')
    return (await t.backend.query<{ f: string }>(`SELECT sha256 || '.tar.gz' AS f FROM archive_blobs
      UNION ALL SELECT 'tmp/' || blob || '/' || seq AS f FROM archive_chunks WHERE blob LIKE 'tmp:%'`)).map((r) => r.f).sort();
  const root = join(dataDir, 'archives');
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(join(dir, e.name));
      else out.push(relative(root, join(dir, e.name)));
    }
  };
  await walk(root);
  return out.sort();
}

const stagedRows = () => t.count('SELECT COUNT(*) AS n FROM staged_archives');

async function upload(body: Buffer, name = NAME, version = '1.0.0', key = ADMIN_KEY) {
  const res = await fetch(`${base}/w/${name}/archive?version=${encodeURIComponent(version)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/gzip', 'x-api-key': key },
    body: new Uint8Array(body),
  });
  return readAnswer(res);
}

let n = 0;
const tarGz = async (parts: Part[]) => readFile(await writeTarGz(join(fixtures, `f${n++}.tar.gz`), parts));

const HOSTILE: [string, string, () => Promise<Buffer>][] = [
  ['a symbolic link', 'archive_symlink', () => tarGz(withManifest([header({ path: 'etc', type: 'SymbolicLink', linkpath: '/etc' })], NAME))],
  ['a hard link', 'archive_hard_link', () => tarGz(withManifest([header({ path: 'copy.js', type: 'Link', linkpath: 'bundle.js' })], NAME))],
  ['a `..` path', 'archive_path_traversal', () => tarGz(withManifest(entry('lib/../../escape.js', 'x'), NAME))],
  ['a `..` path hidden in a PAX header', 'archive_path_traversal', () => tarGz(withManifest([paxPath('../pax-escape.js'), ...entry('innocent.js', 'x')], NAME))],
  ['an absolute path', 'archive_absolute_path', () => tarGz(withManifest(entry('/etc/cron.d/evil', 'x'), NAME))],
  ['an absolute path in a GNU long name', 'archive_absolute_path', () => tarGz(withManifest([...gnuLongPath(`/tmp/${'x'.repeat(120)}.js`), ...entry('short.js', 'x')], NAME))],
  ['a character device', 'archive_special_entry', () => tarGz(withManifest([header({ path: 'null', type: 'CharacterDevice', devmaj: 1, devmin: 3 })], NAME))],
  ['a block device', 'archive_special_entry', () => tarGz(withManifest([header({ path: 'sda', type: 'BlockDevice', devmaj: 8, devmin: 0 })], NAME))],
  ['a FIFO', 'archive_special_entry', () => tarGz(withManifest([header({ path: 'pipe', type: 'FIFO' })], NAME))],
  ['more than 1024 entries', 'archive_too_many_entries', () => tarGz(withManifest(Array.from({ length: 1030 }, (_, i) => entry(`f/${i}.js`, '1')).flat(), NAME))],
  ['depth over 16', 'archive_too_deep', () => tarGz(withManifest(entry(`${'d/'.repeat(17)}deep.js`, 'x'), NAME))],
  ['a single file over 32 MiB', 'archive_file_too_large', () => tarGz(withManifest(zeroEntry('big.bin', 33 * MiB), NAME))],
  ['a gzip bomb over 64 MiB unpacked', 'archive_too_large', () => tarGz(withManifest([0, 1, 2].flatMap((i) => zeroEntry(`z${i}.bin`, 30 * MiB)), NAME))],
  ['a file that is not gzip', 'archive_not_gzip', async () => Buffer.from('this is not a tarball')],
  ['a gzip of something that is not tar', 'archive_corrupt', () => tarGz([Buffer.from('x'.repeat(600))])],
  ['a PAX global header with path=../escaped-global.js', 'archive_path_traversal',
    async () => gzipSync(Buffer.concat([...paxHeader([paxRecord('path', '../escaped-global.js')], 'g'), ...bundleBody(NAME), END]))],
  ['a NUL inside a PAX path', 'archive_corrupt',
    async () => gzipSync(Buffer.concat([...bundleBody(NAME), ...paxHeader([paxRecord('path', Buffer.from('ok.js\0../../escape.js'))]), ...entry('innocent.js', 'x'), END]))],
  ['an entry after the end-of-archive marker', 'archive_corrupt', async () => gzipSync(Buffer.concat([...bundleBody(NAME), END, ...entry('hidden.js', 'x'), END]))],
  ['a second gzip member', 'archive_corrupt',
    async () => Buffer.concat([gzipSync(Buffer.concat([...bundleBody(NAME), END])), gzipSync(Buffer.concat([...entry('hidden.js', 'x'), END]))])],
  ['no iii.worker.yaml', 'archive_manifest_missing', () => tarGz([...entry('bundle.js', 'x'), END])],
  ['a manifest for another worker', 'archive_manifest_invalid', () => tarGz(withManifest([], 'someone-else'))],
];

describe('POST /w/{slug}/archive refuses unsafe archives with a named code and stores nothing', () => {
  it.each(HOSTILE)('refuses %s (%s)', async (_what, code, make) => {
    const body = await make();
    const before = await storeFiles();
    const staged = await stagedRows();
    const res = await upload(body);
    expect(res.status, JSON.stringify(res.json)).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(ErrorEnvelopeSchema.safeParse(res.json).success, JSON.stringify(res.json)).toBe(true);
    expect(res.json.error.code).toBe(code);
    expect(res.json.error.fix.length).toBeGreaterThan(0);
    expect(await storeFiles()).toEqual(before);
    expect(await stagedRows()).toBe(staged);
    // Nothing staged: a bundle publish without archive_url still has no archive to pick up.
    expectError(await t.publish({ worker_name: NAME, version: '1.0.0', type: 'bundle' }), 422, 'archive_missing');
  });

  it('the store holds no file at all after every refusal', async () => {
    expect((await storeFiles()).filter((f) => !f.startsWith('tmp/'))).toEqual([]);
    expect((await storeFiles()).filter((f) => f.startsWith('tmp/'))).toEqual([]);
  });

  it('refuses an upload without a key (401), with a bad version (422) or for another owner (403), storing nothing', async () => {
    const good = await tarGz(withManifest([], NAME));
    expect((await upload(good, NAME, '1.0.0', 'wrong')).json.error.code).toBe('api_key_invalid');
    const bad = await upload(good, NAME, 'v1');
    expect(bad.status).toBe(422);
    expect(bad.json.error.problems.map((p: { path: string }) => p.path)).toEqual(['version']);
    const alice = (await t.post('/admin/keys', { name: 'alice' })).json.key.key as string;
    const bob = (await t.post('/admin/keys', { name: 'bob' })).json.key.key as string;
    const mine = await tarGz(withManifest([], 'alices-bundle'));
    expect((await upload(mine, 'alices-bundle', '0.1.0', alice)).status).toBe(200);
    expect((await t.publish({ worker_name: 'alices-bundle', version: '0.1.0', type: 'bundle' }, alice)).status).toBe(200);
    const before = await storeFiles();
    expect((await upload(mine, 'alices-bundle', '0.2.0', bob)).json.error.code).toBe('not_owner');
    expect(await storeFiles()).toEqual(before);
  });
});

describe('an upload cut off mid-stream', () => {
  it('leaves no temp file and stages nothing when the client disconnects halfway', async () => {
    const body = await tarGz(withManifest(zeroEntry('half.bin', 20 * MiB), NAME));
    const staged = await stagedRows();
    const before = await storeFiles();
    await new Promise<void>((resolve) => {
      const req = http.request(`${base}/w/${NAME}/archive?version=2.0.0`, {
        method: 'POST',
        headers: { 'content-type': 'application/gzip', 'x-api-key': ADMIN_KEY, 'content-length': String(body.length) },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => req.destroy(), 100));
    });
    // The server notices the reset asynchronously: poll, bounded, until its temp file is gone.
    for (let i = 0; i < 100 && (await storeFiles()).length !== before.length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await storeFiles()).toEqual(before);
    expect(await stagedRows()).toBe(staged);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

describe('a valid bundle goes the whole way over HTTP', () => {
  it('upload, publish with no archive_url/sha256, GET /download gives /archives/ URL and sha256, which serves the exact bytes', async () => {
    const src = join(fixtures, 'good-src');
    const file = await packDir(src, { 'iii.worker.yaml': manifestYaml('good-bundle'), 'bundle.js': 'console.log("hi")\n', 'lib/util.js': 'export const x = 1;\n' }, join(fixtures, 'good.tar.gz'));
    const bytes = await readFile(file);
    const sha = createHash('sha256').update(bytes).digest('hex');

    const up = await upload(bytes, 'good-bundle', '1.0.0');
    expect(up.status, JSON.stringify(up.json)).toBe(200);
    expect(up.json).toMatchObject({ sha256: sha, size: bytes.length });
    expect(up.json.archive_url).toMatch(new RegExp(`/archives/${sha}\\.tar\\.gz$`));
    expect(up.json.entries).toBeGreaterThanOrEqual(3);
    expect((await storeFiles()).filter((f) => !f.startsWith('tmp/'))).toContain(`${sha}.tar.gz`);
    expect((await storeFiles()).filter((f) => f.startsWith('tmp/'))).toEqual([]);

    const pub = await t.publish({ worker_name: 'good-bundle', version: '1.0.0', type: 'bundle', description: 'a hosted bundle' });
    expect(pub.status, pub.body).toBe(200);

    const dl = await fetch(`${base}/download/good-bundle`);
    expect(dl.status).toBe(200);
    const info = (await dl.json()) as { name: string; type: string; version: string; archive_url: string; sha256: string };
    expect(info).toMatchObject({ name: 'good-bundle', type: 'bundle', version: '1.0.0', sha256: sha });
    const url = new URL(info.archive_url);
    expect(url.pathname).toBe(`/archives/${sha}.tar.gz`);

    const served = await fetch(`${base}${url.pathname}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/gzip/);
    const got = Buffer.from(await served.arrayBuffer());
    expect(got.equals(bytes)).toBe(true);
    expect(createHash('sha256').update(got).digest('hex')).toBe(sha);

    // The resolve graph node carries the same pair.
    const resolved = await t.post('/resolve', { worker: 'good-bundle', version: 'latest' });
    expect(resolved.json.graph[0]).toMatchObject({ name: 'good-bundle', type: 'bundle', archive_url: info.archive_url, sha256: sha });
  });
});
