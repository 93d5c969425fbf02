import { ArchivePolicyError } from './archive-errors';
import { normalizeEntryPath } from './archive-paths';

/**
 * An independent reading of the tar stream's framing, run on every byte before the tar parser sees it. It reads
 * what extractors disagree about and refuses it, so no other tool can find a different archive in the same bytes:
 * - a NUL inside any name (ustar name, prefix or linkname with bytes after the NUL; PAX path or linkpath; GNU
 *   long names), checked before anything else looks at the name;
 * - PAX records (`x` and global `g`), parsed by their byte lengths: every `path` and `linkpath` is checked against
 *   the path rules, `size` must be decimal and frames the next entry; a global header may not set `path`,
 *   `linkpath` or `size` (they would apply to every later entry), records a line-based parser would misread
 *   (a newline in a value) and GNU sparse records (which rename entries in GNU tar) are refused;
 * - a directory, or a file whose name ends in '/', that declares data;
 * - anything but zero bytes after the first all-zero block (the end-of-archive marker): entries hidden after it.
 */

const BLOCK = 512;
/** Longest PAX or GNU long-name body read; the tar parser is given the same bound. */
export const MAX_META_ENTRY = 16 * 1024;
const META_TYPES = new Set(['x', 'g', 'X', 'L', 'K', 'N']);
const NORMAL_TYPES = new Set(['0', '', '1', '2', '3', '4', '5', '6', '7', 'D']);

const corrupt = (why: string, entry?: string) =>
  new ArchivePolicyError('archive_corrupt', `The archive is not a readable .tar.gz: ${why}`, entry);

const shown = (s: string) => s.replace(/\0/g, '\\0').replace(/\n/g, '\\n');

/** A ustar text field: the text before the first NUL; any non-NUL byte after it is a NUL inside the name. */
function field(block: Buffer, start: number, length: number, what: string): string {
  const bytes = block.subarray(start, start + length);
  const nul = bytes.indexOf(0);
  if (nul >= 0 && bytes.subarray(nul).some((b) => b !== 0))
    throw corrupt(`the ${what} '${shown(bytes.toString('utf8').replace(/\0+$/, ''))}' has a NUL byte inside it`);
  return bytes.subarray(0, nul >= 0 ? nul : length).toString('utf8');
}

function sizeField(block: Buffer): number {
  const raw = block.subarray(124, 136);
  if (raw[0] & 0x80) {
    if (raw[0] === 0xff) throw corrupt('an entry has a negative size');
    let n = raw[0] & 0x7f;
    for (let i = 1; i < raw.length; i++) n = n * 256 + raw[i];
    if (!Number.isSafeInteger(n)) throw corrupt('an entry size is out of range');
    return n;
  }
  const text = raw.toString('latin1').replace(/\0.*$/s, '').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw corrupt(`an entry has an unreadable size field '${shown(text)}'`);
  return parseInt(text, 8);
}

/** Checks a name from a PAX record or GNU long-name body: NUL first, then (for entry paths) the path rules. */
function checkName(value: string, what: string, pathRules = true): void {
  if (value.includes('\0')) throw corrupt(`the ${what} '${shown(value)}' has a NUL byte inside it`, value);
  if (pathRules) normalizeEntryPath(value);
}

interface Pending {
  path?: string;
  linkpath?: string;
  size?: number;
}

/** Parses PAX records by byte length (`<len> <key>=<value>\n`), refusing any record that is not exactly that. */
function paxRecords(body: Buffer): [string, string][] {
  const out: [string, string][] = [];
  let at = 0;
  while (at < body.length) {
    if (body[at] === 0 && body.subarray(at).every((b) => b === 0)) break;
    const space = body.indexOf(0x20, at);
    const lenText = space > at ? body.subarray(at, space).toString('latin1') : '';
    const len = /^[1-9][0-9]{0,6}$/.test(lenText) ? Number(lenText) : NaN;
    if (!Number.isInteger(len) || at + len > body.length || body[at + len - 1] !== 0x0a)
      throw corrupt('a PAX extended header has a malformed record');
    const record = body.subarray(space + 1, at + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq <= 0) throw corrupt('a PAX extended header has a record without a key');
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    // node-tar and other line-based readers split on newlines: such a record means different things to different tools.
    if (value.includes('\n')) throw corrupt(`the PAX record '${key}' has a newline in its value`, value);
    out.push([key, value]);
    at += len;
  }
  return out;
}

export class TarFraming {
  private buffer = Buffer.alloc(0);
  /** Bytes of the current entry's data (and padding) still to skip or collect. */
  private dataLeft = 0;
  private padLeft = 0;
  private meta: { type: string; chunks: Buffer[]; size: number } | undefined;
  private pending: Pending = {};
  private ended = false;

  /** Feeds decompressed tar bytes in order; throws the policy error at the first violation. */
  write(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.ended) {
        const stray = chunk.subarray(at).findIndex((b) => b !== 0);
        if (stray >= 0) throw corrupt('there is data after the end-of-archive marker (entries hidden from other tools)');
        return;
      }
      if (this.dataLeft > 0) {
        const n = Math.min(this.dataLeft, chunk.length - at);
        if (this.meta) this.meta.chunks.push(chunk.subarray(at, at + n));
        this.dataLeft -= n;
        at += n;
        if (this.dataLeft === 0 && this.meta) this.finishMeta();
        continue;
      }
      if (this.padLeft > 0) {
        const n = Math.min(this.padLeft, chunk.length - at);
        this.padLeft -= n;
        at += n;
        continue;
      }
      const need = BLOCK - this.buffer.length;
      const take = chunk.subarray(at, at + need);
      this.buffer = this.buffer.length === 0 ? Buffer.from(take) : Buffer.concat([this.buffer, take]);
      at += take.length;
      if (this.buffer.length === BLOCK) {
        const block = this.buffer;
        this.buffer = Buffer.alloc(0);
        this.header(block);
      }
    }
  }

  private header(block: Buffer): void {
    if (block.every((b) => b === 0)) {
      this.ended = true;
      return;
    }
    const type = block.subarray(156, 157).toString('latin1').replace('\0', '');
    let name = field(block, 0, 100, 'entry name');
    const linkname = field(block, 157, 100, 'link target');
    if (block.subarray(257, 265).toString('latin1') === 'ustar\u000000') {
      const prefix = block[475] !== 0 ? field(block, 345, 155, 'name prefix') : field(block, 345, 130, 'name prefix');
      if (prefix) name = `${prefix}/${name}`;
    }
    let size = sizeField(block);
    if (META_TYPES.has(type)) {
      if (size > MAX_META_ENTRY) throw corrupt(`a ${type} header is larger than ${MAX_META_ENTRY} bytes`);
      this.meta = { type, chunks: [], size };
      this.frame(size);
      if (size === 0) this.finishMeta();
      return;
    }
    if (NORMAL_TYPES.has(type)) {
      const path = this.pending.path ?? name;
      if (this.pending.size !== undefined) size = this.pending.size;
      checkName(path, 'entry name');
      // A link target only means something on a link, and links are refused by type; elsewhere tools disagree.
      const linkpath = this.pending.linkpath ?? linkname;
      if (linkpath !== '' && type !== '1' && type !== '2')
        throw corrupt(`the entry '${path}' carries a link target '${shown(linkpath)}' but is not a link`, path);
      if ((type === '5' || ((type === '0' || type === '') && path.endsWith('/'))) && size > 0)
        throw corrupt(`the directory '${path}' declares ${size} bytes of data`, path);
    }
    // Pending PAX and long-name values belong to the first entry that is not itself metadata, as in node-tar.
    this.pending = {};
    this.frame(size);
  }

  private frame(size: number): void {
    this.dataLeft = size;
    this.padLeft = (BLOCK - (size % BLOCK)) % BLOCK;
  }

  private finishMeta(): void {
    const meta = this.meta as NonNullable<TarFraming['meta']>;
    this.meta = undefined;
    const body = Buffer.concat(meta.chunks);
    if (meta.type === 'L' || meta.type === 'K' || meta.type === 'N') {
      // A GNU long name is the name and its terminating NUL(s); a NUL before other bytes is a NUL inside it.
      const value = body.toString('utf8').replace(/\0+$/, '');
      checkName(value, meta.type === 'K' ? 'long link target' : 'long entry name', meta.type !== 'K');
      if (meta.type === 'K') this.pending.linkpath = value;
      else this.pending.path = value;
      return;
    }
    const global = meta.type === 'g';
    for (const [key, value] of paxRecords(body)) {
      if (key.startsWith('GNU.sparse.')) throw corrupt(`the PAX record '${key}' describes a sparse file; bundles hold plain files`);
      if (key === 'path' || key === 'linkpath') {
        checkName(value, key === 'path' ? 'PAX path' : 'PAX link target', key === 'path');
        if (global) throw corrupt(`a PAX global header sets '${key}=${shown(value)}' for every entry after it`, value);
        this.pending[key] = value;
      } else if (key === 'size') {
        if (!/^[0-9]{1,15}$/.test(value)) throw corrupt(`the PAX size '${shown(value)}' is not a decimal number`);
        if (global) throw corrupt(`a PAX global header sets 'size=${value}' for every entry after it`);
        this.pending.size = Number(value);
      }
    }
  }
}
