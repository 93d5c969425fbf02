import { Transform, type TransformCallback } from 'node:stream';
import { createInflateRaw, crc32, type InflateRaw } from 'node:zlib';
import { ArchivePolicyError } from './archive-errors';

/**
 * Gunzip for exactly one gzip member (RFC 1952), nothing before or after it. Node's gunzip inflates every member
 * of a multi-member file and skips trailing zeros, while other tools stop after the first member: the same bytes
 * would then be two different archives. Here the header is parsed, the deflate stream inflated raw, the trailer
 * (CRC-32 and size) checked, and a second member or any other byte after the trailer refused.
 */

const MAX_HEADER = 64 * 1024;
/**
 * Inflated bytes per output chunk. Each chunk costs a thread-pool round trip and a callback on the main thread;
 * with zlib's 16 KiB default those round trips, not inflating, were most of the scan's time on a 10 MiB bundle.
 */
export const INFLATE_CHUNK = 256 * 1024;
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

const corrupt = (why: string) => new ArchivePolicyError('archive_corrupt', `The archive is not a readable .tar.gz: ${why}`);

/** Length of a complete gzip header at the start of `b`, 0 when more bytes are needed; throws when it is invalid. */
function headerLength(b: Buffer): number {
  if (b.length < 10) return 0;
  if (b[0] !== 0x1f || b[1] !== 0x8b) throw new ArchivePolicyError('archive_not_gzip', 'The upload is not gzip-compressed (a bundle is a .tar.gz)');
  if (b[2] !== 8) throw corrupt(`the gzip compression method ${b[2]} is not deflate`);
  const flags = b[3];
  if (flags & 0xe0) throw corrupt('the gzip header has reserved flags set');
  let at = 10;
  if (flags & FEXTRA) {
    if (b.length < at + 2) return 0;
    at += 2 + b.readUInt16LE(at);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    const nul = b.indexOf(0, at);
    if (nul < 0) return 0;
    at = nul + 1;
  }
  if (flags & FHCRC) at += 2;
  return b.length >= at ? at : 0;
}

export class SingleMemberGunzip extends Transform {
  private head = Buffer.alloc(0);
  private inflater: InflateRaw | undefined;
  private fed = 0;
  /** Compressed chunks given to the inflater that it may not have consumed yet, with their stream offsets. */
  private window: { start: number; bytes: Buffer }[] = [];
  private inflateEnded = false;
  /** Bytes after the deflate stream: the 8-byte trailer, and nothing else. */
  private after: Buffer[] = [];
  private afterBytes = 0;
  private crc = 0;
  private size = 0;
  private failed = false;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.failed) return cb();
    try {
      if (!this.inflater) {
        this.head = Buffer.concat([this.head, chunk]);
        const len = headerLength(this.head);
        if (len === 0) {
          if (this.head.length > MAX_HEADER) throw corrupt('the gzip header is too large');
          return cb();
        }
        this.start();
        chunk = this.head.subarray(len);
        this.head = Buffer.alloc(0);
      }
      if (chunk.length === 0) return cb();
      if (this.inflateEnded) {
        this.trailing(chunk);
        return cb();
      }
      this.window.push({ start: this.fed, bytes: chunk });
      this.fed += chunk.length;
      const consumed = (this.inflater as InflateRaw).bytesWritten;
      while (this.window.length > 0 && this.window[0].start + this.window[0].bytes.length <= consumed) this.window.shift();
      if ((this.inflater as InflateRaw).write(chunk)) cb();
      else (this.inflater as InflateRaw).once('drain', () => cb());
    } catch (e) {
      this.fail(e, cb);
    }
  }

  override _read(size: number): void {
    // The reader wants more: let the inflater emit again (it is paused while our readable buffer is full).
    this.inflater?.resume();
    super._read(size);
  }

  override _flush(cb: TransformCallback): void {
    if (this.failed) return cb();
    if (!this.inflater) return cb(this.head.length === 0 ? undefined : corrupt('the gzip header is truncated'));
    const finish = () => {
      try {
        this.checkTrailer();
        cb();
      } catch (e) {
        this.fail(e, cb);
      }
    };
    if (this.inflateEnded) return finish();
    this.inflater.once('end', finish);
    this.inflater.end();
  }

  private start(): void {
    const inflater = createInflateRaw({ chunkSize: INFLATE_CHUNK });
    this.inflater = inflater;
    inflater.on('data', (out: Buffer) => {
      this.crc = crc32(out, this.crc);
      this.size = (this.size + out.length) % 2 ** 32;
      if (!this.push(out)) inflater.pause();
    });
    inflater.on('error', (e) => this.fail(corrupt(`the gzip stream is damaged (${e.message})`)));
    inflater.once('end', () => {
      this.inflateEnded = true;
      // Whatever the inflater was given past the end of the deflate stream is the trailer and what follows it.
      const consumed = inflater.bytesWritten;
      for (const w of this.window) {
        const from = Math.max(0, consumed - w.start);
        if (from < w.bytes.length) this.trailing(w.bytes.subarray(from));
      }
      this.window = [];
    });
  }

  private trailing(bytes: Buffer): void {
    if (this.failed) return;
    this.after.push(bytes);
    this.afterBytes += bytes.length;
    if (this.afterBytes > 8) {
      try {
        this.checkTrailer();
      } catch (e) {
        this.fail(e);
      }
    }
  }

  private checkTrailer(): void {
    const after = Buffer.concat(this.after);
    if (after.length < 8) throw corrupt('the gzip stream is truncated (no trailer)');
    if (after.length > 8)
      throw corrupt(after[8] === 0x1f && after[9] === 0x8b ? 'it holds a second gzip member after the first' : 'there is data after the end of the gzip stream');
    if (after.readUInt32LE(0) !== this.crc >>> 0) throw corrupt('the gzip CRC-32 does not match the data');
    if (after.readUInt32LE(4) !== this.size) throw corrupt('the gzip size field does not match the data');
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    this.inflater?.destroy();
    cb(err);
  }

  private fail(e: unknown, cb?: TransformCallback): void {
    if (this.failed) return;
    this.failed = true;
    this.inflater?.destroy();
    const err = e instanceof Error ? e : new Error(String(e));
    if (cb) cb(err);
    else this.destroy(err);
  }
}
