import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import type { WorkerManifest } from '@iii-registry/schemas';
import {
  ARCHIVE_LIMITS,
  ARCHIVE_MANIFEST,
  ArchivePolicyError,
  formatBytes,
  isArchivePolicyError,
  type ArchiveLimits,
} from './archive-errors';
import { SingleMemberGunzip } from './gzip-member';
import { MAX_META_ENTRY, TarFraming } from './tar-framing';
import { EntryChecker, fileTooLarge, tooLarge } from './archive-paths';
import { readBundleManifest } from './archive-manifest';

export * from './archive-errors';
export { normalizeEntryPath } from './archive-paths';
export { readBundleManifest } from './archive-manifest';

/**
 * The bundle archive safety policy (formats.md, "Bundle archives"), applied while the bytes stream:
 * gunzip (exactly one gzip member) into the tar parser, every byte first read by an independent framing check
 * (tar-framing.ts: NULs in names, every PAX form, data after the end marker), every entry checked as its header
 * arrives, sizes counted as data flows.
 * The first broken rule stops everything (the source is unpiped and paused, our streams destroyed), so an
 * archive of any size costs flat memory: only iii.worker.yaml (at most maxManifestBytes) is ever held.
 * Free of server concerns: the publisher runs the same check before uploading.
 */

export interface InspectOptions {
  /** The worker being published: the manifest's `name` must equal it. */
  expectedName?: string;
  limits?: Partial<ArchiveLimits>;
}

export interface ArchiveInspection {
  /** Files and directories (metadata headers excluded). */
  entries: number;
  /** Sum of file sizes once unpacked. */
  unpackedBytes: number;
  manifest: WorkerManifest;
}

/** Tar framing allowed on top of file contents: a header and padding per entry, PAX records, end padding. */
const FRAMING_PER_ENTRY = 4096;
const FRAMING_SLACK = 1024 * 1024;
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/**
 * Checks a `.tar.gz` stream against the policy and resolves with what it holds. Rejects with an
 * ArchivePolicyError (or the source's own error). On rejection the source is left unpiped and paused:
 * the caller decides whether to destroy it (an HTTP route may prefer to answer first).
 */
export function inspectArchive(source: Readable, options: InspectOptions = {}): Promise<ArchiveInspection> {
  const limits: ArchiveLimits = { ...ARCHIVE_LIMITS, ...options.limits };
  const maxTarStream = limits.maxUnpackedBytes + limits.maxEntries * FRAMING_PER_ENTRY + FRAMING_SLACK;
  const checker = new EntryChecker(limits);
  const framing = new TarFraming();

  return new Promise<ArchiveInspection>((resolve, reject) => {
    let settled = false;
    let compressedBytes = 0;
    let gzipHead = Buffer.alloc(0);
    let tarBytes = 0;
    let tarHead = Buffer.alloc(0);
    let tarEnded = false;
    let unpackedBytes = 0;
    let manifest: WorkerManifest | undefined;

    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        if (settled) return cb();
        compressedBytes += chunk.length;
        if (compressedBytes > limits.maxUploadBytes) {
          fail(
            new ArchivePolicyError(
              'archive_upload_too_large',
              `The compressed archive is larger than ${limits.maxUploadBytes} bytes (${formatBytes(limits.maxUploadBytes)})`,
            ),
          );
          return cb();
        }
        if (gzipHead.length < 2) {
          gzipHead = Buffer.concat([gzipHead, chunk]).subarray(0, 2);
          if (gzipHead.length === 2 && !gzipHead.equals(GZIP_MAGIC)) {
            fail(notGzip());
            return cb();
          }
        }
        cb(null, chunk);
      },
      flush(cb) {
        if (gzipHead.length < 2) fail(notGzip());
        cb();
      },
    });
    const gunzip = new SingleMemberGunzip();
    // strict: every parser warning (bad checksum, truncated body, not a tar) becomes an error.
    const parser = new Parser({ strict: true, zstd: false, brotli: false, maxMetaEntrySize: MAX_META_ENTRY });

    function fail(error: unknown): void {
      if (settled) return;
      settled = true;
      source.unpipe(meter);
      source.pause();
      meter.destroy();
      gunzip.destroy();
      // abort() drops the parser's buffers and stops its loops; its own 'error' echo is ignored below.
      parser.abort(error instanceof Error ? error : new Error(String(error)));
      reject(error);
    }
    const guard = (fn: () => void) => {
      if (settled) return;
      try {
        fn();
      } catch (e) {
        fail(e);
      }
    };

    source.on('error', (e) => fail(e));
    meter.on('error', (e) => fail(e));
    gunzip.on('error', (e) => fail(isArchivePolicyError(e) ? e : corrupt(`the gzip stream is damaged (${e.message})`)));
    parser.on('error', (e: Error) => fail(corrupt(`the tar stream is damaged (${e.message})`)));

    gunzip.on('data', (chunk: Buffer) =>
      guard(() => {
        tarBytes += chunk.length;
        if (tarBytes > maxTarStream)
          throw new ArchivePolicyError(
            'archive_too_large',
            `The archive unpacks to more than ${maxTarStream} bytes of tar data; ` +
              `files may total at most ${limits.maxUnpackedBytes} bytes (${formatBytes(limits.maxUnpackedBytes)})`,
          );
        if (tarHead.length < 2) {
          tarHead = Buffer.concat([tarHead, chunk]).subarray(0, 2);
          // tar's parser would silently inflate a second gzip layer, escaping our byte counts.
          if (tarHead.length === 2 && tarHead.equals(GZIP_MAGIC)) throw corrupt('it is compressed twice');
        }
        // Before the parser sees a byte: names with NULs, PAX records, framing tricks, data after the end marker.
        framing.write(chunk);
        // Past the end-of-archive marker the parser stops reading but would keep buffering: count only.
        if (tarEnded) return;
        if (!parser.write(chunk)) {
          gunzip.pause();
          parser.once('drain', () => gunzip.resume());
        }
      }),
    );
    gunzip.on('end', () => guard(() => parser.end()));
    parser.on('eof', () => {
      tarEnded = true;
    });

    parser.on('ignoredEntry', (entry: ReadEntry) =>
      guard(() => {
        if (entry.meta) throw corrupt(`a ${entry.type} header is larger than ${MAX_META_ENTRY} bytes`);
        checker.check(entry.path, entry.type, entry.size);
      }),
    );
    parser.on('entry', (entry: ReadEntry) => {
      if (settled) return void entry.resume();
      guard(() => onEntry(entry));
    });
    parser.on('end', () =>
      guard(() => {
        if (!manifest)
          throw new ArchivePolicyError(
            'archive_manifest_missing',
            `The archive has no ${ARCHIVE_MANIFEST} at its root`,
            ARCHIVE_MANIFEST,
          );
        settled = true;
        resolve({ entries: checker.entries, unpackedBytes, manifest });
      }),
    );

    function onEntry(entry: ReadEntry): void {
      const { path, kind } = checker.check(entry.path, entry.type, entry.size);
      if (kind === 'directory') return void entry.resume();
      // The declared size fails the archive before a byte of the body is inflated.
      if (unpackedBytes + entry.size > limits.maxUnpackedBytes)
        throw tooLarge(entry.path, unpackedBytes + entry.size, limits);
      const isManifest = path === ARCHIVE_MANIFEST;
      if (isManifest && entry.size > limits.maxManifestBytes)
        throw new ArchivePolicyError(
          'archive_manifest_invalid',
          `${ARCHIVE_MANIFEST} is ${entry.size} bytes; the limit is ${limits.maxManifestBytes} bytes`,
          entry.path,
        );
      const chunks: Buffer[] = [];
      let fileBytes = 0;
      // Counted again as the data flows, so the limits hold even if a header lied about its size.
      entry.on('data', (chunk: Buffer) =>
        guard(() => {
          fileBytes += chunk.length;
          unpackedBytes += chunk.length;
          if (fileBytes > limits.maxFileBytes) throw fileTooLarge(entry.path, fileBytes, limits);
          if (unpackedBytes > limits.maxUnpackedBytes) throw tooLarge(entry.path, unpackedBytes, limits);
          if (isManifest) chunks.push(chunk);
        }),
      );
      if (isManifest)
        entry.on('end', () =>
          guard(() => {
            manifest = readBundleManifest(Buffer.concat(chunks), options.expectedName, entry.path);
          }),
        );
    }

    source.pipe(meter).pipe(gunzip);
  });
}

const notGzip = () =>
  new ArchivePolicyError('archive_not_gzip', 'The upload is not gzip-compressed (a bundle is a .tar.gz)');

const corrupt = (why: string) => new ArchivePolicyError('archive_corrupt', `The archive is not a readable .tar.gz: ${why}`);
