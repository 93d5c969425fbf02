/**
 * Where the bundle-ingest milliseconds go (issue 16): the same 10 MiB archive through each stage alone, in this
 * process. `npx tsx bench/profile-ingest.ts` (run it under the bench lock).
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fdatasyncSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { create } from 'tar';
import { inspectArchive } from '../registry-server/src/storage/archive-policy';
import { createArchiveStore } from '../registry-server/src/storage/archive-store';

const MiB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
const src = join(dir, 'src');
mkdirSync(src);
writeFileSync(join(src, 'iii.worker.yaml'), 'iii: v1\nname: bundled\nversion: 1.0.0\ndeploy: bundle\nscripts:\n  start: node bundle.js\n');
writeFileSync(join(src, 'bundle.js'), randomBytes(10 * MiB));
await create({ gzip: true, cwd: src, file: join(dir, 'a.tar.gz'), portable: true }, ['.']);
const archive = readFileSync(join(dir, 'a.tar.gz'));
const chunks = (size = 64 * 1024) => { const out: Buffer[] = []; for (let i = 0; i < archive.length; i += size) out.push(archive.subarray(i, i + size)); return out; };

async function time(name: string, fn: () => Promise<unknown> | unknown, rounds = 6) {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < rounds; i++) { const t = performance.now(); await fn(); ms.push(performance.now() - t); }
  ms.sort((a, b) => a - b);
  console.log(`${name.padEnd(48)} median ${ms[rounds >> 1].toFixed(1)} ms  min ${ms[0].toFixed(1)}`);
}

let n = 0;
await time('sha256 (one update)', () => createHash('sha256').update(archive).digest('hex'));
await time('sha256 + inspectArchive (Readable.from one buf)', async () => { createHash('sha256').update(archive).digest('hex'); await inspectArchive(Readable.from([archive]), { expectedName: 'bundled' }); });
await time('inspectArchive (64 KiB chunks)', () => inspectArchive(Readable.from(chunks()), { expectedName: 'bundled' }));
await time('write 10 MiB, no fsync', () => { const p = join(dir, `w${n++}`); const fd = openSync(p, 'w'); writeSync(fd, archive); closeSync(fd); rmSync(p); });
await time('write 10 MiB + fsync', () => { const p = join(dir, `w${n++}`); const fd = openSync(p, 'w'); writeSync(fd, archive); fsyncSync(fd); closeSync(fd); rmSync(p); });
await time('write 10 MiB + fdatasync', () => { const p = join(dir, `w${n++}`); const fd = openSync(p, 'w'); writeSync(fd, archive); fdatasyncSync(fd); closeSync(fd); rmSync(p); });
const store = createArchiveStore(join(dir, 'store'));
await time('archive store put (64 KiB chunks)', async () => { const s = await store.put(Readable.from(chunks()), { expectedName: 'bundled' }); rmSync(s.path); });

// HTTP only: a bare node server that drains the body.
const server = createServer((req, res) => { req.on('data', () => {}); req.on('end', () => res.end('ok')); });
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as AddressInfo).port;
await time('fetch POST 10 MiB to a draining http server', async () => { const r = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: new Uint8Array(archive) }); await r.text(); });
await time('http.request POST 10 MiB to a draining server', () => new Promise<void>((resolve, reject) => {
  const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/', headers: { 'content-length': archive.length } }, (res) => { res.resume(); res.on('end', resolve); });
  req.on('error', reject); req.end(archive);
}));
server.close();
rmSync(dir, { recursive: true, force: true });
