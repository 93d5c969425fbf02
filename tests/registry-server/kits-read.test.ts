import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  KitCompareSchema,
  KitDetailResponseSchema,
  KitFilesSchema,
  KitFunctionsSchema,
  KitUpdatesResponseSchema,
  KitVersionsSchema,
} from '@iii-registry/schemas';
import { expectError, makeApp, type TestApp } from './helpers';
import { FLOW, kitBody, PLANNER, publishKitWorkers } from './kit-fixtures';

const sha = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');

/** The client's view (kits.md §2): each body parsed with the serde rules of the Rust structs (schemas/src/kits.ts). */
describe('kits read API, as iii-directory decodes it', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp();
    await publishKitWorkers(t);
    expect((await t.post('/k/acme/kanban-team', kitBody('1.0.0'))).status).toBe(200);
  });
  afterEach(() => t.close());

  it('GET /k/{kit}?version=latest resolves the version, agents, skills, workers, counts and release tags', async () => {
    const res = await t.get('/k/acme/kanban-team?version=latest');
    expect(res.status).toBe(200);
    const { kit } = KitDetailResponseSchema.parse(res.json);
    expect(kit.id).toBe('acme/kanban-team');
    expect(kit.version).toBe('1.0.0');
    expect(kit.author.handle).toBe('acme');
    expect(kit.release_tags).toEqual({ latest: '1.0.0' });
    expect(kit.counts).toEqual({ agents: 2, skills: 2, workers: 2 });
    expect(kit.deprecation).toBeNull();
    expect(kit.workers).toEqual([
      { name: 'kanban', range: '^1.4', resolved: '1.6.1', type: 'binary', description: 'Kanban boards' },
      { name: 'mailer', range: '~0.2.0', resolved: '0.2.3', type: 'binary', description: 'Send mail' },
    ]);
    const planner = kit.agents.find((a) => a.id === 'planner');
    expect(planner).toMatchObject({ path: 'agents/planner.md', sha256: sha(PLANNER), name: 'Planner', model: 'opus', logo: '🗂', skills: ['tickets/flow'] });
    expect(planner?.functions).toEqual(['kanban::create', 'kanban::move', 'mailer::send', 'ghost::fly']);
    const flow = kit.skills.find((s) => s.path === 'skills/tickets/flow.md');
    expect(flow).toMatchObject({ id: 'acme/kanban-team/tickets/flow', title: 'Ticket flow', type: 'how-to', sha256: sha(FLOW), used_by: ['planner'] });
    expect(kit.skills.find((s) => s.path === 'skills/SKILL.md')?.id).toBe('acme/kanban-team/index');
    // No null where the Rust struct has a non-Option String/Vec/bool/map (serde would fail the whole decode).
    const nonOption = [kit.id, kit.name, kit.version, kit.author.handle, ...kit.agents.flatMap((a) => [a.id, a.path, a.sha256])];
    expect(nonOption.every((v) => typeof v === 'string' && v !== '')).toBe(true);
  });

  it('answers exact versions, tags and ranges; 404 for a missing kit or version, with the body ignored', async () => {
    await t.post('/k/acme/kanban-team', kitBody('1.1.0'));
    await t.post('/k/acme/kanban-team', kitBody('2.0.0-beta.1', { tag: 'next' }));
    expect((await t.get('/k/acme/kanban-team?version=1.0.0')).json.kit.version).toBe('1.0.0');
    expect((await t.get('/k/acme/kanban-team?version=next')).json.kit.version).toBe('2.0.0-beta.1');
    expect((await t.get('/k/acme/kanban-team?version=^1.0')).json.kit.version).toBe('1.1.0');
    expect((await t.get('/k/acme/kanban-team')).json.kit.version).toBe('1.1.0');
    expectError(await t.get('/k/acme/kanban-team?version=9.9.9'), 404, 'kit_version_not_found');
    expectError(await t.get('/k/acme/nope'), 404, 'kit_not_found');
    expectError(await t.get('/k/acme/nope?version=latest'), 404, 'kit_not_found');
    const versions = KitVersionsSchema.parse((await t.get('/k/acme/kanban-team/versions')).json);
    expect(versions.versions.map((v) => v.version)).toEqual(['2.0.0-beta.1', '1.1.0', '1.0.0']);
    expect(versions.release_tags).toEqual({ latest: '1.1.0', next: '2.0.0-beta.1' });
    expect(versions.versions[1]).toMatchObject({ tags: ['latest'], license: 'Apache-2.0' });
  });

  it('/files and /download are byte-identical; /download is counted, CI apart; /files is not', async () => {
    const files = await t.get('/k/acme/kanban-team/files?version=1.0.0');
    const download = await t.get('/k/acme/kanban-team/download?version=1.0.0&ci=false');
    const ci = await t.get('/k/acme/kanban-team/download?version=1.0.0&ci=true');
    expect(files.status).toBe(200);
    expect(download.body).toBe(files.body);
    expect(ci.body).toBe(files.body);
    const parsed = KitFilesSchema.parse(files.json);
    expect(parsed.version).toBe('1.0.0');
    expect(parsed.files.map((f) => f.path)).toEqual(['agents/planner.md', 'agents/reviewer.md', 'skills/SKILL.md', 'skills/tickets/flow.md']);
    for (const f of parsed.files) expect(f.sha256).toBe(sha(f.content));
    expect(parsed.files[0]).toMatchObject({ kind: 'agent', content: PLANNER, size_bytes: Buffer.byteLength(PLANNER) });
    const { kit } = (await t.get('/k/acme/kanban-team')).json;
    expect(kit.total_downloads).toBe(2);
    expect(kit.ci_downloads).toBe(1);
  });

  it('/functions names the worker and version providing each preloaded function and reports unprovided ones', async () => {
    const { functions } = KitFunctionsSchema.parse((await t.get('/k/acme/kanban-team/functions?version=1.0.0')).json);
    expect(functions).toEqual([
      { id: 'ghost::fly', used_by: ['planner'], status: 'missing', worker: null, worker_version: null, description: null },
      { id: 'kanban::create', used_by: ['planner'], status: 'ok', worker: 'kanban', worker_version: '1.6.1', description: 'Create a card' },
      { id: 'kanban::move', used_by: ['planner', 'reviewer'], status: 'ok', worker: 'kanban', worker_version: '1.6.1', description: 'Move a card' },
      { id: 'mailer::send', used_by: ['planner'], status: 'ok', worker: 'mailer', worker_version: '0.2.3', description: 'Send one email' },
    ]);
  });

  it('/readme is raw markdown; a version without one is 404', async () => {
    const res = await t.get('/k/acme/kanban-team/readme?version=1.0.0');
    expect(res.headers['content-type']).toMatch(/^text\/markdown/);
    expect(res.body).toBe('# Kanban team\n\nInstall with directory::download-kit.\n');
    await t.post('/k/acme/kanban-team', kitBody('1.0.1', { readme: undefined }));
    expectError(await t.get('/k/acme/kanban-team/readme?version=1.0.1'), 404, 'readme_not_found');
  });

  it('blobs of an old version are still served after newer versions replace the file', async () => {
    const old = KitFilesSchema.parse((await t.get('/k/acme/kanban-team/files?version=1.0.0')).json);
    await t.post('/k/acme/kanban-team', kitBody('1.1.0', { files: { 'agents/planner.md': PLANNER.replace('You plan', 'You plan better'), 'skills/tickets/flow.md': FLOW } }));
    await t.post('/k/acme/kanban-team', kitBody('1.2.0', { files: { 'agents/other.md': '---\nname: Other\n---\nbody\n' } }));
    for (const f of old.files) {
      const blob = await t.get(`/blobs/${f.sha256}`);
      expect(blob.status).toBe(200);
      expect(blob.body).toBe(f.content);
      expect(sha(blob.body)).toBe(f.sha256);
    }
    expectError(await t.get(`/blobs/${'0'.repeat(64)}`), 404, 'blob_not_found');
    expectError(await t.get('/blobs/xyz'), 400, 'invalid_sha256');
  });

  it('/compare reports agents, workers and capabilities between two versions', async () => {
    await t.post('/k/acme/kanban-team', kitBody('2.0.0', {
      workers: { kanban: '^1.6', mailer: '~0.2.0' },
      files: { 'agents/planner.md': PLANNER.replace('model: opus', 'model: sonnet').replace('ghost::fly]', 'ghost::fly, kanban::archive]'), 'agents/helper.md': '---\nname: Helper\nfunctions: [mailer::send]\n---\nHelp.\n', 'skills/tickets/flow.md': FLOW },
    }));
    const cmp = KitCompareSchema.parse((await t.get('/k/acme/kanban-team/compare?from=1.0.0&to=2.0.0')).json);
    expect(cmp.major).toBe(true);
    expect(cmp.notes).toBe('Release 2.0.0');
    expect(cmp.agents.modified).toEqual([{ id: 'planner', path: 'agents/planner.md', body_changed: false,
      frontmatter: { model: { from: 'opus', to: 'sonnet' }, functions: { from: ['kanban::create', 'kanban::move', 'mailer::send', 'ghost::fly'], to: ['kanban::create', 'kanban::move', 'mailer::send', 'ghost::fly', 'kanban::archive'] } } }]);
    expect(cmp.workers.changed).toEqual([{ name: 'kanban', range: '^1.6', from: '^1.4', to: '^1.6' }]);
    expect(cmp.capabilities.functions_added).toEqual([{ agent: 'helper', function: 'mailer::send' }, { agent: 'planner', function: 'kanban::archive' }]);
    expect(cmp.capabilities.models_changed).toEqual([{ agent: 'planner', from: 'opus', to: 'sonnet' }]);
    expect(cmp.files.removed).toEqual(['agents/reviewer.md', 'skills/SKILL.md']);
  });

  it('POST /k/updates offers the newest version the lock asked for, flags majors and missing kits', async () => {
    await t.post('/k/acme/kanban-team', kitBody('1.1.0'));
    await t.post('/k/acme/kanban-team', kitBody('2.0.0'));
    const res = await t.post('/k/updates', { kits: [
      { kit: 'acme/kanban-team', version: '1.0.0', requested: '^1.0.0' },
      { kit: 'acme/kanban-team', version: '1.0.0', requested: 'latest' },
      { kit: 'acme/kanban-team', version: '2.0.0', requested: 'latest' },
      { kit: 'acme/gone', version: '1.0.0', requested: 'latest' },
    ] }, null);
    const { kits } = KitUpdatesResponseSchema.parse(res.json);
    expect(kits[0]).toMatchObject({ available: '1.1.0', latest: '2.0.0', major: false, not_found: false });
    expect(kits[1]).toMatchObject({ available: '2.0.0', latest: '2.0.0', major: true });
    expect(kits[2]).toMatchObject({ available: null, latest: '2.0.0', major: false });
    expect(kits[3]).toMatchObject({ kit: 'acme/gone', not_found: true });
  });

  it('deprecation blocks installs (non-null on the detail and in updates); a yank only leaves ranges and latest', async () => {
    await t.post('/k/acme/kanban-team', kitBody('1.1.0'));
    const yank = await t.post('/k/acme/kanban-team/versions/1.1.0/status', { status: 'yanked', message: 'broken skill' });
    expect(yank.status).toBe(200);
    let detail = (await t.get('/k/acme/kanban-team?version=latest')).json.kit;
    expect(detail.version).toBe('1.0.0');
    const yanked = (await t.get('/k/acme/kanban-team?version=1.1.0')).json.kit;
    expect(yanked.deprecation).toBeNull();
    expect(yanked.yanked).toEqual({ message: 'broken skill' });
    await t.post('/k/acme/kanban-team/versions/1.0.0/status', { status: 'deprecated', message: 'use acme/kanban-pro', replaced_by: 'acme/kanban-pro' });
    detail = KitDetailResponseSchema.parse((await t.get('/k/acme/kanban-team?version=latest')).json).kit;
    // latest stays present (the client would otherwise say the kit does not exist) and carries the deprecation.
    expect(detail.version).toBe('1.0.0');
    expect(detail.deprecation).toEqual({ message: 'use acme/kanban-pro', replaced_by: 'acme/kanban-pro' });
    const { kits } = (await t.post('/k/updates', { kits: [{ kit: 'acme/kanban-team', version: '1.0.0', requested: 'latest' }] })).json;
    expect(kits[0].deprecation).toEqual({ message: 'use acme/kanban-pro', replaced_by: 'acme/kanban-pro' });
  });

  it('GET /k searches by words, tag and handle', async () => {
    await t.post('/k/other/mail-team', kitBody('0.1.0', { tags: ['mail'], description: 'Answers email', workers: { mailer: '^0.2' }, files: { 'agents/mailman.md': '---\nname: Mailman\n---\nMail.\n' } }));
    expect((await t.get('/k?search=kanban')).json.kits.map((k: { id: string }) => k.id)).toEqual(['acme/kanban-team']);
    expect((await t.get('/k?search=email')).json.kits.map((k: { id: string }) => k.id)).toEqual(['other/mail-team']);
    expect((await t.get('/k?tag=mail')).json.kits.map((k: { id: string }) => k.id)).toEqual(['other/mail-team']);
    expect((await t.get('/k?handle=acme')).json.total).toBe(1);
    expect((await t.get('/k')).json.total).toBe(2);
  });

  it('/openapi.json documents every kit endpoint; the manifest JSON Schema is served', async () => {
    const doc = (await t.get('/openapi.json')).json;
    for (const path of ['/k', '/k/updates', '/k/{handle}/{name}', '/k/{handle}/{name}/versions', '/k/{handle}/{name}/files', '/k/{handle}/{name}/download',
      '/k/{handle}/{name}/compare', '/k/{handle}/{name}/functions', '/k/{handle}/{name}/readme', '/k/{handle}/{name}/tags/{tag}', '/blobs/{sha256}'])
      expect(doc.paths[path], path).toBeDefined();
    expect(doc.paths['/k/{handle}/{name}'].post.requestBody.content['application/json'].schema.properties.files).toBeDefined();
    const schema = (await t.get('/schemas/iii.kit.schema.json')).json;
    expect(schema.title).toBe('iii.kit.yaml');
    expect(schema.required).toEqual(expect.arrayContaining(['kit', 'version']));
  });
});
