import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inspectArchive } from '../../registry-server/src/storage/archive-policy';
import { INFLATE_CHUNK, SingleMemberGunzip } from '../../registry-server/src/storage/gzip-member';
import { archiveFolder, BUNDLE_OPTS, rejection } from './helpers/archive-cases';
import { bundleBody, END, entry, header, manifestYaml, open, paxHeader, paxRecord, rawNameEntry } from './helpers/tar-fixtures';

/**
 * Archive framing that two extractors read differently (issue 10): PAX global and per-entry headers, NULs in names,
 * bytes after the end-of-archive marker, a second gzip member. Each would let a file land outside the bundle folder
 * in one extractor while another sees a harmless archive, so each is refused before any other rule runs.
 */
const { out } = archiveFolder('archive-framing-');
const opts = BUNDLE_OPTS;

/** A hand-built bundle, gzipped in one member: tar bytes exactly as given (no end marker added). */
const rawTarGz = async (parts: Buffer[]) => {
  const file = out();
  await writeFile(file, gzipSync(Buffer.concat(parts)));
  return file;
};
const rec = paxRecord;

describe('inspectArchive: every PAX form, NULs in names, bytes past the end (smuggling between extractors)', () => {
  it.each([
    ['a global header with path=../escaped-global.js', 'archive_path_traversal', [...paxHeader([rec('path', '../escaped-global.js')], 'g'), ...entry('innocent.js', 'x')]],
    ['a global header with a harmless path (it would rename every later entry)', 'archive_corrupt', [...paxHeader([rec('path', 'same.js')], 'g'), ...entry('a.js', 'x')]],
    ['a global header with linkpath', 'archive_corrupt', [...paxHeader([rec('linkpath', 'bundle.js')], 'g'), ...entry('a.js', 'x')]],
    ['a global header with size (it would reframe every later entry)', 'archive_corrupt', [...paxHeader([rec('size', '0')], 'g'), ...entry('a.js', 'x')]],
    ['a NUL inside a PAX path (cut at the NUL by node-tar)', 'archive_corrupt', [...paxHeader([rec('path', Buffer.from('ok.js\0../../../etc/cron.d/x'))]), ...entry('innocent.js', 'x')]],
    ['a NUL at the end of a PAX path', 'archive_corrupt', [...paxHeader([rec('path', Buffer.from('ok.js\0'))]), ...entry('innocent.js', 'x')]],
    ['a NUL inside a global PAX path', 'archive_corrupt', [...paxHeader([rec('path', Buffer.from('a\0b'))], 'g'), ...entry('innocent.js', 'x')]],
    ['a NUL inside a PAX linkpath', 'archive_corrupt', [...paxHeader([rec('linkpath', Buffer.from('a\0b'))]), ...entry('innocent.js', 'x')]],
    ['a NUL inside a ustar name, with bytes after it', 'archive_corrupt', rawNameEntry(Buffer.from('ok.js\0../../escape.js'))],
    ['a NUL inside a GNU long name', 'archive_corrupt', [header({ path: '././@LongLink', type: 'NextFileHasLongPath', size: 12 }), Buffer.from('ok.js\0../x\0'), Buffer.alloc(500), ...entry('short.js', 'x')]],
    ['a `..` PAX path written with a newline node-tar cannot parse', 'archive_corrupt', [...paxHeader([rec('path', '../../x\ny.js')]), ...entry('innocent.js', 'x')]],
    ['a PAX record whose length is wrong', 'archive_corrupt', [...paxHeader([Buffer.from('99 path=a.js\n')]), ...entry('innocent.js', 'x')]],
    ['a PAX size that is not a number', 'archive_corrupt', [...paxHeader([rec('size', '12abc')]), ...entry('innocent.js', 'x')]],
    ['a PAX linkpath on a regular file', 'archive_corrupt', [...paxHeader([rec('linkpath', 'bundle.js')]), ...entry('innocent.js', 'x')]],
    ['a GNU sparse record (renames the entry in GNU tar)', 'archive_corrupt', [...paxHeader([rec('GNU.sparse.name', '../../evil.js')]), ...entry('innocent.js', 'x')]],
    ['a directory that declares data', 'archive_corrupt', [header({ path: 'lib/', type: 'Directory', size: 512 }), Buffer.alloc(512)]],
    ['an entry after the end-of-archive marker', 'archive_corrupt', [END, ...entry('hidden.js', 'after the end')]],
    ['an entry after a lone zero block', 'archive_corrupt', [Buffer.alloc(512), ...entry('hidden.js', 'after one zero block')]],
  ] as const)('refuses %s (%s)', async (_what, code, parts) => {
    const e = await rejection(await rawTarGz([...bundleBody(), ...parts, END]));
    expect(e.code).toBe(code);
    expect(e.engineCode).toBe('W181');
  });

  it('names the NUL in the message, before any path rule looks at the name', async () => {
    const e = await rejection(await rawTarGz([...bundleBody(), ...paxHeader([rec('path', Buffer.from('a.js\0/../../etc/passwd'))]), ...entry('innocent.js', 'x'), END]));
    expect(e.message).toMatch(/NUL byte/);
  });

  it('accepts PAX forms real tars write: a PAX size framing the entry, a git-archive global comment, zero padding after the end', async () => {
    const parts = [...paxHeader([rec('comment', 'f'.repeat(40))], 'g'), ...bundleBody(), ...paxHeader([rec('size', '5'), rec('path', 'long/p.js')]),
      header({ path: 'short', type: 'File', size: 0 }), Buffer.from('hello'), Buffer.alloc(507), END, Buffer.alloc(9216)];
    const result = await inspectArchive(open(await rawTarGz(parts)), opts);
    expect(result.entries).toBe(3);
    expect(result.unpackedBytes).toBe(Buffer.byteLength(manifestYaml()) + 15 + 5);
  });

  it('refuses a second gzip member, data after the gzip trailer, and zero bytes after it', async () => {
    const tar = Buffer.concat([...bundleBody(), END]);
    const hidden = gzipSync(Buffer.concat([...entry('hidden.js', 'second member'), END]));
    for (const [tail, why] of [[hidden, /second gzip member/], [Buffer.from('garbage'), /data after the end of the gzip stream/], [Buffer.alloc(64), /data after/]] as const) {
      const file = out();
      await writeFile(file, Buffer.concat([gzipSync(tar), tail]));
      const e = await rejection(file);
      expect(e.code).toBe('archive_corrupt');
      expect(e.message).toMatch(why);
    }
    const good = out();
    await writeFile(good, gzipSync(tar));
    expect((await inspectArchive(open(good), opts)).entries).toBe(2);
  });

  it('inflates a large member in 256 KiB chunks, and still refuses what follows it after many output chunks', async () => {
    const tar = Buffer.concat([...bundleBody(), ...entry('big.js', randomBytes(3 * 1024 * 1024)), END]);
    const member = gzipSync(tar, { level: 1 });
    const sizes: number[] = [];
    const gunzip = new SingleMemberGunzip();
    gunzip.on('data', (c: Buffer) => sizes.push(c.length));
    await pipeline(Readable.from([member]), gunzip);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(tar.length);
    // zlib's default of 16 KiB would be 200 chunks, each a thread-pool round trip.
    expect(sizes.length).toBeLessThanOrEqual(Math.ceil(tar.length / INFLATE_CHUNK) + 1);
    for (const tail of [gzipSync(Buffer.concat([...entry('hidden.js', 'x'), END])), Buffer.from('garbage')]) {
      const file = out();
      await writeFile(file, Buffer.concat([member, tail]));
      expect((await rejection(file)).message).toMatch(/second gzip member|data after the end of the gzip stream/);
    }
  });

  it('refuses a gzip trailer whose CRC does not match the data', async () => {
    const gz = gzipSync(Buffer.concat([...bundleBody(), END]));
    gz[gz.length - 8] ^= 0xff;
    const file = out();
    await writeFile(file, gz);
    expect((await rejection(file)).code).toBe('archive_corrupt');
  });
});

