import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { open as openFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ArchivePolicyError } from '../../registry-server/src/storage/archive-policy';
import { createArchiveStore } from '../../registry-server/src/storage/archive-store';
import {
  entry,
  header,
  manifestYaml,
  MiB,
  open,
  packDir,
  withManifest,
  writeTarGz,
  zeroEntry,
} from './helpers/tar-fixtures';

let root: string;
let n = 0;
let good: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'archive-store-'));
  good = await packDir(
    join(root, 'src'),
    { 'iii.worker.yaml': manifestYaml(), 'bundle.js': 'console.log("hello")\n', 'lib/a.js': 'export {}\n' },
    join(root, 'good.tar.gz'),
  );
});
afterAll(() => rm(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const freshDir = () => join(root, `store-${n++}`);
const sha256Of = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

describe('createArchiveStore', () => {
  it('stores a good archive at <sha256>.tar.gz with the SHA-256 of the uploaded bytes', async () => {
    const dir = freshDir();
    const store = createArchiveStore(dir);
    const stored = await store.put(open(good), { expectedName: 'hello-bundle' });
    const expected = await sha256Of(good);
    expect(stored.sha256).toBe(expected);
    expect(stored.path).toBe(join(dir, `${expected}.tar.gz`));
    expect(stored.size).toBe((await readFile(good)).length);
    expect(stored.entries).toBe(5);
    expect(await sha256Of(stored.path)).toBe(expected);
    expect(store.path(expected)).toBe(stored.path);
    expect(await store.has(expected)).toBe(true);
    expect(await store.has('0'.repeat(64))).toBe(false);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });

  it('stores the same archive once when it is uploaded twice', async () => {
    const dir = freshDir();
    const store = createArchiveStore(dir);
    const first = await store.put(open(good), { expectedName: 'hello-bundle' });
    const second = await store.put(open(good), { expectedName: 'hello-bundle' });
    expect(second).toEqual(first);
    expect((await readdir(dir)).sort()).toEqual([`${first.sha256}.tar.gz`, 'tmp']);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });

  it('acknowledges an archive only once its bytes are fdatasynced (before the rename) and the directory is fsynced (after it)', async () => {
    const probe = await openFile(join(root, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { datasync(): Promise<void>; sync(): Promise<void> };
    await probe.close();
    const order: string[] = [];
    const datasync = proto.datasync;
    const sync = proto.sync;
    vi.spyOn(proto, 'datasync').mockImplementation(function (this: unknown) {
      order.push('datasync');
      return datasync.call(this);
    });
    vi.spyOn(proto, 'sync').mockImplementation(function (this: unknown) {
      order.push('sync');
      return sync.call(this);
    });
    const dir = freshDir();
    const stored = await createArchiveStore(dir).put(open(good), { expectedName: 'hello-bundle' });
    expect(await sha256Of(stored.path)).toBe(stored.sha256);
    // The temp file's one fdatasync, then the directory's fsync that makes the rename durable.
    expect(order).toEqual(['datasync', 'sync']);
  });

  it('stores a 10 MiB archive read in socket-sized chunks byte for byte', async () => {
    const big = join(root, 'big.tar.gz');
    await writeTarGz(big, withManifest(entry('big.js', randomBytes(10 * MiB))));
    const dir = freshDir();
    const bytes = await readFile(big);
    const stored = await createArchiveStore(dir).put(Readable.from(Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) => bytes.subarray(i * 65536, (i + 1) * 65536))), { expectedName: 'hello-bundle' });
    expect(stored.size).toBe(bytes.length);
    expect((await readFile(stored.path)).equals(bytes)).toBe(true);
    expect(stored.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('never names a file outside the store from a hash that is not one', async () => {
    const store = createArchiveStore(freshDir());
    expect(() => store.path('../../etc/passwd')).toThrow(/not a lowercase hex SHA-256/);
    expect(await store.has('../good')).toBe(false);
  });
});

describe('createArchiveStore: a refused upload leaves nothing behind', () => {
  const bad: Record<string, { code: string; make: (file: string) => Promise<unknown>; limits?: { maxUploadBytes: number } }> = {
    symlink: {
      code: 'archive_symlink',
      make: (f) => writeTarGz(f, withManifest([header({ path: 'l', type: 'SymbolicLink', linkpath: '/etc' })])),
    },
    traversal: { code: 'archive_path_traversal', make: (f) => writeTarGz(f, withManifest(entry('../x.js', 'x'))) },
    'gzip bomb': {
      code: 'archive_too_large',
      make: (f) => writeTarGz(f, withManifest([0, 1, 2].flatMap((i) => zeroEntry(`z${i}`, 30 * MiB)))),
    },
    'file too large': { code: 'archive_file_too_large', make: (f) => writeTarGz(f, withManifest(zeroEntry('z', 33 * MiB))) },
    'not gzip': { code: 'archive_not_gzip', make: (f) => writeFile(f, 'plain text') },
    truncated: {
      code: 'archive_corrupt',
      make: async (f) => writeFile(f, (await readFile(good)).subarray(0, 100)),
    },
    'name mismatch': { code: 'archive_manifest_invalid', make: (f) => writeTarGz(f, withManifest([], 'someone-else')) },
    'no manifest': { code: 'archive_manifest_missing', make: (f) => writeTarGz(f, [...entry('bundle.js', 'x'), Buffer.alloc(1024)]) },
    'upload too large': { code: 'archive_upload_too_large', make: (f) => copyFile(good, f), limits: { maxUploadBytes: 64 } },
  };

  it.each(Object.keys(bad))('%s', async (name) => {
    const { code, make, limits } = bad[name];
    const file = join(root, `bad-${n++}.tar.gz`);
    await make(file);
    const dir = freshDir();
    const store = createArchiveStore(dir, { limits });
    const source = open(file);
    const error = await store.put(source, { expectedName: 'hello-bundle' }).catch((e: unknown) => e);
    source.destroy();
    expect(error).toBeInstanceOf(ArchivePolicyError);
    expect((error as ArchivePolicyError).code).toBe(code);
    expect(await readdir(dir)).toEqual(['tmp']);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });

  it('an upload that breaks off mid-stream rejects with its error and leaves nothing', async () => {
    const bytes = await readFile(good);
    const source = new Readable({
      read() {
        this.push(bytes.subarray(0, 200));
        this.destroy(new Error('client went away'));
      },
    });
    const dir = freshDir();
    await expect(createArchiveStore(dir).put(source, { expectedName: 'hello-bundle' })).rejects.toThrow('client went away');
    expect(await readdir(dir)).toEqual(['tmp']);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });
});
