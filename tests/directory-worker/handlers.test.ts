import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeps } from '../../directory-worker/src/register';
import { handleWorkersInfo } from '../../directory-worker/src/workers-info';
import { handleWorkersList } from '../../directory-worker/src/workers-list';
import type { DirectoryDeps } from '../../directory-worker/src/deps';
import { addWorker, detail, startFakeRegistry, type FakeRegistry } from './fake-registry';

let reg: FakeRegistry;
let deps: DirectoryDeps;
let logs: string[];
beforeEach(async () => {
  reg = await startFakeRegistry();
  addWorker(reg, detail('image-resize', '1.2.0', { readme: '# image-resize' }), ['latest']);
  addWorker(reg, detail('image-resize', '2.0.0-rc.1'), ['next']);
  addWorker(reg, detail('resend-email', '0.3.1'));
  addWorker(reg, detail('pdf-render', '1.0.0'));
  reg.skills.set('image-resize@1.2.0', {
    name: 'image-resize', version: '1.2.0',
    skills: [{ path: 'SKILL.md', content: '# skill' }, { path: 'skills/resize.md', content: 'x' }],
    prompts: [{ name: 'resize', description: 'Resize one image', args_schema: null, content: 'Resize it.' }],
  });
  logs = [];
  deps = createDeps({ registryUrl: reg.url, downloadTimeoutMs: 2_000, cacheTtlMs: 60_000, log: (l) => logs.push(l) });
});
afterEach(() => reg.close());

describe('workers::list handler', () => {
  it('tolerates _caller_worker_id, trims the search and drops blank inputs', async () => {
    const out = await handleWorkersList(deps, { search: '  image ', cursor: '   ', _caller_worker_id: 'w-1' });
    expect(reg.requests).toEqual(['/w?search=image']);
    expect(out.workers.map((w) => w.name)).toEqual(['image-resize']);
  });

  it('pages to the end with the cursor', async () => {
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await handleWorkersList(deps, { cursor });
      names.push(...page.workers.map((w) => w.name));
      cursor = page.pagination.next_cursor;
    } while (cursor);
    expect(names.sort()).toEqual(['image-resize', 'pdf-render', 'resend-email']);
  });

  it('answers repeated identical calls from the cache', async () => {
    await handleWorkersList(deps, { search: 'image' });
    await handleWorkersList(deps, { search: 'image', _caller_worker_id: 'other' });
    expect(reg.requests).toHaveLength(1);
  });

  it('concurrent identical calls share one registry request', async () => {
    let open: () => void = () => {};
    reg.gate = new Promise((resolve) => (open = resolve));
    const calls = Array.from({ length: 5 }, (_, i) => handleWorkersList(deps, { search: 'image', _caller_worker_id: `w-${i}` }));
    open();
    const answers = await Promise.all(calls);
    expect(reg.requests).toEqual(['/w?search=image']);
    expect(new Set(answers.map((a) => a.workers[0].name))).toEqual(new Set(['image-resize']));
  });

  it('refuses a payload of the wrong type with the field named', async () => {
    await expect(handleWorkersList(deps, { search: 5 })).rejects.toThrow(/search/);
  });
});

describe('workers::info handler', () => {
  it('neither version nor tag means latest; the response splits readme, api reference and skills', async () => {
    const out = await handleWorkersInfo(deps, { name: ' image-resize ', _caller_worker_id: 'w-1' });
    expect(reg.requests.sort()).toEqual(['/w/image-resize/skills?version=latest', '/w/image-resize?version=latest']);
    expect(out.worker.version).toBe('1.2.0');
    expect(out.worker).not.toHaveProperty('readme');
    expect(out.worker).not.toHaveProperty('functions');
    expect(out.readme).toBe('# image-resize');
    expect(out.api_reference.functions[0].name).toBe('image-resize::run');
    expect(out.skills_tree).toEqual({
      skills: [{ path: 'SKILL.md' }, { path: 'skills/resize.md' }],
      prompts: [{ name: 'resize', description: 'Resize one image' }],
    });
  });

  it("moves a version's registered triggers (HTTP routes) into the api reference", async () => {
    const route = { function_id: 'pdf-render::render', type: 'http', config: { api_path: '/render', http_method: 'POST' } };
    addWorker(reg, detail('pdf-render', '1.1.0', { registered_triggers: [route] }), ['latest']);
    const out = await handleWorkersInfo(deps, { name: 'pdf-render', version: '1.1.0' });
    expect(out.api_reference.registered_triggers).toEqual([route]);
    expect(out.worker).not.toHaveProperty('registered_triggers');
    const without = await handleWorkersInfo(deps, { name: 'image-resize' });
    expect(without.api_reference).not.toHaveProperty('registered_triggers');
  });

  it('by tag and by exact version; no skills snapshot gives empty lists', async () => {
    const byTag = await handleWorkersInfo(deps, { name: 'image-resize', tag: 'next' });
    expect(byTag.worker.version).toBe('2.0.0-rc.1');
    expect(byTag.skills_tree).toEqual({ skills: [], prompts: [] });
    const byVersion = await handleWorkersInfo(deps, { name: 'image-resize', version: '1.2.0' });
    expect(byVersion.worker.version).toBe('1.2.0');
    expect(reg.requests).toContain('/w/image-resize?version=next');
    expect(reg.requests).toContain('/w/image-resize?version=1.2.0');
  });

  it('version and tag together, and an empty name, fail with the contract messages', async () => {
    await expect(handleWorkersInfo(deps, { name: 'x', version: '1.0.0', tag: 'next' })).rejects.toThrow(
      /^specify either version OR tag, not both$/);
    await expect(handleWorkersInfo(deps, { name: '   ' })).rejects.toThrow(/^name must be non-empty$/);
    await expect(handleWorkersInfo(deps, {})).rejects.toThrow(/^name must be non-empty$/);
    expect(reg.requests).toHaveLength(0);
  });

  it('an unknown worker fails clearly', async () => {
    await expect(handleWorkersInfo(deps, { name: 'nope' })).rejects.toThrow(`Worker 'nope' not found in the registry at ${reg.url}`);
  });

  it('when the registry goes down, a cached answer is served and the staleness logged', async () => {
    const expiring = createDeps({ registryUrl: reg.url, downloadTimeoutMs: 2_000, cacheTtlMs: 1, log: (l) => logs.push(l) });
    const first = await handleWorkersInfo(expiring, { name: 'image-resize' });
    await new Promise((r) => setTimeout(r, 5)); // let the 1 ms TTL lapse
    reg.failWith = 503;
    const again = await handleWorkersInfo(expiring, { name: 'image-resize' });
    expect(again).toEqual(first);
    expect(logs.some((l) => l.includes('stale') && l.includes(reg.url))).toBe(true);
    await expect(handleWorkersList(expiring, { search: 'never asked' })).rejects.toThrow(
      new RegExp(`registry at ${reg.url} cannot be reached.*No cached answer`));
  });
});
