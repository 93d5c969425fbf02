import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KIT_LIMITS, KitDetailResponseSchema } from '@iii-registry/schemas';
import { expectError, makeApp, type TestApp } from './helpers';
import { kitBody, publishKitWorkers } from './kit-fixtures';

type Problem = { path: string; code: string; message: string };

describe('kit publishing', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp();
    await publishKitWorkers(t);
  });
  afterEach(() => t.close());

  const blobCount = () => t.count('SELECT COUNT(*) AS n FROM kit_blobs');

  it('answers 200 with {"kit": KitDetail}; the worker-list form of workers works too', async () => {
    const res = await t.post('/k/acme/kanban-team', kitBody('1.0.0', { workers: [{ name: 'kanban', range: '^1.4' }] }));
    expect(res.status, res.body).toBe(200);
    const { kit } = KitDetailResponseSchema.parse(res.json);
    expect(kit).toMatchObject({ id: 'acme/kanban-team', version: '1.0.0', release_tags: { latest: '1.0.0' } });
    expect(kit.workers).toEqual([{ name: 'kanban', range: '^1.4', resolved: '1.6.1', type: 'binary', description: 'Kanban boards' }]);
  });

  it('needs a key; versions are immutable (409 version_exists)', async () => {
    expectError(await t.post('/k/acme/kanban-team', kitBody('1.0.0'), null), 401, 'api_key_missing');
    expect((await t.post('/k/acme/kanban-team', kitBody('1.0.0'))).status).toBe(200);
    expectError(await t.post('/k/acme/kanban-team', kitBody('1.0.0', { description: 'changed' })), 409, 'version_exists');
    expect((await t.get('/k/acme/kanban-team')).json.kit.description).toBe('A team that runs a kanban board');
  });

  it('refuses bad handles and names with named codes', async () => {
    const e = expectError(await t.post('/k/Acme_x/kanban_team', kitBody('1.0.0')), 422, 'kit_invalid');
    expect((e.problems as Problem[]).map((p) => p.code)).toEqual(['invalid_kit_handle', 'invalid_kit_name']);
    expectError(await t.post(`/k/${'a'.repeat(40)}/k`, kitBody('1.0.0')), 422, 'invalid_kit_handle');
    expectError(await t.post('/k/acme/pre', kitBody('1.0.0-rc.1', { tag: 'latest' })), 422, 'invalid_field');
  });

  it('lists every file problem with its path and code, and stores nothing', async () => {
    const e = expectError(await t.post('/k/acme/bad', kitBody('1.0.0', { files: {
      'README.md': '# hi',
      'agents/team/lead.md': '---\nname: Lead\n---\n',
      'agents/Bad Id.md': '---\nname: x\n---\n',
      'skills/../x.md': 'x',
      'skills/a.md': 'bad \ud800 text',
      'skills/big.md': 'x'.repeat(KIT_LIMITS.fileBytes + 1),
      'agents/nofm.md': 'no front matter',
      'agents/yaml.md': '---\nname: [unclosed\n---\nbody',
      'agents/types.md': '---\nname: T\nfunctions: 3\nhidden: maybe\n---\nbody',
      'skills/empty.md': '   ',
    } })), 422, 'kit_invalid');
    const byPath = Object.fromEntries((e.problems as Problem[]).map((p) => [p.path, p.code]));
    expect(byPath).toMatchObject({
      'files["README.md"]': 'invalid_kit_path',
      'files["agents/team/lead.md"]': 'nested_agent_path',
      'files["agents/Bad Id.md"]': 'invalid_kit_path',
      'files["skills/../x.md"]': 'invalid_kit_path',
      'files["skills/a.md"]': 'file_not_utf8',
      'files["skills/big.md"]': 'file_too_large',
      'files["agents/nofm.md"].front_matter': 'bad_front_matter',
      'files["agents/yaml.md"].front_matter': 'bad_front_matter',
      'files["agents/types.md"].front_matter.functions': 'bad_front_matter',
      'files["agents/types.md"].front_matter.hidden': 'bad_front_matter',
      'files["skills/empty.md"]': 'file_empty',
    });
    expect(await blobCount()).toBe(0);
    expectError(await t.get('/k/acme/bad'), 404, 'kit_not_found');
  });

  it('refuses too many files and a kit over the total size', async () => {
    const many = Object.fromEntries(Array.from({ length: KIT_LIMITS.files + 1 }, (_, i) => [`skills/s${i}.md`, `# s${i}`]));
    expectError(await t.post('/k/acme/many', kitBody('1.0.0', { files: many })), 422, 'too_many_files');
    const chunk = 'y'.repeat(KIT_LIMITS.fileBytes - 10);
    const huge = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`skills/h${i}.md`, chunk]));
    expectError(await t.post('/k/acme/huge', kitBody('1.0.0', { files: huge })), 422, 'kit_too_large');
  });

  it('refuses unknown workers and ranges nothing stable satisfies, every one listed', async () => {
    const e = expectError(await t.post('/k/acme/w', kitBody('1.0.0', { workers: { kanban: '^2', ghost: '^1', mailer: 'not a range' } })), 422, 'kit_invalid');
    expect(e.problems).toEqual([
      { path: 'workers["ghost"]', code: 'unknown_worker', message: "no worker named 'ghost' is published in this registry" },
      { path: 'workers["kanban"]', code: 'unsatisfiable_range', message: "no stable active version of 'kanban' satisfies '^2'" },
      { path: 'workers["mailer"]', code: 'invalid_range', message: expect.stringContaining('must be a Cargo semver range') },
    ]);
  });

  it('worker ranges are Cargo ranges: an npm-only spelling is refused with its Cargo spelling, Cargo forms resolve', async () => {
    const e = expectError(await t.post('/k/acme/w', kitBody('1.0.0', { workers: { kanban: '>=1 <3' } })), 422, 'invalid_range');
    expect(e.problems).toEqual([{ path: 'workers["kanban"]', code: 'invalid_range', message: expect.stringContaining('write it as ">=1, <3"') }]);
    expectError(await t.get('/k/acme/w'), 404, 'kit_not_found');
    // Comma comparators, and a bare version meaning a caret range (Cargo: `1.4` is `^1.4`, npm would read `1.4.x`).
    const res = await t.post('/k/acme/w', kitBody('1.0.0', { workers: { kanban: '1.4', mailer: '>=0.2, <0.3' } }));
    expect(res.status, res.body).toBe(200);
    const workers = KitDetailResponseSchema.parse(res.json).kit.workers;
    expect(workers.map((w) => [w.name, w.range, w.resolved])).toEqual([['kanban', '1.4', '1.6.1'], ['mailer', '>=0.2, <0.3', '0.2.3']]);
  });

  it('a kit version asked for by a Cargo range resolves like an npm one', async () => {
    for (const v of ['1.0.0', '1.2.0', '2.0.0']) expect((await t.post('/k/acme/team', kitBody(v))).status).toBe(200);
    expect((await t.get(`/k/acme/team?version=${encodeURIComponent('>=1, <2')}`)).json.kit.version).toBe('1.2.0');
    // `1.0` is a range (kits.md §1.1), read as Cargo reads it: ^1.0, not npm's 1.0.x.
    expect((await t.get('/k/acme/team?version=1.0')).json.kit.version).toBe('1.2.0');
    expect((await t.get(`/k/acme/team?version=${encodeURIComponent('^1.0')}`)).json.kit.version).toBe('1.2.0');
  });

  it('a failed publish leaves no unreferenced blob; blobs are shared between versions and kits', async () => {
    await t.post('/k/acme/kanban-team', kitBody('1.0.0'));
    const before = await blobCount();
    expectError(await t.post('/k/acme/kanban-team', kitBody('1.0.0', { readme: 'new readme text' })), 409, 'version_exists');
    expect(await blobCount()).toBe(before);
    await t.post('/k/acme/kanban-team', kitBody('1.0.1'));
    await t.post('/k/acme/copy', kitBody('1.0.0'));
    expect(await blobCount()).toBe(before);
  });

  it('handles belong to the first publishing key; admins publish anywhere; tags move with compare-and-swap', async () => {
    const alice = (await t.post('/admin/keys', { name: 'alice' })).json.key.key as string;
    const bob = (await t.post('/admin/keys', { name: 'bob' })).json.key.key as string;
    expect(alice && bob).toBeTruthy();
    expect((await t.post('/k/alice/team', kitBody('1.0.0'), alice)).status).toBe(200);
    expectError(await t.post('/k/alice/other', kitBody('1.0.0'), bob), 403, 'not_owner');
    expectError(await t.post('/k/alice/team/versions/1.0.0/status', { status: 'yanked' }, bob), 403, 'not_owner');
    expect((await t.post('/k/alice/team', kitBody('1.1.0'))).status).toBe(200);
    expect((await t.post('/k/alice/team', kitBody('1.2.0'), alice)).status).toBe(200);
    const moved = await t.put('/k/alice/team/tags/stable', { version: '1.1.0', expected_current_version: null }, alice);
    expect(moved.json).toEqual({ tag: { name: 'stable', version: '1.1.0' }, changed: true, release_tags: { latest: '1.2.0', stable: '1.1.0' } });
    const e = expectError(await t.put('/k/alice/team/tags/stable', { version: '1.2.0', expected_current_version: '1.0.0' }, alice), 409, 'tag_conflict');
    expect(e.available).toEqual(['1.1.0']);
    expect((await t.put('/k/alice/team/tags/latest', { version: '1.0.0', expected_current_version: '1.2.0' }, alice)).status).toBe(200);
    expect((await t.get('/k/alice/team')).json.kit.version).toBe('1.0.0');
  });
});
