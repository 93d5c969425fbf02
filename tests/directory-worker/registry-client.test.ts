import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistryClient, RegistryAnswerError, RegistryUnavailableError } from '../../directory-worker/src/registry-client';
import { addWorker, detail, startFakeRegistry, type FakeRegistry } from './fake-registry';

let reg: FakeRegistry;
beforeEach(async () => {
  reg = await startFakeRegistry();
  addWorker(reg, detail('image-resize', '1.2.0'), ['latest']);
  addWorker(reg, detail('image-resize', '2.0.0-rc.1'), ['next']);
  reg.skills.set('image-resize@1.2.0', {
    name: 'image-resize', version: '1.2.0',
    skills: [{ path: 'SKILL.md', content: '# skill' }], prompts: [{ name: 'resize', description: 'Resize one', args_schema: null, content: 'Resize it.' }],
  });
});
afterEach(() => reg.close());

describe('registry client', () => {
  it('maps list inputs to GET /w query parameters and returns the page', async () => {
    const client = createRegistryClient({ baseUrl: `${reg.url}/`, timeoutMs: 2_000 });
    const page = await client.listWorkers({ search: 'image resize', cursor: '0', limit: 5 });
    expect(reg.requests).toEqual(['/w?search=image+resize&cursor=0&limit=5']);
    expect(page.pagination.page_size).toBe(2);
    await client.listWorkers({});
    expect(reg.requests[1]).toBe('/w');
  });

  it('passes the relevance score and match of search rows through', async () => {
    const client = createRegistryClient({ baseUrl: reg.url, timeoutMs: 2_000 });
    const searched = await client.listWorkers({ search: 'image' });
    expect(searched.workers.length).toBeGreaterThan(0);
    for (const row of searched.workers) expect(row).toMatchObject({ score: 2.5, match: 'all_words' });
    const listed = await client.listWorkers({});
    expect(listed.workers[0]).not.toHaveProperty('score');
  });

  it('reads a worker and its skills by tag or version through ?version=', async () => {
    const client = createRegistryClient({ baseUrl: reg.url, timeoutMs: 2_000 });
    expect((await client.getWorker('image-resize', 'next')).version).toBe('2.0.0-rc.1');
    expect((await client.getSkills('image-resize', 'latest'))?.skills[0].path).toBe('SKILL.md');
    expect(reg.requests).toEqual(['/w/image-resize?version=next', '/w/image-resize/skills?version=latest']);
  });

  it('a version without a skills snapshot (404) gives null', async () => {
    const client = createRegistryClient({ baseUrl: reg.url, timeoutMs: 2_000 });
    expect(await client.getSkills('image-resize', 'next')).toBeNull();
  });

  it('worker_not_found becomes a clear error naming the worker and the registry', async () => {
    const client = createRegistryClient({ baseUrl: reg.url, timeoutMs: 2_000 });
    const err = await client.getWorker('nope', 'latest').catch((e) => e);
    expect(err).toBeInstanceOf(RegistryAnswerError);
    expect(err.code).toBe('worker_not_found');
    expect(err.message).toBe(`Worker 'nope' not found in the registry at ${reg.url}. Check the name.`);
  });

  it('an unknown version lists what exists', async () => {
    const client = createRegistryClient({ baseUrl: reg.url, timeoutMs: 2_000 });
    const err = await client.getWorker('image-resize', '9.9.9').catch((e) => e);
    expect(err.code).toBe('version_not_found');
    expect(err.message).toContain("no version or tag '9.9.9'");
    expect(err.message).toContain('1.2.0');
  });

  it('5xx answers and refused connections are outages that name the registry URL', async () => {
    const client = createRegistryClient({ baseUrl: reg.url, timeoutMs: 2_000 });
    reg.failWith = 503;
    const err = await client.listWorkers({}).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryUnavailableError);
    expect(err.message).toContain(reg.url);
    await reg.close();
    const refused = await client.listWorkers({}).catch((e) => e);
    expect(refused).toBeInstanceOf(RegistryUnavailableError);
    expect(refused.message).toMatch(/ECONNREFUSED/);
    reg = await startFakeRegistry(); // afterEach closes it
  });

  it('a registry that does not answer in time is an outage', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const err = await createRegistryClient({ baseUrl: url, timeoutMs: 50 }).listWorkers({}).catch((e) => e);
      expect(err).toBeInstanceOf(RegistryUnavailableError);
      expect(err.message).toContain('no answer within 50 ms');
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('a registry that stalls in the middle of its answer is an outage too', async () => {
    const stalling = createServer((_q, s) => {
      s.writeHead(200, { 'content-type': 'application/json' });
      s.write('{"workers": [');
    });
    await new Promise<void>((r) => stalling.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}`;
    try {
      const err = await createRegistryClient({ baseUrl: url, timeoutMs: 100 }).listWorkers({}).catch((e) => e);
      expect(err).toBeInstanceOf(RegistryUnavailableError);
    } finally {
      stalling.closeAllConnections();
      await new Promise<void>((r) => stalling.close(() => r()));
    }
  });

  it('a body that does not match the contract is refused with the problems', async () => {
    const bad = createServer((_q, s) => s.writeHead(200, { 'content-type': 'application/json' }).end('{"workers": 3}'));
    await new Promise<void>((r) => bad.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(bad.address() as AddressInfo).port}`;
    try {
      const err = await createRegistryClient({ baseUrl: url, timeoutMs: 2_000 }).listWorkers({}).catch((e) => e);
      expect(err.code).toBe('bad_registry_response');
      expect(err.message).toContain('workers');
    } finally {
      await new Promise<void>((r) => bad.close(() => r()));
    }
  });
});
