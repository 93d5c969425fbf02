import { createHash, randomUUID } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import type pg from 'pg';
import { inspectArchive, type InspectOptions } from '../../storage/archive-policy';
import type { ArchiveBlobs } from '../../storage/archive-store';
import { poolSql, transaction } from './sql';

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Bytes per row: big enough that a 100 MiB archive is 400 rows, small enough that memory stays flat. */
export const CHUNK_BYTES = 256 * 1024;

/**
 * Hosted bundle archives in PostgreSQL, content-addressed like the filesystem store. An upload streams through the
 * safety policy while its bytes are written as chunk rows under a temporary key (each chunk awaited before more is
 * read, so at most one chunk is held). Only an archive that passed gets its `archive_blobs` row, in the same
 * transaction that moves its chunks to the final key: readers never see a partial archive. A refused or cut-off
 * upload deletes its chunks; chunks of a killed replica are swept at start once they are an hour old.
 */
export function createPgArchiveStore(pool: pg.Pool, options: Pick<InspectOptions, 'limits'> = {}): ArchiveBlobs & { sweep(): Promise<number> } {
  const sql = poolSql(pool);

  async function has(sha256: string): Promise<boolean> {
    if (!SHA256_HEX.test(sha256)) return false;
    return (await sql.one('SELECT 1 AS x FROM archive_blobs WHERE sha256 = $1', [sha256])) !== undefined;
  }

  async function open(sha256: string): Promise<Readable | null> {
    if (!SHA256_HEX.test(sha256)) return null;
    const blob = await sql.one<{ chunks: number }>('SELECT chunks FROM archive_blobs WHERE sha256 = $1', [sha256]);
    if (!blob) return null;
    let seq = 0;
    return new Readable({
      async read() {
        if (seq >= blob.chunks) return void this.push(null);
        try {
          const row = await sql.one<{ data: Buffer }>('SELECT data FROM archive_chunks WHERE blob = $1 AND seq = $2', [sha256, seq++]);
          if (!row) throw new Error(`archive ${sha256} lost chunk ${seq - 1}`);
          this.push(row.data);
        } catch (e) {
          this.destroy(e as Error);
        }
      },
    });
  }

  async function put(source: Readable, put: { expectedName: string }) {
    const key = `tmp:${randomUUID()}`;
    const hash = createHash('sha256');
    let size = 0;
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let aborted = false;
    let inflight: Promise<unknown> = Promise.resolve();
    const flush = async () => {
      if (pendingBytes === 0 || aborted) return;
      const data = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      const insert = sql.exec('INSERT INTO archive_chunks (blob, seq, data) VALUES ($1, $2, $3)', [key, seq++, data]);
      inflight = insert.catch(() => {});
      await insert;
    };
    let written!: () => void;
    let failed!: (e: Error) => void;
    const allWritten = new Promise<void>((resolve, reject) => {
      written = resolve;
      failed = reject;
    });
    allWritten.catch(() => {});
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes < CHUNK_BYTES) return cb(null, chunk);
        flush().then(() => cb(null, chunk), (e: Error) => cb(e));
      },
      final(cb) {
        flush().then(() => {
          written();
          cb();
        }, (e: Error) => {
          failed(e);
          cb(e);
        });
      },
    });
    source.on('error', (e) => tap.destroy(e));
    tap.on('error', (e) => failed(e));
    source.pipe(tap);
    try {
      const inspection = await inspectArchive(tap, { expectedName: put.expectedName, limits: options.limits });
      // The policy reads to the end of the stream; wait for the last chunk's row as well.
      await allWritten;
      const sha256 = hash.digest('hex');
      await transaction(pool, async (s) => {
        const created = await s.exec(`INSERT INTO archive_blobs (sha256, size, chunks, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING`,
          [sha256, size, seq, new Date().toISOString()]);
        if (created === 1) await s.exec('UPDATE archive_chunks SET blob = $1 WHERE blob = $2', [sha256, key]);
        else await s.exec('DELETE FROM archive_chunks WHERE blob = $1', [key]);
      });
      return { sha256, size, entries: inspection.entries };
    } catch (e) {
      source.unpipe(tap);
      source.pause();
      tap.destroy();
      // A chunk still being written would land after the delete: stop new ones and wait for it first.
      aborted = true;
      await inflight;
      await sql.exec('DELETE FROM archive_chunks WHERE blob = $1', [key]).catch(() => {});
      throw e;
    }
  }

  return {
    put,
    has,
    open,
    sweep: () => sql.exec(`DELETE FROM archive_chunks WHERE blob LIKE 'tmp:%' AND created_at < now() - interval '1 hour'`),
  };
}
