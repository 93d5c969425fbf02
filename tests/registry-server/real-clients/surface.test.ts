import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES, SkillsResponseSchema } from '@iii-registry/schemas';
import { publicUrlWarnings } from '../../../registry-server/src/config';
import { binary, engine, expectError, expectOk, makeApp, type TestApp } from '../helpers';
import { cliRefusal } from './lockfile-rules';

let t: TestApp;
beforeEach(async () => { t = await makeApp(); });
afterEach(async () => t.close());

describe('real clients: skills (iii-directory sources/registry.rs, build_skills_payload.py)', () => {
  beforeEach(async () => {
    await expectOk(t.publish(binary('resend', '1.2.3')));
    await expectOk(t.publish(engine('iii-engine', '0.23.0-rc.4', { tag: 'rc' })));
  });

  it('answers 200 with empty lists for a version without a snapshot, by ?version= and by ?tag=', async () => {
    for (const url of ['/w/resend/skills?version=1.2.3', '/w/resend/skills?tag=latest', '/w/resend/skills', '/w/iii-engine/skills?version=latest']) {
      const res = await t.get(url);
      expect(res.status, url).toBe(200);
      expect(SkillsResponseSchema.parse(res.json)).toMatchObject({ skills: [], prompts: [] });
    }
    // As the Rust reader decodes it: `name` must equal the slug when present.
    expect((await t.get('/w/resend/skills?tag=latest')).json.name).toBe('resend');
    expectError(await t.get('/w/resend/skills?version=9.9.9'), 404, 'version_not_found');
  });

  it('keeps every CI snapshot key, accepts any tag as version, and serves prompt rows with content and args_schema', async () => {
    const snapshot = {
      'index.md': '# top skill (older CI)',
      'SKILL.md': '---\nname: iii-engine\ndescription: The engine\n---\n# engine',
      'skills/http/routes.md': '# routes',
      'skills/deep/a/b.md': '# nested',
      'agents/reviewer.md': '---\nname: reviewer\ndescription: Reviews\n---\nYou review.',
      'system-prompts/base.md': '---\ndescription: Base prompt\n---\nBe brief.',
      'prompts/deploy.md': '---\ndescription: Deploy a worker\nargs_schema:\n  type: object\n  properties:\n    name: { type: string }\n---\nDeploy {{name}}.\n',
      'prompts/plain.md': 'No front-matter.',
    };
    const posted = await expectOk(t.post('/w/iii-engine/skills', { version: 'rc', skills: snapshot }));
    expect(posted).toEqual({ name: 'iii-engine', version: '0.23.0-rc.4', count: 8 });
    const got = await expectOk(t.get('/w/iii-engine/skills?version=rc'));
    expect(Object.fromEntries(got.skills.map((s: { path: string; content: string }) => [s.path, s.content]))).toEqual(snapshot);
    expect(got.prompts).toEqual([
      { name: 'deploy', description: 'Deploy a worker', args_schema: { type: 'object', properties: { name: { type: 'string' } } }, content: 'Deploy {{name}}.\n' },
      { name: 'plain', description: '', args_schema: null, content: 'No front-matter.' },
    ]);
    // The CI always posts a snapshot, even an empty one.
    expect(await expectOk(t.post('/w/resend/skills', { version: 'latest', skills: {} }))).toMatchObject({ count: 0 });
  });
});

describe('real clients: engine built-ins (managed.rs record_download)', () => {
  it('answers 204 to GET /download/{builtin}?version=<any engine version> and counts it', async () => {
    await expectOk(t.publish(engine('iii-http', '0.21.0')));
    for (const v of ['0.21.0', '0.23.0-rc.4', '0.99.1', 'latest']) {
      const res = await t.get(`/download/iii-http?version=${encodeURIComponent(v)}&ci=true`);
      expect(res.status, v).toBe(204);
      expect(res.body).toBe('');
    }
    expect((await t.get('/w/iii-http')).json.worker.download_counts).toEqual({ total: 4, ci: 4 });
    expectError(await t.get('/download/not-published?version=0.21.0'), 404, 'worker_not_found');
  });
});

describe('real clients: /resolve bodies stay under 1 MiB (registry.rs MAX_REGISTRY_RESPONSE_BYTES)', () => {
  it('refuses a config over the per-version bound with its path', async () => {
    const config = { blob: 'x'.repeat(MAX_CONFIG_BYTES) };
    const err = expectError(await t.post('/publish', binary('big', '1.0.0', { config })), 422, 'validation_failed');
    expect(err.problems?.map((p) => p.path)).toEqual(['config']);
  });

  it('answers 422 graph_too_large instead of a body the CLI would refuse', async () => {
    const config = { blob: 'x'.repeat(MAX_CONFIG_BYTES - 100) };
    const deps: Record<string, string> = {};
    for (let i = 0; i < 40; i++) {
      await expectOk(t.publish(binary(`dep-${i}`, '1.0.0', { config })));
      deps[`dep-${i}`] = '^1';
    }
    await expectOk(t.publish(binary('small-root', '1.0.0', { dependencies: Object.fromEntries(Object.entries(deps).slice(0, 5)) })));
    const small = await t.post('/resolve', { worker: 'small-root', version: 'latest' }, null);
    expect(small.status).toBe(200);
    expect(cliRefusal(small.body)).toBeNull();
    await expectOk(t.publish(binary('root', '1.0.0', { dependencies: deps })));
    const res = await t.post('/resolve', { worker: 'root', version: 'latest' }, null);
    const err = expectError(res, 422, 'graph_too_large');
    expect(err.message).toContain('1 MiB');
    expect(res.body.length).toBeLessThan(4096);
  });
});

describe('real clients: public URL warning', () => {
  it('warns when REGISTRY_PUBLIC_URL is loopback or not https, and not for a public https address', () => {
    for (const url of ['http://127.0.0.1:3000', 'http://localhost:3000', 'https://localhost', 'http://[::1]:3000'])
      expect(publicUrlWarnings(url).join(' '), url).toContain('loopback');
    expect(publicUrlWarnings('http://registry.example.com').join(' ')).toContain('https');
    expect(publicUrlWarnings('https://workers.example.com')).toEqual([]);
  });
});

describe('/openapi.json', () => {
  it('lists every endpoint the README lists, and each of its paths is a real route', async () => {
    const readme = fs.readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const listed = [...readme.matchAll(/`(GET|POST|PUT|DELETE) (\/[^`\s]*)`/g)].map((m) => `${m[1].toLowerCase()} ${m[2].split('?')[0]}`);
    expect(listed.length).toBeGreaterThanOrEqual(25);
    const doc = (await t.get('/openapi.json')).json as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    for (const endpoint of listed) expect(documented, endpoint).toContain(endpoint);
    for (const endpoint of ['get /admin/keys', 'post /admin/keys', 'delete /admin/keys/{id}', 'get /', 'get /workers/{name}', 'get /workers/{name}/badge.svg', 'get /workers/{name}/downloads.svg', 'get /feed.xml', 'get /workers/{name}/feed.xml'])
      expect(documented).toContain(endpoint);
    for (const endpoint of documented) {
      const [method, p] = endpoint.split(' ');
      // Fastify routes: /archives/:file matches {sha256}.tar.gz, /workers/:name.md matches {name}.md.
      const url = p === '/archives/{sha256}.tar.gz' ? '/archives/:file' : p.replace(/\{(\w+)\}/g, ':$1');
      expect(t.app.hasRoute({ method: method.toUpperCase() as 'GET', url }), endpoint).toBe(true);
    }
  });
});
