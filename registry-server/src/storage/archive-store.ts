import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { inspectArchive, type InspectOptions } from './archive-policy';
import { DurableFile, type DurableFileOptions } from './durable-file';
import { processAlive } from './process-alive';

/**
 * Content-addressed store of hosted bundle archives: `<dir>/<sha256>.tar.gz`. An upload is read once:
 * the bytes are hashed and written to `<dir>/tmp/<random>` while the same bytes feed the safety policy.
 * Only an archive that passed is fsynced and renamed into place (a rename in the same filesystem is atomic,
 * so readers never see a partial file); anything else removes the temp file, leaving the store as it was.
 */

export interface StoredArchive {
  sha256: string;
  /** Compressed bytes, as stored and served. */
  size: number;
  entries: number;
  path: string;
}

/** What services need from any archive store (filesystem for SQLite, chunked rows for PostgreSQL). */
export interface ArchiveBlobs {
  put(source: Readable, options: { expectedName: string }): Promise<Omit<StoredArchive, 'path'>>;
  has(sha256: string): Promise<boolean>;
  /** The stored bytes as a stream, or null when no archive has that hash. */
  open(sha256: string): Promise<Readable | null>;
}

export interface ArchiveStore extends ArchiveBlobs {
  put(source: Readable, options: { expectedName: string }): Promise<StoredArchive>;
  path(sha256: string): string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Removes temp files a killed process left behind (uploads cut off mid-stream). Files of live processes stay:
 * another registry process may share the data directory and be mid-upload. A zombie counts as dead.
 */
export async function sweepArchiveTemp(dir: string): Promise<number> {
  const tmpDir = join(dir, 'tmp');
  const names = await readdir(tmpDir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && processAlive(pid)) continue;
    await rm(join(tmpDir, name), { force: true });
    removed++;
  }
  return removed;
}

/** Makes a rename durable: the new directory entry reaches the disk before the upload is acknowledged. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function createArchiveStore(dir: string, options: Pick<InspectOptions, 'limits'> & { file?: DurableFileOptions } = {}): ArchiveStore {
  const tmpDir = join(dir, 'tmp');

  function path(sha256: string): string {
    // The hash comes from URLs: refuse anything that is not a hash, so it can never name another file.
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a lowercase hex SHA-256: '${sha256}'`);
    return join(dir, `${sha256}.tar.gz`);
  }

  async function has(sha256: string): Promise<boolean> {
    if (!SHA256_HEX.test(sha256)) return false;
    return stat(path(sha256)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  async function put(source: Readable, put: { expectedName: string }): Promise<StoredArchive> {
    await mkdir(tmpDir, { recursive: true });
    // The writer's pid leads the name, so a later start can tell leftovers of dead processes from live uploads.
    const tmpPath = join(tmpDir, `${process.pid}-${randomBytes(12).toString('hex')}`);
    const file = await DurableFile.create(tmpPath, options.file);
    const hash = createHash('sha256');
    let size = 0;

    // One pass: each chunk is hashed and queued for the file (written in batches while the policy inflates and
    // scans the same chunk); only a full write queue makes the upload wait for the disk.
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        let wait: Promise<void> | undefined;
        try {
          wait = file.write(chunk);
        } catch (e) {
          return cb(e as Error);
        }
        if (!wait) return cb(null, chunk);
        wait.then(() => cb(null, chunk), cb);
      },
    });
    source.on('error', (e) => tap.destroy(e));
    source.pipe(tap);

    try {
      const inspection = await inspectArchive(tap, { expectedName: put.expectedName, limits: options.limits });
      // Every byte and the size on the disk (fdatasync) before the rename makes the archive visible.
      await file.finish();
      const sha256 = hash.digest('hex');
      const finalPath = path(sha256);
      if (await has(sha256)) await rm(tmpPath, { force: true });
      else {
        await rename(tmpPath, finalPath);
        await syncDir(dir);
      }
      return { sha256, size, entries: inspection.entries, path: finalPath };
    } catch (e) {
      source.unpipe(tap);
      source.pause();
      tap.destroy();
      await file.abort();
      await rm(tmpPath, { force: true });
      throw e;
    }
  }

  const open = async (sha256: string) => ((await has(sha256)) ? createReadStream(path(sha256)) : null);
  return { put, path, has, open };
}
