import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../registry-server/src/app';
import { REPO_ROOT } from '../../registry-server/src/child-process';
import { loadConfig } from '../../registry-server/src/config';
import { createTestDatabase } from '../helpers/pg-database';
import type { RegistryProcess } from '../helpers/registry-process';
import { packDir } from '../registry-server/helpers/tar-fixtures';
import { binaryPayload, call, E2E_ADMIN_KEY, publish, startUpstream, tmpDir } from '../upstream/two-registries';

/**
 * `npm run mirror` with REGISTRY_DATABASE_URL set copies a registry into PostgreSQL (through the same backend the
 * server opens): versions, tags, statuses and a hosted bundle archive, and a second run copies nothing.
 */
const CLI = path.join(REPO_ROOT, 'registry-server/src/mirror-cli.ts');
let upstream: RegistryProcess;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sha = '';

function runMirror(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, REGISTRY_DATABASE_URL: database.url, REGISTRY_DATA_DIR: ':memory:', REGISTRY_PUBLIC_URL: 'http://mirror.test', REGISTRY_API_KEY: 'mirror-test-admin' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

beforeAll(async () => {
  database = await createTestDatabase();
  upstream = await startUpstream();
  for (const v of ['1.0.0', '1.1.0']) expect((await publish(upstream.url, binaryPayload('pgm-a', v))).status).toBe(200);
  expect((await call(upstream.url, 'POST', '/w/pgm-a/versions/1.1.0/status', { status: 'yanked', message: 'broken build' })).status).toBe(200);
  expect((await call(upstream.url, 'PUT', '/w/pgm-a/tags/stable', { version: '1.0.0' })).status).toBe(200);
  const dir = await tmpDir('pg-mirror-bundle-');
  const archive = await packDir(path.join(dir, 'src'), { 'iii.worker.yaml': 'iii: v1\nname: pgm-bundle\nversion: 1.0.0\ndeploy: bundle\nscripts:\n  start: node bundle.js\n', 'bundle.js': 'console.log(1)\n' }, path.join(dir, 'b.tar.gz'));
  const up = await fetch(`${upstream.url}/w/pgm-bundle/archive?version=1.0.0`, {
    method: 'POST', headers: { 'x-api-key': E2E_ADMIN_KEY, 'content-type': 'application/gzip' }, body: await readFile(archive),
  });
  expect(up.status).toBe(200);
  sha = ((await up.json()) as { sha256: string }).sha256;
  expect((await publish(upstream.url, { worker_name: 'pgm-bundle', version: '1.0.0', type: 'bundle', description: 'a bundle' })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await upstream?.stop();
  await database?.drop();
});

describe('npm run mirror into PostgreSQL', () => {
  it('copies versions, tags, statuses and archives into the database; a second run copies nothing', async () => {
    const first = await runMirror(['--from', upstream.url]);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain('into the PostgreSQL database');
    expect(first.out).toMatch(/✓ Mirrored 2 workers: 3 versions copied, 0 already present, 1 archives/);
    const second = await runMirror(['--from', upstream.url]);
    expect(second.code, second.out).toBe(0);
    expect(second.out).toContain('0 versions copied, 3 already present, 0 archives');

    const built = await buildApp(loadConfig({ REGISTRY_DATABASE_URL: database.url, REGISTRY_SEED: '0', REGISTRY_API_KEY: 'mirror-test-admin', REGISTRY_READ_RATE_LIMIT: '0', REGISTRY_PUBLIC_URL: 'http://mirror.test' }));
    try {
      expect(built.backend.kind).toBe('postgres');
      const versions = (await built.app.inject('/w/pgm-a/versions')).json().versions as { version: string; tags: string[]; status: string }[];
      expect(versions.map((v) => [v.version, [...v.tags].sort(), v.status])).toEqual(
        expect.arrayContaining([['1.0.0', ['latest', 'stable'], 'active'], ['1.1.0', [], 'yanked']]));
      expect((await built.app.inject('/w/pgm-bundle')).json().worker.archive_url).toBe(`http://mirror.test/archives/${sha}.tar.gz`);
      const download = await built.app.inject(`/archives/${sha}.tar.gz`);
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.length).toBeGreaterThan(0);
    } finally {
      await built.app.close();
    }
  }, 120_000);
});
