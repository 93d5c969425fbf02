import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IIIClient } from 'iii-sdk';
import type { DirectoryInfoResponse, DirectoryListResponse } from '@iii-registry/schemas';
import {
  callerClient, DIRECTORY_IDS, freePort, publish, startEngineProcess, startRegistry, startWorkerProcess, until,
  waitForDirectory, type Proc, type Registry,
} from './directory-harness';

/** The worker and a caller, both on the unmodified iii-sdk, over the dev engine, against the real registry. */
let engine: Proc;
let registry: Registry;
let worker: Proc;
let caller: IIIClient;
const PROBE = 'e2e-dir-probe';

const list = (payload: Record<string, unknown>) =>
  caller.trigger<unknown, DirectoryListResponse>({ function_id: 'directory::registry::workers::list', payload });
const info = (payload: Record<string, unknown>) =>
  caller.trigger<unknown, DirectoryInfoResponse>({ function_id: 'directory::registry::workers::info', payload });

beforeAll(async () => {
  const port = await freePort();
  [engine, registry] = await Promise.all([startEngineProcess(port), startRegistry()]);
  const release = { worker_name: PROBE, description: 'Probe that turns tarnished spoons into shiny teaspoons',
    readme: `# ${PROBE}\n\nPolishes cutlery.`, tags: ['cutlery'] };
  await publish(registry, { ...release, version: '1.0.0' });
  await publish(registry, { ...release, version: '2.0.0-rc.1', tag: 'next', readme: `# ${PROBE}\n\nNext.` });
  worker = startWorkerProcess(`ws://127.0.0.1:${port}`, registry.url);
  caller = callerClient(`ws://127.0.0.1:${port}`);
  await waitForDirectory(caller);
});

afterAll(async () => {
  await caller?.shutdown();
  await Promise.all([worker?.stop(), engine?.stop(), registry?.dispose()]);
});

describe('iii-directory over the dev engine', () => {
  it('registers every function with a description and real JSON Schema formats', async () => {
    const { functions } = await caller.trigger<unknown, { functions: Array<Record<string, unknown>> }>({
      function_id: 'engine::functions::info', payload: { function_ids: DIRECTORY_IDS } });
    expect(functions.map((f) => f.function_id)).toEqual(DIRECTORY_IDS);
    for (const f of functions) {
      expect(f.worker_name).toBe('iii-directory');
      expect(String(f.description).length).toBeGreaterThan(20);
      const request = f.request_schema as { type: string; properties: Record<string, unknown> };
      const response = f.response_schema as { type: string; properties: Record<string, unknown> };
      expect(request.type).toBe('object');
      expect(response.type).toBe('object');
      expect(Object.keys(request.properties).length).toBeGreaterThan(0);
    }
    const [infoFn, listFn] = functions as Array<{ request_schema: { required?: string[]; properties: object } }>;
    expect(infoFn.request_schema.required).toEqual(['name']);
    expect(Object.keys(listFn.request_schema.properties)).toEqual(expect.arrayContaining(['search', 'cursor']));
    const { workers } = await caller.trigger<unknown, { workers: Array<{ name: string; function_count: number }> }>({
      function_id: 'engine::workers::list', payload: {} });
    // 2 registry functions + 14 of the kit and skills surface (tests/e2e/directory-kits.test.ts).
    expect(workers.find((w) => w.name === 'iii-directory')?.function_count).toBe(16);
  });

  it('lists workers in the registry shape', async () => {
    const page = await list({});
    expect(page.workers.length).toBeGreaterThan(0);
    expect(page.pagination).toMatchObject({ has_more: expect.any(Boolean), page_size: expect.any(Number) });
    const row = page.workers[0];
    expect(row).toMatchObject({ name: expect.any(String), version: expect.any(String), type: expect.any(String),
      author: expect.objectContaining({ verified: expect.any(Boolean) }) });
  });

  it('searches with natural language and tolerates the engine-added _caller_worker_id', async () => {
    const page = await list({ search: '  polish my tarnished spoons ' });
    expect(page.workers[0]?.name).toBe(PROBE);
  });

  it('pages to the end with cursor: every worker exactly once, as the registry itself lists them', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page: DirectoryListResponse = await list({ cursor, limit: 3 });
      seen.push(...page.workers.map((w) => w.name));
      expect(page.pagination.has_more).toBe(page.pagination.next_cursor !== null);
      cursor = page.pagination.next_cursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    expect(new Set(seen).size).toBe(seen.length);
    const direct: string[] = [];
    let next: string | null = null;
    do {
      const res = await fetch(`${registry.url}/w?limit=100${next ? `&cursor=${encodeURIComponent(next)}` : ''}`);
      const body = (await res.json()) as DirectoryListResponse;
      direct.push(...body.workers.map((w) => w.name));
      next = body.pagination.next_cursor;
    } while (next);
    expect([...seen].sort()).toEqual([...direct].sort());
    expect(seen).toContain(PROBE);
  });

  it('fetches info: latest by default, by tag, by exact version', async () => {
    const latest = await info({ name: PROBE });
    expect(latest.worker).toMatchObject({ name: PROBE, version: '1.0.0' });
    expect(latest.readme).toContain('Polishes cutlery.');
    expect(latest.worker).not.toHaveProperty('readme');
    expect(latest.api_reference).toEqual({ functions: [], triggers: [] });
    expect(latest.skills_tree).toEqual({ skills: [], prompts: [] });
    const next = await info({ name: PROBE, tag: 'next' });
    expect(next.worker.version).toBe('2.0.0-rc.1');
    expect(next.readme).toContain('Next.');
    const exact = await info({ name: PROBE, version: '1.0.0' });
    expect(exact.worker.version).toBe('1.0.0');
  });

  it('refuses version and tag together with the contract message', async () => {
    const err = await info({ name: PROBE, version: '1.0.0', tag: 'next' }).catch((e) => e);
    expect(err.code).toBe('invocation_failed');
    expect(err.message).toContain('specify either version OR tag, not both');
  });

  it('an unknown worker fails clearly, naming it', async () => {
    const err = await info({ name: 'no-such-worker-anywhere' }).catch((e) => e);
    expect(err.code).toBe('invocation_failed');
    expect(err.message).toContain("Worker 'no-such-worker-anywhere' not found");
  });

  it('shuts down cleanly on SIGTERM and leaves the engine (runs last)', async () => {
    const exit = new Promise<number | null>((resolve) => worker.child.once('exit', (code) => resolve(code)));
    worker.child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(worker.output()).toContain('SIGTERM: shutting down');
    await until(async () => {
      const { functions } = await caller.trigger<unknown, { functions: unknown[] }>({
        function_id: 'engine::functions::list', payload: { prefix: 'directory::' } });
      return functions.length === 0;
    }, 'the directory functions to leave the engine');
    const err = await list({}).catch((e) => e);
    expect(err.code).toBe('function_not_found');
  });
});
