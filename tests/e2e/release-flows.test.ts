import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestOf } from '../registry-server/helpers';
import { cliRefusal } from '../registry-server/real-clients/lockfile-rules';
import { E2E_ADMIN_KEY, startRegistryProcess, type RegistryProcess } from '../helpers/registry-process';
import { promote, proveVersion, publish, publishSkills, readChannel, request, resolveVersion, type Registry } from './release-scripts';

/**
 * The three real release flows against a real registry process on a real port, with the requests and checks of the
 * public CI scripts (release-scripts.ts): the staged release train, the deploy read-back, and the engine RC publish.
 */

let dir: string;
let proc: RegistryProcess;
let reg: Registry;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'registry-release-'));
  proc = await startRegistryProcess(dir);
  reg = { url: proc.url, apiKey: E2E_ADMIN_KEY };
}, 30_000);
afterAll(async () => {
  await proc?.stop();
  await rm(dir, { recursive: true, force: true });
});

const SHA = (s: string) => digestOf(s);
const binaryPayload = (name: string, version: string, extra: Record<string, unknown> = {}) => ({
  worker_name: name, version, type: 'binary', readme: `# ${name}\n`, repo: `https://github.com/iii-hq/workers`, description: `${name} worker`,
  dependencies: [], config: { level: 'info' }, functions: [], triggers: [],
  binaries: {
    'x86_64-unknown-linux-gnu': { url: `https://github.com/iii-hq/workers/releases/download/${name}/v${version}/${name}-x86_64-unknown-linux-gnu.tar.gz`, sha256: SHA(`${name}${version}x86`) },
    'aarch64-apple-darwin': { url: `https://github.com/iii-hq/workers/releases/download/${name}/v${version}/${name}-aarch64-apple-darwin.tar.gz`, sha256: SHA(`${name}${version}arm`) },
  },
  ...extra,
});

describe('release flows against a real registry process', () => {
  it('staged release: publish to next, resolve next, promote with expected_tag, latest unchanged until then', async () => {
    await publish(reg, binaryPayload('staged', '1.0.0', { tag: 'latest' }), 'latest');
    // The candidate goes to `next` only.
    await publish(reg, binaryPayload('staged', '1.1.0', { tag: 'next' }), 'next');
    expect(await resolveVersion(reg, 'staged', 'next')).toBe('1.1.0');
    expect(await resolveVersion(reg, 'staged', 'latest')).toBe('1.0.0');
    expect(await readChannel(reg, 'staged', 'latest')).toBe('1.0.0');
    // Smoke test of name@next as the CLI installs it.
    const smoke = await request(reg, 'POST', '/resolve', { worker: 'staged', version: 'next', target: 'x86_64-unknown-linux-gnu' });
    expect(smoke.status).toBe(200);
    expect(cliRefusal(JSON.stringify(smoke.json))).toBeNull();
    expect((await request(reg, 'GET', '/download/staged')).json.version).toBe('1.0.0');
    // A retried publish (409) reconciles by resolving the registry tag.
    expect(await publish(reg, binaryPayload('staged', '1.1.0', { tag: 'next' }), 'next')).toEqual({ reconciled: true });
    const promoted = await promote(reg, 'staged', '1.1.0');
    expect(promoted).toEqual({ previous_latest: '1.0.0', next: '1.1.0', latest: '1.1.0', changed: true });
    expect(await readChannel(reg, 'staged', 'latest')).toBe('1.1.0');
    // An idempotent retry after a newer candidate moved `next` still answers 200 changed:false.
    await publish(reg, binaryPayload('staged', '1.2.0', { tag: 'next' }), 'next');
    expect((await promote(reg, 'staged', '1.1.0')).changed).toBe(false);
    expect(await resolveVersion(reg, 'staged', 'latest')).toBe('1.1.0');
  });

  it('staged release of a brand-new worker: no latest until the first promotion', async () => {
    await publish(reg, binaryPayload('first-staged', '0.1.0', { tag: 'next' }), 'next');
    expect(await resolveVersion(reg, 'first-staged', 'latest', true)).toBeNull();
    expect(await promote(reg, 'first-staged', '0.1.0')).toMatchObject({ previous_latest: null, latest: '0.1.0', changed: true });
  });

  it('deploy read-back: a publish without license compares equal to its payload, and stays equal after a 409', async () => {
    const payload = binaryPayload('readback', '2.3.0', {
      tags: ['http', 'demo'],
      dependencies: [{ name: 'staged', version: '>=1.0, <2' }],
      functions: [{ name: 'readback::get', description: 'Get', request_schema: { type: 'object', properties: { id: { type: 'string' } } }, response_schema: {}, metadata: { http: { api_path: '/items/:id', http_method: 'GET' } } }],
      triggers: [{ name: 'http', description: 'HTTP route', invocation_schema: { type: 'object' }, return_schema: {}, metadata: {} }],
    });
    expect(payload).not.toHaveProperty('license');
    const status = await request(reg, 'POST', '/publish', payload, true);
    expect(status.status).toBe(200);
    expect(status.json.version.version).toBe('2.3.0');
    expect(await proveVersion(reg, 'readback', '2.3.0', payload)).toEqual({ state: 'equivalent', detail: 'detail and exact resolved root match the publish payload' });
    expect((await request(reg, 'POST', '/publish', payload, true)).status).toBe(409);
    expect((await proveVersion(reg, 'readback', '2.3.0', payload)).state).toBe('equivalent');
    expect(await publishSkills(reg, 'readback', '2.3.0', {})).toBe('equivalent');
    // An image worker pinned by digest proves the same way.
    const image = { worker_name: 'readback-img', version: '1.0.0', type: 'image', image_tag: `ghcr.io/iii-hq/readback@sha256:${SHA('img')}`, config: {} };
    expect((await request(reg, 'POST', '/publish', image, true)).status).toBe(200);
    expect((await proveVersion(reg, 'readback-img', '1.0.0', image)).state).toBe('equivalent');
  });

  it('engine RC publish: type engine, prerelease, tag rc, skills with version "rc"', async () => {
    // build_engine_publish_payload.py: no license, dependencies as a list, tag from --registry-tag.
    const payload = { worker_name: 'iii-http', version: '0.23.0-rc.4', tag: 'rc', type: 'engine', readme: '# iii-http\n', repo: 'https://github.com/iii-hq/iii',
      description: 'HTTP triggers of the engine', dependencies: [], config: {}, functions: [], triggers: [{ name: 'http', description: 'HTTP route', invocation_schema: {}, return_schema: {}, metadata: {} }] };
    await publish(reg, payload, 'rc');
    expect(await resolveVersion(reg, 'iii-http', 'rc')).toBe('0.23.0-rc.4');
    expect(await resolveVersion(reg, 'iii-http', 'latest', true)).toBeNull();
    expect(await publishSkills(reg, 'iii-http', 'rc', { 'SKILL.md': '# iii-http', 'agents/http-helper.md': '---\nname: http-helper\n---\nHelp.' })).toBe('equivalent');
    // Shown everywhere at its newest version although it has only prereleases.
    const detail = await request(reg, 'GET', '/w/iii-http');
    expect(detail.status).toBe(200);
    expect(detail.json.worker).toMatchObject({ version: '0.23.0-rc.4', type: 'engine', license: '', version_tags: ['rc'] });
    expect((await fetch(`${reg.url}/workers/iii-http.md`)).status).toBe(200);
    expect((await fetch(`${reg.url}/workers/iii-http`)).status).toBe(200);
    expect(await (await fetch(`${reg.url}/llms.txt`)).text()).toContain('iii-http');
    const skills = await request(reg, 'GET', '/w/iii-http/skills?tag=rc');
    expect(skills.json.skills.map((s: { path: string }) => s.path)).toEqual(['SKILL.md', 'agents/http-helper.md']);
    // The CLI's install signal for a built-in, with the running engine's version.
    expect((await fetch(`${reg.url}/download/iii-http?version=0.23.0-rc.4`)).status).toBe(204);
    expect((await fetch(`${reg.url}/download/iii-http?version=0.22.0`)).status).toBe(204);
  });

  it('warned at start-up that its public URL is a loopback address', () => {
    expect(proc.output()).toContain('REGISTRY_PUBLIC_URL is http://127.0.0.1');
    expect(proc.output()).toContain('loopback');
  });
});
