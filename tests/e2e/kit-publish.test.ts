import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KitDetailResponseSchema, KitFilesSchema, KitListResponseSchema } from '@iii-registry/schemas';
import { REPO_ROOT as ROOT, startRegistryProcess, type RegistryProcess } from '../../registry-server/src/child-process';
import { binary } from '../registry-server/helpers';
import { runPublishBin } from './publish-bin';

const KIT_FIXTURE = path.join(ROOT, 'tests/fixtures/kits/kanban-team');
const KEY = `key-${randomBytes(12).toString('hex')}`;
let registry = '';
let server: RegistryProcess | undefined;
let dataDir = '';

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'iii-kit-e2e-'));
const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

const cli = (args: string[], cwd: string) => runPublishBin(args, cwd, { III_API_URL: registry, III_REGISTRY_API_KEY: KEY });

const get = async (p: string) => {
  const res = await fetch(`${registry}${p}`);
  return { status: res.status, text: await res.text() };
};
const fn = (name: string, description: string) => ({ name, description, request_schema: { type: 'object' }, response_schema: { type: 'object' }, metadata: {} });
const publishWorker = async (body: unknown) => {
  const res = await fetch(`${registry}/publish`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: JSON.stringify(body) });
  expect(res.status, await res.text()).toBe(200);
};

beforeAll(async () => {
  dataDir = await tmp();
  server = await startRegistryProcess({ dataDir, apiKey: KEY, timeoutMs: 15_000, pollMs: 100, env: { REGISTRY_SEED: '0', LOG_LEVEL: 'warn' } });
  registry = server.url;
  await publishWorker(binary('kanban', '1.6.1', { description: 'Kanban boards', functions: [fn('kanban::create', 'Create a card'), fn('kanban::move', 'Move a card')] }));
  await publishWorker(binary('mailer', '0.2.3', { description: 'Send mail', functions: [fn('mailer::send', 'Send one email')] }));
});

afterAll(() => server?.stop());

describe('iii-publish kit against the real registry process', () => {
  let dir = '';
  let firstFiles = '';

  it('publishes the fixture kit; it appears on its page, in search, in llms.txt and as .md', async () => {
    dir = await tmp();
    await cp(KIT_FIXTURE, dir, { recursive: true });
    const r = await cli(['kit', 'publish'], dir);
    expect(r.stderr).not.toContain('✗');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ Published acme/kanban-team@1.0.0');

    const { kit } = KitDetailResponseSchema.parse(JSON.parse((await get('/k/acme/kanban-team?version=latest')).text));
    expect(kit).toMatchObject({ version: '1.0.0', counts: { agents: 2, skills: 2, workers: 2 } });
    expect(kit.workers.map((w) => `${w.name}@${w.resolved}`)).toEqual(['kanban@1.6.1', 'mailer@0.2.3']);
    expect(kit.skills.find((s) => s.path === 'skills/tickets/flow.md')?.used_by).toEqual(['planner', 'reviewer']);

    const page = await get('/kits/acme/kanban-team');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Turns goals into cards');
    const search = KitListResponseSchema.parse(JSON.parse((await get('/k?search=weekly+summary')).text));
    expect(search.kits.map((k) => k.id)).toEqual(['acme/kanban-team']);
    expect((await get('/kits?search=kanban')).text).toContain('href="/kits/acme/kanban-team"');
    expect((await get('/llms.txt')).text).toContain(`- [acme/kanban-team](${registry}/kits/acme/kanban-team.md)`);
    const md = await get('/kits/acme/kanban-team.md');
    expect(md.text).toContain('# acme/kanban-team 1.0.0');
    expect(md.text).toContain('`mailer::send` (from `mailer` 0.2.3): Send one email');
    firstFiles = (await get('/k/acme/kanban-team/files?version=1.0.0')).text;
    expect((await get('/k/acme/kanban-team/download?version=1.0.0')).text).toBe(firstFiles);
  });

  it('re-publishing the same version exits 4; a new version keeps the old blobs served, also after a restart', async () => {
    const again = await cli(['kit', 'publish'], dir);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('version_exists');
    await writeFile(path.join(dir, 'agents/planner.md'), '---\nname: Planner\ndescription: Plans.\nfunctions: [kanban::create]\n---\nNew prompt.\n');
    await writeFile(path.join(dir, 'iii.kit.yaml'), (await readFile(path.join(dir, 'iii.kit.yaml'), 'utf8')).replace('version: 1.0.0', 'version: 1.1.0'));
    expect((await cli(['kit', 'publish'], dir)).code).toBe(0);
    await server?.stop();
    server = await startRegistryProcess({ dataDir, apiKey: KEY, timeoutMs: 15_000, pollMs: 100, env: { REGISTRY_SEED: '0', LOG_LEVEL: 'warn' } });
    registry = server.url;
    expect(JSON.parse((await get('/k/acme/kanban-team')).text).kit.version).toBe('1.1.0');
    const old = KitFilesSchema.parse(JSON.parse(firstFiles));
    for (const f of old.files) {
      const blob = await get(`/blobs/${f.sha256}`);
      expect(blob.status).toBe(200);
      expect(sha(blob.text)).toBe(f.sha256);
    }
    expect((await get('/k/acme/kanban-team/files?version=1.0.0')).text).toBe(firstFiles);
  });

  it('tag and deprecate work through the CLI; a deprecated version carries its deprecation', async () => {
    const tag = await cli(['kit', 'tag', 'stable', '1.0.0', '--json'], dir);
    expect(tag.code, tag.stdout).toBe(0);
    expect(JSON.parse(tag.stdout).response.release_tags).toEqual({ latest: '1.1.0', stable: '1.0.0' });
    const dep = await cli(['kit', 'deprecate', '1.0.0', '--message', 'planner prompt was wrong', '--replaced-by', 'acme/kanban-team'], dir);
    expect(dep.code, dep.stderr).toBe(0);
    const { kit } = JSON.parse((await get('/k/acme/kanban-team?version=stable')).text);
    expect(kit.deprecation).toEqual({ message: 'planner prompt was wrong', replaced_by: 'acme/kanban-team' });
  });
});
