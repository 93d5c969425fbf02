/**
 * Write throughput (issue 16): publishes per second of a ~50 KB payload over real HTTP to the registry child
 * process, sequentially and from 16 concurrent clients, each as a ratio to bare better-sqlite3 inserting the same
 * rows (same JSON, one transaction each, WAL + synchronous=FULL like the registry); hosted bundle ingest of a
 * 10 MiB archive (`POST /w/{slug}/archive`) as a ratio to SHA-256 + the archive policy scan of the same bytes in
 * this process; tag moves per second. Every slice lasts `BENCH_WRITES_MS` (default 2000 ms).
 * `npx tsx bench/writes.ts` runs it alone.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { create } from 'tar';
import { syntheticCatalog } from '@iii-registry/seed';
import { startRegistryProcess } from '../registry-server/src/child-process';
import { inspectArchive } from '../registry-server/src/storage/archive-policy';
import { cpuMsOf } from './processes';
import type { TargetedRow } from './registry';

const INGEST_TARGET = 1.5;
const MiB = 1024 * 1024;

/** A realistic publish payload of about `bytes` of JSON: a synthetic worker whose README is grown to the size. */
export function payloadOf(bytes = 50_000): Record<string, unknown> {
  const base = syntheticCatalog(1, { seed: 7 })[0] as unknown as Record<string, unknown>;
  const line = 'This worker keeps its state in the engine and answers every call with a typed response; see the schemas.\n';
  const room = Math.max(0, bytes - JSON.stringify({ ...base, readme: '' }).length);
  return { ...base, readme: line.repeat(Math.ceil(room / line.length)).slice(0, room) };
}

async function during(ms: number, clients: number, step: (n: number) => Promise<void>): Promise<{ count: number; ms: number }> {
  let n = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() - started < ms) await step(n++);
  }));
  return { count: n, ms: performance.now() - started };
}

const perS = (r: { count: number; ms: number }) => Math.round((r.count / r.ms) * 1000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Bare better-sqlite3: the same JSON documents, one immediate transaction per row, WAL + synchronous=FULL. */
function bareInserts(dir: string, doc: string) {
  const db = new Database(join(dir, 'bare.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE v (id INTEGER PRIMARY KEY, name TEXT NOT NULL, version TEXT NOT NULL, doc TEXT NOT NULL, UNIQUE (name, version))');
  const insert = db.prepare('INSERT INTO v (name, version, doc) VALUES (?, ?, ?)');
  const one = db.transaction((i: number) => insert.run(`w-${i % 50}`, `1.0.${i}`, doc));
  let n = 0;
  return {
    /** Inserts for `ms`; returns the count, the time taken and this process's CPU. */
    slice(ms: number): { count: number; ms: number; cpuMs: number } {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const first = n;
      while (performance.now() - started < ms) one.immediate(n++);
      const used = process.cpuUsage(cpu);
      return { count: n - first, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
    },
    close: () => db.close(),
  };
}

async function bundleArchive(dir: string, name: string): Promise<Buffer> {
  const src = join(dir, 'bundle-src');
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'iii.worker.yaml'), `iii: v1\nname: ${name}\nversion: 1.0.0\ndeploy: bundle\nscripts:\n  start: node bundle.js\n`);
  // Random bytes do not compress: the archive is about 10 MiB on the wire.
  writeFileSync(join(src, 'bundle.js'), randomBytes(10 * MiB));
  const out = join(dir, 'bundle.tar.gz');
  await create({ gzip: true, cwd: src, file: out, portable: true }, ['.']);
  return readFileSync(out);
}

interface Ctx {
  dir: string;
  url: string;
  apiKey: string;
  pid: number;
  ms: number;
  send(method: string, path: string, body: unknown): Promise<void>;
}

async function benchPublishes({ dir, ms, send, pid }: Ctx): Promise<TargetedRow[]> {
  const payload = payloadOf();
  const size = JSON.stringify(payload).length;
  const publisher = (prefix: string) => {
    let k = 0;
    return () => {
      const n = k++;
      return send('POST', '/publish', { ...payload, worker_name: `${prefix}-${n % 50}`, version: `1.0.${n}` });
    };
  };
  const seqStep = publisher('seq');
  const concStep = publisher('conc');
  const bare = bareInserts(dir, JSON.stringify(payload));
  await during(300, 1, publisher('warm'));
  // Alternating slices (sequential, concurrent, bare), so load from anything else on the machine hits all three.
  const rounds = 3;
  const sum = () => ({ count: 0, ms: 0, cpuMs: 0 });
  const seq = sum();
  const conc = sum();
  const bareSum = sum();
  const add = (to: ReturnType<typeof sum>, r: { count: number; ms: number; cpuMs: number }) => {
    to.count += r.count;
    to.ms += r.ms;
    to.cpuMs += r.cpuMs;
  };
  const serverSlice = async (clients: number, step: () => Promise<void>) => {
    const cpu0 = cpuMsOf(pid);
    const r = await during(ms / rounds, clients, step);
    return { ...r, cpuMs: cpuMsOf(pid) - cpu0 };
  };
  for (let r = 0; r < rounds; r++) {
    add(seq, await serverSlice(1, seqStep));
    add(conc, await serverSlice(16, concStep));
    add(bareSum, bare.slice(ms / rounds));
  }
  bare.close();
  const bareRate = perS(bareSum);
  const ratio = (x: number) => Number((x / bareRate).toFixed(2));
  const cpuPer = (x: { count: number; cpuMs: number }) => (x.cpuMs / x.count).toFixed(2);
  return [
    { name: 'POST /publish, sequential', rps: perS(seq), p50_ms: 1000 / perS(seq), p99_ms: NaN, ratio: ratio(perS(seq)), target: 'measured (ratio to bare inserts)',
      note: `${size} B payload over HTTP; ratio = publishes/s / bare better-sqlite3 inserts/s (${bareRate}/s, same JSON, one transaction each, ` +
        `${cpuPer(bareSum)} ms CPU each), ${rounds} alternating slices; server CPU ${cpuPer(seq)} ms/publish` },
    { name: 'POST /publish, 16 concurrent clients', rps: perS(conc), p50_ms: (1000 * 16) / perS(conc), p99_ms: NaN, ratio: ratio(perS(conc)), target: 'measured (ratio to bare inserts)',
      note: `p50 column: mean ms per publish per client; server CPU ${cpuPer(conc)} ms/publish` },
  ];
}

async function benchTags({ ms, send }: Ctx): Promise<TargetedRow[]> {
  const payload = payloadOf();
  await send('POST', '/publish', { ...payload, worker_name: 'tagged', version: '1.0.0' });
  await send('POST', '/publish', { ...payload, worker_name: 'tagged', version: '1.0.1' });
  const tags = perS(await during(ms, 1, (n) => send('PUT', '/w/tagged/tags/stable', { version: n % 2 ? '1.0.0' : '1.0.1' })));
  return [{ name: 'PUT /w/{slug}/tags/{tag}, sequential', rps: tags, p50_ms: 1000 / tags, p99_ms: NaN, target: 'measured', note: 'alternating between two versions' }];
}

async function benchIngest({ dir, url: base, apiKey, pid }: Ctx): Promise<TargetedRow[]> {
  const archive = await bundleArchive(dir, 'bundled');
  const url = new URL(base);
  // node:http, not fetch: undici spends 20-70 ms of this process's CPU sending 10 MiB, which is the client's cost.
  const upload = (n: number) => new Promise<void>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path: `/w/bundled/archive?version=1.0.${n}`,
      headers: { 'content-type': 'application/gzip', 'x-api-key': apiKey, 'content-length': archive.length } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`archive upload answered ${res.statusCode}: ${text.slice(0, 300)}`))));
    });
    req.on('error', reject);
    req.end(archive);
  });
  const scan = async () => {
    createHash('sha256').update(archive).digest('hex');
    await inspectArchive(Readable.from([archive]), { expectedName: 'bundled' });
  };
  await upload(0);
  await scan();
  // Alternating rounds, so load from anything else on the machine hits both sides alike.
  const rounds = Number(process.env.BENCH_INGEST_ROUNDS ?? 10);
  const ingestMs: number[] = [];
  const scanMs: number[] = [];
  let serverCpu = 0;
  let scanCpu = 0;
  for (let i = 1; i <= rounds; i++) {
    const cpu0 = cpuMsOf(pid);
    let t = performance.now();
    await upload(i);
    ingestMs.push(performance.now() - t);
    serverCpu += cpuMsOf(pid) - cpu0;
    const c = process.cpuUsage();
    t = performance.now();
    await scan();
    scanMs.push(performance.now() - t);
    const used = process.cpuUsage(c);
    scanCpu += (used.user + used.system) / 1000;
  }
  const ingestMed = median(ingestMs);
  const scanMed = median(scanMs);
  const ingestRatio = Number((ingestMed / scanMed).toFixed(2));
  return [
    { name: 'bundle ingest, 10 MiB archive', rps: Number((1000 / ingestMed).toFixed(1)), p50_ms: ingestMed, p99_ms: NaN, ratio: ingestRatio,
      target: `< ${INGEST_TARGET}x in-process`, met: ingestRatio < INGEST_TARGET,
      note: `${(archive.length / MiB).toFixed(1)} MiB over HTTP, ${((archive.length / MiB) / (ingestMed / 1000)).toFixed(0)} MiB/s; ratio = median upload ms / ` +
        `median SHA-256 + policy scan ms in-process (${scanMed.toFixed(0)} ms), ${rounds} alternating rounds; ` +
        `CPU: server ${(serverCpu / rounds).toFixed(0)} ms/upload vs scan ${(scanCpu / rounds).toFixed(0)} ms ` +
        `(${(serverCpu / scanCpu).toFixed(2)}x)` },
  ];
}

/** BENCH_WRITES picks parts (comma-separated: publish, tags, ingest); all by default. BENCH_CPU_PROF profiles the registry. */
export async function benchWrites(ms = Number(process.env.BENCH_WRITES_MS ?? 2000)): Promise<TargetedRow[]> {
  const parts = new Set((process.env.BENCH_WRITES ?? 'publish,tags,ingest').split(',').map((p) => p.trim()));
  const dir = mkdtempSync(join(tmpdir(), 'bench-writes-'));
  const apiKey = randomBytes(16).toString('hex');
  const prof = process.env.BENCH_CPU_PROF;
  const registry = await startRegistryProcess({ dataDir: join(dir, 'data'), apiKey, nodeArgs: prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [],
    env: { REGISTRY_SEED: '0', REGISTRY_READ_RATE_LIMIT: '0', REGISTRY_PUBLISH_RATE_LIMIT: '0', LOG_LEVEL: 'warn' } });
  const headers = { 'content-type': 'application/json', 'x-api-key': apiKey };
  const send = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${registry.url}${path}`, { method, headers, body: JSON.stringify(body) });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  };
  const ctx: Ctx = { dir, url: registry.url, apiKey, pid: registry.pid, ms, send };
  try {
    return [
      ...(parts.has('publish') ? await benchPublishes(ctx) : []),
      ...(parts.has('tags') ? await benchTags(ctx) : []),
      ...(parts.has('ingest') ? await benchIngest(ctx) : []),
    ];
  } finally {
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await benchWrites()) console.log(`${r.name}: ${r.rps}/s, ratio ${r.ratio ?? '-'} (${r.target}); ${r.note ?? ''}`);
}
