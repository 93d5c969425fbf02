import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../registry-server/src/app';
import { migrationFixture, send } from './pg-migrate-harness';
import { REPO_ROOT } from '../../registry-server/src/child-process';
import { ADMIN_KEY, binary } from '../registry-server/helpers';
import { kitBody } from '../registry-server/kit-fixtures';
import { manifestYaml, packDir } from '../registry-server/helpers/tar-fixtures';

/**
 * `npm run migrate-to-postgres` copies a SQLite registry (seed catalog plus owners, keys, tags, yanks, skills,
 * downloads, hosted and staged archives) into PostgreSQL; every API answer is the same before and after, and a
 * second run changes nothing.
 */

const { env, dir: sourceDir, dbUrl } = migrationFixture('migrate-src-', true);

/** Every read endpoint for every worker and version; search cursors carry a random snapshot id, so they are dropped. */
async function answers(built: BuiltApp): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const get = async (url: string, key: string | null = null) => {
    const res = await send(built, 'GET', url, undefined, key);
    const ct = String(res.headers['content-type'] ?? '');
    const body = ct.includes('json') ? res.json() : ct.includes('gzip') ? res.rawPayload.toString('base64') : res.body;
    if (url.includes('search=') && body?.pagination) body.pagination.next_cursor = body.pagination.next_cursor ? 'cursor' : null;
    out[url] = { status: res.statusCode, body };
    return body;
  };
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await get(`/w?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    names.push(...page.workers.map((w: { name: string }) => w.name));
    cursor = page.pagination.next_cursor;
  } while (cursor);
  for (const q of ['email', 'image resize', 'queue', 'config']) await get(`/w?search=${encodeURIComponent(q)}`);
  await get('/w?type=binary&limit=100');
  await get('/w?tag=next&limit=100');
  await get('/llms.txt');
  await get('/admin/keys', ADMIN_KEY);
  for (const name of names) {
    await get(`/w/${name}`);
    await get(`/workers/${name}.md`);
    const versions = (await get(`/w/${name}/versions`)).versions as { version: string }[];
    for (const v of versions) {
      const detail = await get(`/w/${name}?version=${v.version}`);
      await get(`/w/${name}/skills?version=${v.version}`);
      if (detail.worker?.archive_url?.startsWith('http://registry.test/archives/')) await get(new URL(detail.worker.archive_url).pathname);
    }
  }
  // Kits: list, every version's detail, files, readme and every file's blob, and the update check.
  const kits = (await get('/k?limit=100')).kits as { id: string }[];
  for (const { id } of kits) {
    await get(`/k/${id}`);
    for (const v of (await get(`/k/${id}/versions`)).versions as { version: string }[]) {
      await get(`/k/${id}?version=${v.version}`);
      await get(`/k/${id}/readme?version=${v.version}`);
      for (const f of (await get(`/k/${id}/files?version=${v.version}`)).files as { sha256: string }[]) await get(`/blobs/${f.sha256}`);
    }
  }
  const updates = await send(built, 'POST', '/k/updates', { kits: kits.map((k) => ({ kit: k.id, version: '1.0.0', requested: '^1.0' })) }, null);
  out['POST /k/updates'] = { status: updates.statusCode, body: updates.json() };
  const resolve = await send(built, 'POST', '/resolve', { workers: names.slice(0, 5).map((n) => ({ name: n })) }, null);
  out['POST /resolve'] = { status: resolve.statusCode, body: resolve.json() };
  return out;
}

describe('npm run migrate-to-postgres', () => {
  it('copies everything; every API answer is identical before and after; a second run changes nothing', async () => {
    const dir = sourceDir();
    const source = await buildApp(env({ REGISTRY_DATA_DIR: dir }));
    const alice = (await send(source, 'POST', '/admin/keys', { name: 'alice' })).json().key.key as string;
    expect((await send(source, 'POST', '/publish', binary('alice-worker', '1.0.0'), alice)).statusCode).toBe(200);
    expect((await send(source, 'POST', '/publish', binary('alice-worker', '1.1.0', { tag: 'next' }), alice)).statusCode).toBe(200);
    expect((await send(source, 'PUT', '/w/alice-worker/tags/beta', { version: '1.0.0' }, alice)).statusCode).toBe(200);
    expect((await send(source, 'POST', '/w/alice-worker/versions/1.0.0/status', { status: 'deprecated', message: 'use 1.1' }, alice)).statusCode).toBe(200);
    expect((await send(source, 'POST', '/w/alice-worker/skills', { version: '1.1.0', skills: { 'SKILL.md': '# Alice\n' } }, alice)).statusCode).toBe(200);
    for (let i = 0; i < 7; i++) await send(source, 'GET', `/download/alice-worker${i % 2 ? '' : '?version=1.0.0'}`, undefined, null);
    const file = await packDir(join(dir, '..', `${dir.split('/').pop()}-bundle`), { 'iii.worker.yaml': manifestYaml('hosted-bundle'), 'bundle.js': 'console.log(1)\n' }, join(dir, '..', `${dir.split('/').pop()}.tar.gz`));
    const upload = async (version: string) => source.app.inject({ method: 'POST', url: `/w/hosted-bundle/archive?version=${version}`, payload: await readFile(file), headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/gzip' } });
    expect((await upload('1.0.0')).statusCode).toBe(200);
    expect((await send(source, 'POST', '/publish', { worker_name: 'hosted-bundle', version: '1.0.0', type: 'bundle', description: 'hosted' })).statusCode).toBe(200);
    expect((await upload('2.0.0')).statusCode).toBe(200); // staged, not yet published
    // A kit with two versions, a moved tag, a deprecation and downloads; its handle belongs to alice.
    const kit = (version: string, readme: string) => kitBody(version, { readme, workers: { 'alice-worker': '^1.0' } });
    expect((await send(source, 'POST', '/k/alice/team', kit('1.0.0', '# Team\n'), alice)).statusCode).toBe(200);
    expect((await send(source, 'POST', '/k/alice/team', kit('1.1.0', '# Team 1.1\n'), alice)).statusCode).toBe(200);
    expect((await send(source, 'PUT', '/k/alice/team/tags/stable', { version: '1.0.0' }, alice)).statusCode).toBe(200);
    expect((await send(source, 'POST', '/k/alice/team/versions/1.0.0/status', { status: 'deprecated', message: 'use 1.1', replaced_by: '1.1.0' }, alice)).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) await send(source, 'GET', `/k/alice/team/download${i ? '' : '?ci=1'}`, undefined, null);
    await source.app.close();
    // Compared as a restarted registry answers: search scores use the length averages of when each worker was
    // indexed (search/bm25f-index.ts), so a live index updated write by write differs from a rebuilt one in the
    // third decimal; both backends rebuild at start-up.
    const reopened = await buildApp(env({ REGISTRY_DATA_DIR: dir }));
    const before = await answers(reopened);
    await reopened.app.close();

    const migrate = () => spawnSync(process.execPath, ['--import', 'tsx', 'registry-server/src/migrate-to-postgres.ts', '--from', dir, '--to', dbUrl(), '--json'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
    const first = migrate();
    expect(first.status, first.stderr + first.stdout).toBe(0);
    // The hosted bundle and the seeded iii-directory bundle.
    expect(first.stdout).toMatch(/"copied":2/);
    const second = migrate();
    expect(second.status, second.stderr + second.stdout).toBe(0);
    expect(second.stdout).toMatch(/"copied":0,"present":2/);

    const target = await buildApp(env({ REGISTRY_DATA_DIR: await mkdtemp(join(tmpdir(), 'migrate-empty-')), REGISTRY_DATABASE_URL: dbUrl() }));
    try {
      expect(target.seeded).toBeUndefined();
      const after = await answers(target);
      expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
      for (const url of Object.keys(before)) expect(after[url], url).toEqual(before[url]);
      // Owners, keys and staged uploads came along: alice still owns her worker, the staged 2.0.0 archive publishes.
      expect((await send(target, 'POST', '/publish', binary('alice-worker', '1.2.0'), alice)).statusCode).toBe(200);
      const bob = (await send(target, 'POST', '/admin/keys', { name: 'bob' })).json().key.key as string;
      expect((await send(target, 'POST', '/publish', binary('alice-worker', '1.3.0'), bob)).statusCode).toBe(403);
      expect((await send(target, 'POST', '/publish', { worker_name: 'hosted-bundle', version: '2.0.0', type: 'bundle', description: 'hosted' })).statusCode).toBe(200);
      // Downloads keep counting from the copied totals.
      await send(target, 'GET', '/download/alice-worker', undefined, null);
      expect((await send(target, 'GET', '/w/alice-worker')).json().worker.total_downloads).toBe(8);
      // Kits too: alice keeps her handle, ids continue after the copied ones, kit downloads keep counting.
      expect((await send(target, 'POST', '/k/alice/team', kit('1.2.0', '# Team 1.2\n'), alice)).statusCode).toBe(200);
      expect((await send(target, 'POST', '/k/alice/other', kit('1.0.0', '# Other\n'), bob)).statusCode).toBe(403);
      expect((await send(target, 'POST', '/k/bob/team', kit('1.0.0', '# Bob\n'), bob)).statusCode).toBe(200);
      await send(target, 'GET', '/k/alice/team/download', undefined, null);
      expect((await send(target, 'GET', '/k/alice/team')).json().kit).toMatchObject({ version: '1.2.0', release_tags: { latest: '1.2.0', stable: '1.0.0' },
        total_downloads: 4, ci_downloads: 1 });
    } finally {
      await target.app.close();
    }
  });
});
