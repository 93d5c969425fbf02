/**
 * Against what users would run instead (issue 16): Verdaccio 6.8.0, the registry people self-host for npm,
 * installed on demand into a temp folder (`npm install` there, `node-fetch` overridden to 2.x so it runs on
 * Node 20; never a project dependency) and started on 127.0.0.1 with one local package whose packument is about
 * the size of our detail body. Our `GET /w/{slug}` and `GET /workers/{name}.md` (the seed catalog, rotating) are
 * loaded the same way in the same run; the ratio is our rps over Verdaccio's packument rps (target 12x or more).
 * If the install or the start fails, the rows are skipped with a message. `npx tsx bench/verdaccio.ts` alone.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { AutocannonRequest } from 'autocannon';
import { freePort, startRegistryProcess } from '../registry-server/src/child-process';
import { loadPair, round } from './load';
import { allCpus, pinnedTo, pinning, pinSelf } from './processes';
import type { TargetedRow } from './registry';

const VERSION = '6.8.0';
const TARGET = 12;
const PACKAGE = 'bench-package';

export interface VerdaccioOptions {
  durationS?: number;
  log?: (line: string) => void;
}

/** An npm packument with `versions` full manifests, about `bytes` of JSON. */
function packument(bytes: number): Record<string, unknown> {
  const versions: Record<string, unknown> = {};
  const time: Record<string, string> = { created: '2026-01-01T00:00:00.000Z', modified: '2026-01-02T00:00:00.000Z' };
  let doc: Record<string, unknown> = {};
  for (let i = 0; JSON.stringify(doc).length < bytes; i++) {
    const v = `1.0.${i}`;
    versions[v] = {
      name: PACKAGE, version: v, description: 'A package about the size of a registry worker document.', main: 'index.js',
      license: 'MIT', dependencies: { 'left-pad': '^1.3.0' }, scripts: { test: 'node test.js' },
      dist: { shasum: '0'.repeat(40), integrity: `sha512-${'A'.repeat(86)}==`, tarball: `http://127.0.0.1/${PACKAGE}/-/${PACKAGE}-${v}.tgz` },
    };
    time[v] = '2026-01-01T00:00:00.000Z';
    doc = { _id: PACKAGE, name: PACKAGE, 'dist-tags': { latest: v }, versions, time, readme: '# bench\n', _attachments: {}, _uplinks: {}, _distfiles: {}, _rev: '1-0' };
  }
  return doc;
}

async function waitOk(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited with code ${child.exitCode}`);
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`verdaccio did not answer ${url} within ${timeoutMs} ms`);
}

export async function benchVerdaccio(options: VerdaccioOptions = {}): Promise<TargetedRow[]> {
  const log = options.log ?? (() => {});
  const durationS = options.durationS ?? 10;
  const dir = mkdtempSync(join(tmpdir(), 'bench-verdaccio-'));
  let verdaccio: ChildProcess | undefined;
  let registry: Awaited<ReturnType<typeof startRegistryProcess>> | undefined;
  const pin = pinning();
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, dependencies: { verdaccio: VERSION }, overrides: { 'node-fetch': '^2.7.0' } }));
    try {
      await promisify(execFile)('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: dir, timeout: 300_000 });
    } catch (err) {
      const why = (err as Error).message.split('\n').slice(0, 3).join(' ');
      console.log(`Verdaccio comparison skipped: npm install verdaccio@${VERSION} failed (${why})`);
      return [];
    }

    const reg = await startRegistryProcess({ dataDir: join(dir, 'registry-data'), command: pinnedTo(pin ? 0 : undefined),
      env: { REGISTRY_SEED: '1', REGISTRY_READ_RATE_LIMIT: '0', LOG_LEVEL: 'warn' } });
    registry = reg;
    const names = ((await (await fetch(`${registry.url}/w?limit=100`)).json()) as { workers: { name: string }[] }).workers.map((w) => w.name);
    const detail: AutocannonRequest[] = names.map((n) => ({ method: 'GET', path: `/w/${n}` }));
    const md: AutocannonRequest[] = names.map((n) => ({ method: 'GET', path: `/workers/${n}.md` }));
    const sizes = await Promise.all(names.map(async (n) => (await (await fetch(`${reg.url}/w/${n}`)).arrayBuffer()).byteLength));
    const meanSize = Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length);

    const storage = join(dir, 'storage');
    mkdirSync(join(storage, PACKAGE), { recursive: true });
    writeFileSync(join(storage, PACKAGE, 'package.json'), JSON.stringify(packument(meanSize)));
    writeFileSync(join(dir, 'config.yaml'), [`storage: ${storage}`, 'auth:', '  htpasswd:', `    file: ${join(dir, 'htpasswd')}`, 'uplinks: {}',
      'packages:', "  '**':", '    access: $all', '    publish: $authenticated', 'server:', '  keepAliveTimeout: 60', 'logs: { type: stdout, format: json, level: error }', ''].join('\n'));
    const port = await freePort();
    const bin = join(dir, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
    const cmd = [...(pinnedTo(pin ? 0 : undefined) ?? []), process.execPath, bin, '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`];
    verdaccio = spawn(cmd[0], cmd.slice(1), { cwd: dir, stdio: 'ignore', env: { ...process.env, NODE_ENV: 'production' } });
    const vurl = `http://127.0.0.1:${port}`;
    await waitOk(`${vurl}/${PACKAGE}`, verdaccio);
    const packumentBytes = (await (await fetch(`${vurl}/${PACKAGE}`)).arrayBuffer()).byteLength;

    if (pin) pinSelf(`1-${allCpus().split('-')[1]}`);
    const theirs: AutocannonRequest[] = [{ method: 'GET', path: `/${PACKAGE}`, headers: { accept: 'application/json' } }];
    log(`Verdaccio ${VERSION}: packument (${packumentBytes} B) against our detail (${meanSize} B mean)...`);
    const on = (url: string, requests: AutocannonRequest[], pid: number | undefined) => ({ url, requests, connections: 10, durationS, serverPid: pid });
    // Each of our rows in alternating slices with Verdaccio, so drift on a shared machine hits both sides alike.
    const [ours, base] = await loadPair(on(registry.url, detail, registry.pid), on(vurl, theirs, verdaccio.pid));
    const [oursMd, baseMd] = await loadPair(on(registry.url, md, registry.pid), on(vurl, theirs, verdaccio.pid));
    const times = (x: number, of = base) => round(x / of.rps, 1);
    return [
      { name: `Verdaccio ${VERSION} GET /{package} (packument)`, rps: base.rps, p50_ms: base.p50_ms, p99_ms: base.p99_ms,
        cpu_us_per_req: base.cpu_us_per_req, note: `${packumentBytes} B packument from local storage, no uplinks; server CPU ${base.cpu_us_per_req} µs/req` },
      { name: '  ours GET /w/{slug} vs Verdaccio', rps: ours.rps, p50_ms: ours.p50_ms, p99_ms: ours.p99_ms, ratio: times(ours.rps),
        target: `>= ${TARGET}x Verdaccio`, met: ours.rps / base.rps >= TARGET, note: `seed catalog (${names.length} workers, rotating); server CPU ${ours.cpu_us_per_req} µs/req` },
      { name: '  ours GET /workers/{name}.md vs Verdaccio', rps: oursMd.rps, p50_ms: oursMd.p50_ms, p99_ms: oursMd.p99_ms, ratio: times(oursMd.rps, baseMd),
        target: `>= ${TARGET}x Verdaccio`, met: oursMd.rps / baseMd.rps >= TARGET,
        note: `server CPU ${oursMd.cpu_us_per_req} µs/req; Verdaccio in the alternating slices: ${baseMd.rps} rps, ${baseMd.cpu_us_per_req} µs/req` },
    ];
  } catch (err) {
    console.log(`Verdaccio comparison skipped: ${(err as Error).message}`);
    return [];
  } finally {
    if (pin) pinSelf(allCpus());
    verdaccio?.kill('SIGKILL');
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await benchVerdaccio({ durationS: Number(process.env.BENCH_DURATION ?? 5), log: console.error }))
    console.log(`${r.name}: ${r.rps} rps${r.ratio === undefined ? '' : `, ${r.ratio}x (${r.target})`}; ${r.note ?? ''}`);
}
