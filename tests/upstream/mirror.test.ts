import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../registry-server/src/app';
import { REPO_ROOT } from '../../registry-server/src/child-process';
import { loadConfig } from '../../registry-server/src/config';
import type { RegistryProcess } from '../helpers/registry-process';
import { packDir } from '../registry-server/helpers/tar-fixtures';
import { binaryPayload, call, publish, startUpstream, tmpDir } from './two-registries';

/**
 * `npm run mirror` from a real registry process into a data dir: interrupted half way (SIGKILL while the source
 * holds a request), run again, and compared with the source; a third run copies nothing.
 */
let upstream: RegistryProcess;
const CLI = path.join(REPO_ROOT, 'registry-server/src/mirror-cli.ts');

function runMirror(args: string[], dataDir: string): { done: Promise<{ code: number | null; signal: string | null; out: string }>; kill(): void } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, REGISTRY_DATA_DIR: dataDir, REGISTRY_PUBLIC_URL: 'http://mirror.test', REGISTRY_API_KEY: 'mirror-test-admin' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out })));
  return { done, kill: () => child.kill('SIGKILL') };
}

/** Forwards to `target` until `allow` requests went through, then holds every later request open. */
async function stallingProxy(target: string, allow: number) {
  let seen = 0;
  let onHeld: () => void = () => undefined;
  const held = new Promise<void>((r) => (onHeld = r));
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer(async (req, res) => {
    if (++seen > allow) return onHeld();
    const upstreamRes = await fetch(`${target}${req.url}`);
    res.writeHead(upstreamRes.status, { 'content-type': upstreamRes.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await upstreamRes.arrayBuffer()));
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

const DROP = ['author', 'download_counts', 'total_downloads', 'published_at', 'updated_at', 'archive_url', 'origin'];

/** Everything a catalog holds that a mirror must reproduce, read over the API. */
async function catalogOf(get: (p: string) => Promise<{ status: number; json: any }>) {
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { json: { workers: { name: string }[]; pagination: { next_cursor: string | null } } } = await get(`/w?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    names.push(...page.json.workers.map((w) => w.name));
    cursor = page.json.pagination.next_cursor;
  } while (cursor);
  const out: Record<string, unknown> = {};
  for (const name of names.sort()) {
    const versions = (await get(`/w/${name}/versions`)).json.versions as { version: string; tags: string[]; status: string; status_message: string | null }[];
    const perVersion: Record<string, unknown> = {};
    for (const v of versions) {
      const detail = (await get(`/w/${name}?version=${v.version}`)).json.worker;
      for (const k of DROP) delete detail[k];
      const skills = await get(`/w/${name}/skills?version=${v.version}`);
      perVersion[v.version] = { detail, skills: skills.status === 200 ? skills.json.skills : null };
    }
    out[name] = { versions: versions.map((v) => ({ version: v.version, tags: [...v.tags].sort(), status: v.status, status_message: v.status_message })), perVersion };
  }
  return out;
}

let sha = '';

beforeAll(async () => {
  upstream = await startUpstream();
  for (let i = 0; i < 8; i++) {
    expect((await publish(upstream.url, binaryPayload(`mirror-w${i}`, '1.0.0'))).status).toBe(200);
    expect((await publish(upstream.url, binaryPayload(`mirror-w${i}`, '1.1.0', { dependencies: i > 0 ? { [`mirror-w${i - 1}`]: '^1.0.0' } : {} }))).status).toBe(200);
  }
  expect((await publish(upstream.url, binaryPayload('mirror-w3', '2.0.0-rc.1', { tag: 'next' }))).status).toBe(200);
  expect((await call(upstream.url, 'POST', '/w/mirror-w2/versions/1.1.0/status', { status: 'yanked', message: 'broken build' })).status).toBe(200);
  expect((await call(upstream.url, 'PUT', '/w/mirror-w4/tags/stable', { version: '1.0.0' })).status).toBe(200);
  expect((await call(upstream.url, 'POST', '/w/mirror-w1/skills', { version: '1.1.0', skills: { 'SKILL.md': '# w1', 'skills/deep.md': '# deep' } })).status).toBe(200);
  expect((await call(upstream.url, 'POST', '/w/mirror-w5/skills', { version: '1.0.0', skills: {} })).status).toBe(200);
  // A bundle whose archive the upstream hosts.
  const dir = await tmpDir('mirror-bundle-');
  const archive = await packDir(path.join(dir, 'src'), { 'iii.worker.yaml': 'iii: v1\nname: mirror-bundle\nversion: 1.0.0\ndeploy: bundle\nscripts:\n  start: node bundle.js\n', 'bundle.js': 'console.log(1)\n' }, path.join(dir, 'b.tar.gz'));
  const up = await fetch(`${upstream.url}/w/mirror-bundle/archive?version=1.0.0`, {
    method: 'POST', headers: { 'x-api-key': 'e2e-admin-key-0123456789abcdef', 'content-type': 'application/gzip' }, body: await readFile(archive),
  });
  expect(up.status).toBe(200);
  sha = ((await up.json()) as { sha256: string }).sha256;
  expect((await publish(upstream.url, { worker_name: 'mirror-bundle', version: '1.0.0', type: 'bundle', description: 'a bundle' })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await upstream?.stop();
});

describe('npm run mirror', () => {
  it('interrupted half way and run again ends with exactly the source catalog; a third run copies nothing', async () => {
    const target = await tmpDir('mirror-target-');
    const stall = await stallingProxy(upstream.url, 14);
    const first = runMirror(['--from', stall.url], target);
    await stall.held;
    first.kill();
    const killed = await first.done;
    await stall.close();
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.out).toContain('[1/');

    const second = await runMirror(['--from', upstream.url], target).done;
    expect(second.code, second.out).toBe(0);
    expect(second.out).toMatch(/already present/);
    expect(second.out).toMatch(/✓ Mirrored 9 workers/);

    const third = await runMirror(['--from', upstream.url], target).done;
    expect(third.code, third.out).toBe(0);
    expect(third.out).toContain('0 versions copied, 18 already present, 0 archives, 0 tags moved, 0 statuses, 0 skills snapshots');

    const built = await buildApp(loadConfig({ REGISTRY_DATA_DIR: target, REGISTRY_SEED: '0', REGISTRY_API_KEY: 'mirror-test-admin', REGISTRY_READ_RATE_LIMIT: '0', REGISTRY_PUBLIC_URL: 'http://mirror.test' }));
    try {
      const local = async (p: string) => {
        const r = await built.app.inject({ method: 'GET', url: p });
        return { status: r.statusCode, json: r.statusCode === 200 || r.statusCode >= 400 ? r.json() : undefined };
      };
      const remote = async (p: string) => {
        const r = await call(upstream.url, 'GET', p, undefined, null);
        return { status: r.status, json: r.json };
      };
      expect(await catalogOf(local)).toEqual(await catalogOf(remote));
      const bundle = (await local('/w/mirror-bundle')).json.worker;
      expect(bundle.archive_url).toBe(`http://mirror.test/archives/${sha}.tar.gz`);
      expect((await built.app.inject({ method: 'GET', url: `/archives/${sha}.tar.gz` })).statusCode).toBe(200);
      expect((await local('/w/mirror-w0')).json.worker.author).toMatchObject({ name: 'mirror', verified: false });
    } finally {
      await built.app.close();
    }
  }, 120_000);

  it('--only copies just the named workers', async () => {
    const target = await tmpDir('mirror-only-');
    const run = await runMirror(['--from', upstream.url, '--only', 'mirror-w1', '--only', 'mirror-bundle'], target).done;
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/✓ Mirrored 2 workers: 3 versions copied/);
  }, 60_000);
});
