import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRegistryProcess, type RegistryProcess } from '../../registry-server/src/child-process';
import { FIXTURES } from '../publisher/run-cli';
import { runPublishBin } from './publish-bin';

const KEY = `key-${randomBytes(12).toString('hex')}`;
let registry = '';
let server: RegistryProcess | undefined;

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'iii-publish-e2e-'));

const cli = runPublishBin;

const get = async (p: string) => {
  const res = await fetch(`${registry}${p}`);
  return { status: res.status, text: await res.text(), res };
};
const getJson = async <T>(p: string): Promise<T> => JSON.parse((await get(p)).text) as T;

beforeAll(async () => {
  server = await startRegistryProcess({ dataDir: await tmp(), apiKey: KEY, timeoutMs: 15_000, pollMs: 100,
    env: { REGISTRY_SEED: '0', LOG_LEVEL: 'warn' } });
  registry = server.url;
});

afterAll(() => server?.stop());

describe('iii-publish publish against the real registry', () => {
  const bundleDir = path.join(FIXTURES, 'bundle-worker');

  it('publishes a bundle: archive, version, agent-context document, search and skills are served', async () => {
    const out = await tmp();
    // Keys and URL from the environment, as a CI job would set them.
    const r = await cli(['publish', '--out', out], bundleDir, { III_API_URL: registry, III_REGISTRY_API_KEY: KEY });
    expect(r.stderr).not.toContain('✗');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Capturing interface\.\.\.ok \(2 functions, 0 trigger types\)/);
    expect(r.stdout).toMatch(/✓ Published todo-bundle@1\.0\.0 in \d+\.\ds/);

    const { worker } = await getJson<{ worker: Record<string, unknown> & { functions: { name: string }[]; archive_url: string; sha256: string } }>('/w/todo-bundle');
    expect(worker).toMatchObject({ name: 'todo-bundle', version: '1.0.0', type: 'bundle', config: { max_items: 100, storage: 'memory' } });
    expect(worker.functions.map((f) => f.name)).toEqual(['todo_bundle::add', 'todo_bundle::list']);
    const archive = await fetch(worker.archive_url);
    expect(archive.status).toBe(200);
    expect(createHash('sha256').update(Buffer.from(await archive.arrayBuffer())).digest('hex')).toBe(worker.sha256);

    const versions = await getJson<{ versions: { version: string; tags: string[] }[] }>('/w/todo-bundle/versions');
    expect(versions.versions).toEqual([expect.objectContaining({ version: '1.0.0', tags: ['latest'] })]);

    const search = await getJson<{ workers: { name: string }[] }>('/w?search=checklist');
    expect(search.workers.map((w) => w.name)).toContain('todo-bundle');

    const md = await get('/workers/todo-bundle.md');
    expect(md.status).toBe(200);
    expect(md.text).toContain('# todo-bundle 1.0.0');
    expect(md.text).toContain('todo_bundle::add');
    expect(md.text).toContain('Add an item to the checklist');

    const skills = await getJson<{ version: string; skills: { path: string; content: string }[] }>('/w/todo-bundle/skills');
    expect(skills.version).toBe('1.0.0');
    expect(skills.skills.map((s) => s.path).sort()).toEqual(['SKILL.md', 'agents/todo-helper.md', 'skills/how-to/add.md']);
  });

  it('a second publish of the same version exits 4 and says which version to bump to', async () => {
    const r = await cli(['publish', '--out', await tmp(), '--registry', registry, '--api-key', KEY], bundleDir);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('todo-bundle@1.0.0 is already published');
    expect(r.stderr).toContain('Bump the version: set version to 1.0.1');
  });

  it('a wrong key exits 5 and a registry that is down exits 6, after the build', async () => {
    const ref = path.join(await tmp(), 'ref.json');
    await writeFile(ref, JSON.stringify({ functions: [{ name: 'raw::echo', request_schema: { type: 'object' }, response_schema: { type: 'object' } }] }));
    const common = ['publish', '--out', await tmp(), '--interface', ref, '--image-tag', 'ghcr.io/example/raw-ws-worker:0.2.0@sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c'];
    const auth = await cli([...common, '--registry', registry, '--api-key', 'not-a-key'], path.join(FIXTURES, 'raw-ws-worker'));
    expect(auth.code).toBe(5);
    const down = await cli([...common, '--registry', `http://127.0.0.1:${await freePort()}`, '--api-key', KEY, '--json'], path.join(FIXTURES, 'raw-ws-worker'));
    expect(down.code).toBe(6);
    expect(JSON.parse(down.stdout)).toMatchObject({ ok: false, exit_code: 6, error: { code: 'network_failure' } });
  });

  it('a bad manifest exits 3 with every problem listed, before contacting the registry', async () => {
    const dir = await tmp();
    await writeFile(
      path.join(dir, 'iii.worker.yaml'),
      // `iii: v2`, `deploy: zip` and a large memory are what the engine accepts; these four it refuses too.
      'iii: v2\nname: Not A Slug\nversion: one\ndeploy: zip\nauthor: me\nresources:\n  memory: lots\n',
    );
    const r = await cli(['publish', '--registry', registry, '--api-key', KEY], dir);
    expect(r.code).toBe(3);
    for (const p of ['name:', 'version:', 'author: unknown field', 'resources.memory:']) expect(r.stderr).toContain(`  ${p}`);
    expect(r.stderr).toContain('4 problems');
  });

  it('publishes with --tag, moves a tag, deprecates and yanks', async () => {
    const dir = path.join(FIXTURES, 'raw-ws-worker');
    const auth = ['--registry', registry, '--api-key', KEY];
    const first = await cli(['publish', '--out', await tmp(), '--image-tag', 'ghcr.io/example/raw-ws-worker:0.2.0@sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c', '--tag', 'next', ...auth], dir);
    expect(first.code).toBe(0);
    expect((await getJson<{ versions: { version: string; tags: string[] }[] }>('/w/raw-ws-worker/versions')).versions[0].tags).toContain('next');

    // Without --expect the current holder is read first, then swapped.
    const latest = await cli(['tag', 'latest', '0.2.0', '--json', ...auth], dir);
    expect(latest.code).toBe(0);
    expect(JSON.parse(latest.stdout)).toMatchObject({ ok: true, tag: 'latest', version: '0.2.0' });
    const tag = await cli(['tag', 'stable', '0.2.0', '--expect-none', ...auth], dir);
    expect(tag.code).toBe(0);
    const again = await cli(['tag', 'stable', '0.2.0', '--expect-none', ...auth], dir);
    // The tag already points there: a move to where a tag points is 200 changed:false, never a conflict
    // (real-clients.md; the release train retries promotions).
    expect(again.code).toBe(0);
    const tags = (await getJson<{ versions: { version: string; tags: string[] }[] }>('/w/raw-ws-worker/versions')).versions[0].tags;
    expect(tags).toEqual(expect.arrayContaining(['latest', 'next', 'stable']));

    const dep = await cli(['deprecate', '0.2.0', '--message', 'use 0.3', ...auth], dir);
    expect(dep.code).toBe(0);
    expect((await getJson<{ worker: { status: string; status_message: string } }>('/w/raw-ws-worker?version=0.2.0')).worker).toMatchObject({
      status: 'deprecated',
      status_message: 'use 0.3',
    });
    const yank = await cli(['yank', '0.2.0', '--message', 'broken', '--json', ...auth], dir);
    expect(yank.code).toBe(0);
    expect(JSON.parse(yank.stdout)).toMatchObject({ ok: true, status: 'yanked' });
    expect((await getJson<{ worker: { status: string } }>('/w/raw-ws-worker?version=0.2.0')).worker.status).toBe('yanked');
  });
});

describe('real worker repositories publish as they are', () => {
  const auth = () => ['--registry', registry, '--api-key', KEY];

  it('a Node worker with HTTP triggers: routes in the detail, on the API tab and in the .md', async () => {
    const dir = path.join(FIXTURES, 'http-todo-worker');
    const image = `ghcr.io/example/http-todo-worker@sha256:${'a'.repeat(64)}`;
    const r = await cli(['publish', '--out', await tmp(), '--image-tag', image, ...auth()], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Capturing interface\.\.\.ok \(5 functions, 0 trigger types, 6 trigger bindings\)/);
    expect(r.stdout).toContain('✓ Published http-todo-worker@0.1.1');

    const { worker } = await getJson<{ worker: { registered_triggers: unknown[]; functions: { name: string; description: string }[]; license: string } }>('/w/http-todo-worker');
    expect(worker.registered_triggers).toContainEqual({
      function_id: 'api::post::/todos',
      type: 'http',
      config: { api_path: '/todos', http_method: 'POST', description: 'Create a new todo' },
    });
    expect(worker.functions.map((f) => f.name)).toContain('api::post::/todos');
    expect(worker.license).toBe('MIT');

    const page = await get('/workers/http-todo-worker?tab=api');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<h3><code>api::post::\/todos<\/code><\/h3>\s*<p class="bindings">Triggers: <code class="binding">POST \/todos<\/code><\/p>/);
    expect(page.text).toContain('<code class="binding">cron 0 0 * * * *</code>, <code class="binding">POST /todos/export</code>');

    const md = await get('/workers/http-todo-worker.md');
    expect(md.status).toBe(200);
    expect(md.text).toContain('### api::get::/todos/:id\nGet a todo by ID\n');
    expect(md.text).toContain('- triggers: `GET /todos/:id`\n');
    expect(md.text).toContain('- triggers: `POST /todos`\n');
  });

  it('an engine built-in manifest without a version publishes with --version', async () => {
    const dir = path.join(FIXTURES, 'engine-builtin');
    const refused = await cli(['publish', '--out', await tmp(), '--interface', 'interface.json', ...auth()], dir);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('version: no version given (fix: pass --version 1.2.3');
    const r = await cli(['publish', '--out', await tmp(), '--interface', 'interface.json', '--version', '0.23.0', '--tag', 'latest', ...auth()], dir);
    expect(r.code).toBe(0);
    const { worker } = await getJson<{ worker: Record<string, unknown> }>('/w/iii-cron-builtin');
    expect(worker).toMatchObject({ version: '0.23.0', type: 'engine', repo: 'https://github.com/iii-hq/iii', config: { adapter: { name: 'kv' } } });
    const again = await cli(['publish', '--out', await tmp(), '--interface', 'interface.json', '--version', '0.23.0', ...auth()], dir);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('run iii-publish publish --version 0.23.1');
  });

  it('a manifest with entry and without iii: publishes, its version and license read from package.json', async () => {
    const dir = path.join(FIXTURES, 'legacy-entry');
    const image = `ghcr.io/example/legacy-entry@sha256:${'b'.repeat(64)}`;
    const r = await cli(['publish', '--out', await tmp(), '--image-tag', image, ...auth()], dir);
    expect(r.code).toBe(0);
    const { worker } = await getJson<{ worker: Record<string, unknown> }>('/w/legacy-entry');
    expect(worker).toMatchObject({ version: '1.4.0', type: 'image', image, license: 'Apache-2.0', repo: 'https://github.com/example/legacy-entry' });
    expect('registered_triggers' in worker).toBe(false);
  });
});
