import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DurableFile } from '../../registry-server/src/storage/durable-file';

const KiB = 1024;
const MiB = 1024 * KiB;
let root: string;
let n = 0;
let FileHandleProto: { writev: (...a: unknown[]) => Promise<unknown>; datasync: () => Promise<void> };
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'durable-file-'));
  // node:fs/promises does not export FileHandle: its prototype, for spies, comes from an open handle.
  const handle = await open(join(root, 'probe'), 'w');
  FileHandleProto = Object.getPrototypeOf(handle);
  await handle.close();
});
afterAll(() => rm(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const fresh = () => join(root, `f-${n++}`);
const chunksOf = (bytes: Buffer, size: number) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

describe('DurableFile', () => {
  it('writes every chunk in order, batched: one writev per batch, not one per chunk', async () => {
    const bytes = randomBytes(10 * MiB + 123);
    const path = fresh();
    const file = await DurableFile.create(path, { batchBytes: MiB });
    for (const chunk of chunksOf(bytes, 64 * KiB)) await file.write(chunk);
    await file.finish();
    expect((await readFile(path)).equals(bytes)).toBe(true);
    expect(file.stats.bytes).toBe(bytes.length);
    // Every batch but the last carries at least batchBytes: 161 socket-sized chunks, at most 11 writes.
    expect(file.stats.writes).toBeLessThanOrEqual(11);
  });

  it('fdatasyncs once, in finish(), before it resolves', async () => {
    const synced = vi.spyOn(FileHandleProto, 'datasync');
    const file = await DurableFile.create(fresh(), { batchBytes: 64 * KiB, maxPendingBytes: 256 * KiB });
    for (const chunk of chunksOf(randomBytes(4 * MiB), 64 * KiB)) await file.write(chunk);
    expect(synced).not.toHaveBeenCalled();
    await file.finish();
    expect(synced).toHaveBeenCalledTimes(1);
    expect(file.stats.syncs).toBe(1);
  });

  it('asks the caller to wait once more than maxPendingBytes are queued, and lets it go on once the writer took them', async () => {
    const path = fresh();
    const file = await DurableFile.create(path, { batchBytes: 64 * KiB, maxPendingBytes: 256 * KiB });
    const chunks = chunksOf(randomBytes(MiB), 64 * KiB);
    let firstWait = -1;
    for (const [i, chunk] of chunks.entries()) {
      const wait = file.write(chunk);
      if (wait && firstWait < 0) firstWait = i;
      if (wait) await wait;
    }
    await file.finish();
    // The first chunk is taken by the writer at once; then 5 chunks (320 KiB) queue up before the limit is passed.
    expect(firstWait).toBeGreaterThan(0);
    expect(firstWait).toBeLessThanOrEqual(5);
    expect((await readFile(path)).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('a failed write fails finish() and every later write', async () => {
    vi.spyOn(FileHandleProto, 'writev').mockRejectedValueOnce(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
    const file = await DurableFile.create(fresh(), { batchBytes: 64 * KiB });
    await file.write(randomBytes(64 * KiB));
    await expect(file.finish()).rejects.toThrow('no space left on device');
    expect(() => file.write(randomBytes(10))).toThrow('no space left on device');
  });

  it('abort() waits for the write in flight and closes, so the file can be removed', async () => {
    const path = fresh();
    const file = await DurableFile.create(path, { batchBytes: 64 * KiB });
    file.write(randomBytes(128 * KiB));
    file.write(randomBytes(10));
    await file.abort();
    expect((await readFile(path)).length).toBe(128 * KiB);
    await rm(path);
    await file.abort();
  });

  it('never overwrites an existing file', async () => {
    const path = fresh();
    await writeFile(path, 'kept');
    await expect(DurableFile.create(path)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(path, 'utf8')).toBe('kept');
  });
});
