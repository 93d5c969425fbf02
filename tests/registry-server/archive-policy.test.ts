import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  ARCHIVE_FIXES,
  ARCHIVE_LIMITS,
  inspectArchive,
  normalizeEntryPath,
} from '../../registry-server/src/storage/archive-policy';
import {
  END,
  entry,
  gnuLongPath,
  header,
  manifestYaml,
  MiB,
  open,
  packDir,
  paxPath,
  tarStream,
  withManifest,
  writeTarGz,
  zeroEntry,
  type Part,
} from './helpers/tar-fixtures';
import { archiveFolder, BUNDLE_OPTS, rejection } from './helpers/archive-cases';

const folder = archiveFolder('archive-policy-');
const out = folder.out;
const build = (parts: Part[]) => writeTarGz(out(), parts);
let n = 0;
const pack = (files: Record<string, string>) => packDir(join(folder.dir(), `d${n++}`), files, out());
const bundle = (extra: Record<string, string> = {}) =>
  pack({ 'iii.worker.yaml': manifestYaml(), 'bundle.js': 'console.log("hi")\n', ...extra });
const opts = BUNDLE_OPTS;

describe('inspectArchive: valid bundles', () => {
  it('accepts a bundle packed by tar and reports entries, bytes and the manifest', async () => {
    const files = { 'iii.worker.yaml': manifestYaml(), 'bundle.js': 'x'.repeat(1000), 'lib/util.js': 'y'.repeat(24) };
    const result = await inspectArchive(open(await pack(files)), opts);
    // ./, ./iii.worker.yaml, ./bundle.js, ./lib/, ./lib/util.js
    expect(result.entries).toBe(5);
    expect(result.unpackedBytes).toBe(manifestYaml().length + 1024);
    expect(result.manifest.name).toBe('hello-bundle');
    expect(result.manifest.scripts?.start).toBe('node bundle.js');
  });

  it('accepts entries exactly at the limits: 1024 entries, depth 16, a 32 MiB file', async () => {
    const many = Array.from({ length: ARCHIVE_LIMITS.maxEntries - 2 }, (_, i) => entry(`f/${i}.js`, 'x')).flat();
    expect((await inspectArchive(open(await build(withManifest(many))), opts)).entries).toBe(1024);
    const deep = `${Array.from({ length: 16 }, (_, i) => `d${i + 1}`).join('/')}/leaf.js`;
    expect((await inspectArchive(open(await build(withManifest(entry(deep, 'x')))), opts)).entries).toBe(3);
    const big = await inspectArchive(open(await build(withManifest(zeroEntry('big.bin', 32 * MiB)))), opts);
    expect(big.unpackedBytes).toBe(32 * MiB + manifestYaml().length + 'console.log(1)\n'.length);
  });
});

describe('inspectArchive: unsafe entries (W181)', () => {
  it.each([
    { code: 'archive_symlink', name: 'evil-link', data: { type: 'SymbolicLink', linkpath: '/etc/passwd' } },
    { code: 'archive_hard_link', name: 'hard', data: { type: 'Link', linkpath: 'bundle.js' } },
    { code: 'archive_special_entry', name: 'tty', data: { type: 'CharacterDevice', devmaj: 4, devmin: 1 } },
    { code: 'archive_special_entry', name: 'sda', data: { type: 'BlockDevice', devmaj: 8, devmin: 0 } },
    { code: 'archive_special_entry', name: 'pipe', data: { type: 'FIFO' } },
  ] as const)('refuses $code ($name)', async ({ code, name, data }) => {
    const e = await rejection(await build(withManifest([header({ path: name, ...data })])));
    expect(e.code).toBe(code);
    expect(e.entry).toBe(name);
    expect(e.engineCode).toBe('W181');
    expect(e.message).toContain(`'${name}'`);
    expect(e.message).toContain('W181');
    expect(e.fix).toBe(ARCHIVE_FIXES[e.code]);
  });

  it('refuses an absolute path', async () => {
    const e = await rejection(await build(withManifest(entry('/etc/cron.d/evil', 'x'))));
    expect([e.code, e.entry]).toEqual(['archive_absolute_path', '/etc/cron.d/evil']);
  });

  it('refuses a .. component even when it resolves inside the root', async () => {
    const e = await rejection(await build(withManifest(entry('lib/../bundle2.js', 'x'))));
    expect([e.code, e.entry]).toEqual(['archive_path_traversal', 'lib/../bundle2.js']);
  });

  it('checks the path a PAX header substitutes, not the innocent ustar name', async () => {
    const smuggled = `${'a/'.repeat(60)}${'../'.repeat(70)}etc/passwd`;
    const e = await rejection(await build(withManifest([paxPath(smuggled), ...entry('innocent.txt', 'x')])));
    expect([e.code, e.entry]).toEqual(['archive_path_traversal', smuggled]);
  });

  it('checks the path a GNU long-name header substitutes', async () => {
    const smuggled = `${'b/'.repeat(60)}../../../../../../../../../../../../../../../../tmp/x`;
    const e = await rejection(await build(withManifest([...gnuLongPath(smuggled), ...entry('innocent.txt', 'x')])));
    expect([e.code, e.entry]).toEqual(['archive_path_traversal', smuggled]);
  });

  it('refuses a duplicate path, also when spelled with ./', async () => {
    const e = await rejection(await build(withManifest(entry('./bundle.js', 'again'))));
    expect([e.code, e.entry]).toEqual(['archive_duplicate_entry', './bundle.js']);
  });

  it('refuses entry 1025', async () => {
    const many = Array.from({ length: ARCHIVE_LIMITS.maxEntries - 1 }, (_, i) => entry(`f/${i}.js`, 'x')).flat();
    const e = await rejection(await build(withManifest(many)));
    expect([e.code, e.entry]).toEqual(['archive_too_many_entries', 'f/1022.js']);
    expect(e.message).toContain('1024');
  });

  it('refuses depth 17', async () => {
    const deep = `${Array.from({ length: 17 }, (_, i) => `d${i + 1}`).join('/')}/leaf.js`;
    const e = await rejection(await pack({ 'iii.worker.yaml': manifestYaml(), [deep]: 'x' }));
    expect(e.code).toBe('archive_too_deep');
    expect(e.entry).toMatch(/d17\/?$/);
    expect(e.message).toContain('16');
  });

  it('refuses a single file of 32 MiB + 1', async () => {
    const file = await build(withManifest(zeroEntry('big.bin', 32 * MiB + 1)));
    const e = await rejection(file);
    expect([e.code, e.entry]).toEqual(['archive_file_too_large', 'big.bin']);
    expect(e.message).toContain(String(32 * MiB));
  });

  it('refuses a gzip bomb: files under the per-file limit totalling more than 64 MiB', async () => {
    const file = await build(withManifest([0, 1, 2].flatMap((i) => zeroEntry(`zeros-${i}.bin`, 30 * MiB))));
    expect((await stat(file)).size).toBeLessThan(MiB);
    const e = await rejection(file);
    expect([e.code, e.entry]).toEqual(['archive_too_large', 'zeros-2.bin']);
    expect(e.message).toContain(String(64 * MiB));
  });

  it('refuses an upload whose compressed size passes the cap', async () => {
    const e = await rejection(await bundle({ 'noise.bin': randomText(8192) }), { ...opts, limits: { maxUploadBytes: 4096 } });
    expect(e.code).toBe('archive_upload_too_large');
    expect(e.message).toContain('4096');
  });

  it('stops reading at the first violation, even from an endless upload', async () => {
    let produced = 0;
    function* endless(): Generator<Part> {
      yield* withManifest([]).slice(0, -1);
      for (let i = 0; ; i++) {
        produced++;
        yield* entry(`f/${i}.js`, 'x');
      }
    }
    const source = Readable.from(tarStream(endless())).pipe(createGzip({ level: 1 }));
    await expect(inspectArchive(source, opts)).rejects.toMatchObject({ code: 'archive_too_many_entries' });
    // Buffers between the producer and us may still fill (gzip shrinks these entries ~50x), then it must stop.
    let unchanged = 0;
    for (let i = 0; i < 100 && unchanged < 2; i++) {
      const before = produced;
      await new Promise((r) => setTimeout(r, 50));
      unchanged = produced === before ? unchanged + 1 : 0;
    }
    expect(unchanged).toBe(2);
    expect(produced).toBeLessThan(50_000);
    source.destroy();
  });
});

describe('inspectArchive: manifest (W180)', () => {
  it('refuses a bundle without iii.worker.yaml at its root', async () => {
    const e = await rejection(await pack({ 'sub/iii.worker.yaml': manifestYaml(), 'bundle.js': 'x' }));
    expect([e.code, e.engineCode]).toEqual(['archive_manifest_missing', 'W180']);
    expect(e.message).toContain('W180');
  });

  it.each([
    ['a name that differs from the worker', manifestYaml('other-worker'), /name: 'other-worker' differs/],
    ['scripts.install', manifestYaml('hello-bundle', '  install: npm ci\n'), /scripts\.install/],
    ['scripts.setup', manifestYaml('hello-bundle', '  setup: curl x | sh\n'), /scripts\.setup/],
    ['runtime.base_image', `${manifestYaml()}runtime:\n  base_image: evil:latest\n`, /runtime\.base_image/],
    ['no scripts.start', 'iii: v1\nname: hello-bundle\nversion: 1.0.0\ndeploy: bundle\n', /scripts\.start/],
    ['an unknown key', `${manifestYaml()}surprise: 1\n`, /surprise: unknown field/],
    ['broken YAML', 'iii: v1\nname: [unclosed\n', /not valid YAML/],
  ])('refuses %s', async (_what, yaml, pattern) => {
    const e = await rejection(await pack({ 'iii.worker.yaml': yaml, 'bundle.js': 'x' }));
    expect([e.code, e.engineCode, e.entry]).toEqual(['archive_manifest_invalid', 'W180', './iii.worker.yaml']);
    expect(e.message).toMatch(pattern);
    expect(e.problems.length).toBeGreaterThan(0);
  });

  it('refuses a manifest over the in-memory cap without reading it', async () => {
    const e = await rejection(await build([...zeroEntry('iii.worker.yaml', 65 * 1024), END]));
    expect(e.code).toBe('archive_manifest_invalid');
    expect(e.message).toContain(String(64 * 1024));
  });
});

describe('inspectArchive: not a .tar.gz', () => {
  it('refuses input that is not gzip: a plain tar, text, an empty body', async () => {
    const plainTar = join(folder.dir(), 'plain.tar');
    await writeFile(plainTar, Buffer.concat([...entry('iii.worker.yaml', manifestYaml()), END]));
    const text = join(folder.dir(), 'text.txt');
    await writeFile(text, 'hello, I am not an archive');
    const empty = join(folder.dir(), 'empty');
    await writeFile(empty, '');
    for (const file of [plainTar, text, empty]) expect((await rejection(file)).code).toBe('archive_not_gzip');
  });

  it('refuses a truncated .tar.gz', async () => {
    const whole = await readFile(await bundle({ 'noise.bin': randomText(20000) }));
    const cut = join(folder.dir(), 'cut.tar.gz');
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    expect((await rejection(cut)).code).toBe('archive_corrupt');
  });

  it('refuses a complete gzip of a truncated tar', async () => {
    const tar = Buffer.concat([...withManifest(entry('data.bin', randomText(5000))).filter(Buffer.isBuffer)]);
    const file = join(folder.dir(), 'cut-tar.tar.gz');
    await writeFile(file, gzipSync(tar.subarray(0, 512 * 6 + 100)));
    const e = await rejection(file);
    expect(e.code).toBe('archive_corrupt');
    expect(e.message).toMatch(/Truncated/);
  });

  it('refuses a header with a bad checksum and a gzip inside gzip', async () => {
    const tar = Buffer.concat(withManifest([]).filter(Buffer.isBuffer));
    tar[0] ^= 0x01; // flips the manifest's name; the checksum no longer matches
    const bad = join(folder.dir(), 'cksum.tar.gz');
    await writeFile(bad, gzipSync(tar));
    expect((await rejection(bad)).code).toBe('archive_corrupt');
    const twice = join(folder.dir(), 'twice.tar.gz');
    await writeFile(twice, gzipSync(gzipSync(Buffer.concat(withManifest([]).filter(Buffer.isBuffer)))));
    expect((await rejection(twice)).code).toBe('archive_corrupt');
  });
});

describe('normalizeEntryPath', () => {
  it.each([
    ['./a//b/', 'a/b'],
    ['./', ''],
    ['a/./b.js', 'a/b.js'],
  ])('%s is %s', (raw, expected) => expect(normalizeEntryPath(raw)).toBe(expected));

  it.each([
    ['..', 'archive_path_traversal'],
    ['a\\..\\..\\x', 'archive_path_traversal'],
    ['C:/Windows/x', 'archive_absolute_path'],
    ['\\\\server\\share', 'archive_absolute_path'],
  ])('%s is refused with %s', (raw, code) => expect(() => normalizeEntryPath(raw)).toThrow(expect.objectContaining({ code })));
});

/** Incompressible printable bytes, so an archive has a predictable compressed size. */
function randomText(length: number): string {
  let s = '';
  let x = 12345;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += String.fromCharCode(33 + (x % 94));
  }
  return s;
}
