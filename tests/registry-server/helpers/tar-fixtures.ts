import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { create, Header, Pax, type HeaderData } from 'tar';

/**
 * Builders for real .tar.gz bundles. Normal archives come from the `tar` package's create over a directory;
 * the entries a well-behaved tar refuses to write (links, devices, `..`, PAX tricks) are hand-built from
 * 512-byte header blocks. Large bodies are generated as a stream of zero chunks, never one big buffer.
 */

export const MiB = 1024 * 1024;

export function manifestYaml(name = 'hello-bundle', extra = ''): string {
  return `iii: v1\nname: ${name}\nversion: 1.0.0\ndeploy: bundle\nscripts:\n  start: node bundle.js\n${extra}`;
}

/** Writes `files` under `dir` and packs them with tar's create (`./`-prefixed entries, like `tar -C dir .`). */
export async function packDir(dir: string, files: Record<string, string>, out: string): Promise<string> {
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), content);
  }
  await create({ gzip: true, cwd: dir, file: out, portable: true }, ['.']);
  return out;
}

export function header(data: HeaderData): Buffer {
  const h = new Header({ mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, size: 0, ...data });
  h.encode();
  if (!h.block) throw new Error('header did not encode');
  return h.block;
}

const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);

/** A complete entry: header, body, padding. */
export function entry(path: string, body: string | Buffer = '', data: HeaderData = {}): Buffer[] {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return [header({ path, type: 'File', size: bytes.length, ...data }), bytes, pad(bytes.length)];
}

/** A PAX extended header whose `path` replaces the ustar name of the entry after it. */
export const paxPath = (path: string): Buffer => new Pax({ path }).encode();

/** A GNU long-name (`L`) header whose body is the next entry's path. */
export function gnuLongPath(path: string): Buffer[] {
  const body = Buffer.from(path + '\0');
  return [header({ path: '././@LongLink', type: 'NextFileHasLongPath', size: body.length }), body, pad(body.length)];
}

export const END = Buffer.alloc(1024);

export type Part = Buffer | { zeros: number };

/** A file entry with `size` zero bytes, emitted lazily. */
export const zeroEntry = (path: string, size: number): Part[] => [
  header({ path, type: 'File', size }),
  { zeros: size },
  pad(size),
];

const CHUNK = Buffer.alloc(MiB);

export async function* tarStream(parts: Iterable<Part>): AsyncGenerator<Buffer> {
  for (const part of parts) {
    if (Buffer.isBuffer(part)) {
      if (part.length > 0) yield part;
      continue;
    }
    for (let left = part.zeros; left > 0; left -= CHUNK.length) yield CHUNK.subarray(0, Math.min(left, CHUNK.length));
  }
}

/** Gzips the parts into `out`, streaming. Level 1: zeros still shrink ~1000x and it stays fast. */
export async function writeTarGz(out: string, parts: Iterable<Part>): Promise<string> {
  await pipeline(Readable.from(tarStream(parts)), createGzip({ level: 1 }), createWriteStream(out));
  return out;
}

/** A hand-built bundle: a valid manifest, then `parts`, then the end-of-archive marker. */
export function withManifest(parts: Part[], name = 'hello-bundle'): Part[] {
  return [...entry('iii.worker.yaml', manifestYaml(name)), ...entry('bundle.js', 'console.log(1)\n'), ...parts, END];
}

export const open = (file: string): Readable => createReadStream(file);

/** One PAX record, byte-exact: `<len> <key>=<value>\n`, where len counts the whole record including itself. */
export function paxRecord(key: string, value: string | Buffer): Buffer {
  const rest = Buffer.concat([Buffer.from(` ${key}=`), Buffer.from(value), Buffer.from('\n')]);
  let len = rest.length + 1;
  while (String(len).length + rest.length !== len) len = String(len).length + rest.length;
  return Buffer.concat([Buffer.from(String(len)), rest]);
}

/** A PAX extended (`x`) or global (`g`) header built byte by byte from raw records (NULs, newlines, anything). */
export function paxHeader(records: Buffer[], kind: 'x' | 'g' = 'x'): Buffer[] {
  const body = Buffer.concat(records);
  const type = kind === 'g' ? 'GlobalExtendedHeader' : 'ExtendedHeader';
  return [header({ path: kind === 'g' ? 'pax_global_header' : 'PaxHeader/entry', type, size: body.length }), body, pad(body.length)];
}

/** Rewrites a header block's checksum after its bytes were edited by hand. */
export function reChecksum(block: Buffer): Buffer {
  const b = Buffer.from(block);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return b;
}

/** A file entry whose ustar name field holds `name` bytes verbatim (a NUL in the middle, say), checksum fixed. */
export function rawNameEntry(name: Buffer, body = 'x'): Buffer[] {
  const h = header({ path: 'placeholder', type: 'File', size: Buffer.byteLength(body) });
  h.fill(0, 0, 100);
  name.copy(h, 0, 0, 100);
  return [reChecksum(h), Buffer.from(body), pad(Buffer.byteLength(body))];
}

/** A hand-built bundle without the end-of-archive marker, for tests that put bytes after it themselves. */
export const bundleBody = (name = 'hello-bundle'): Buffer[] => [...entry('iii.worker.yaml', manifestYaml(name)), ...entry('bundle.js', 'console.log(1)\n')];
