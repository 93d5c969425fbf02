import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { IIIClient } from 'iii-sdk';
import type { CheckUpdatesResponse, KitInfo, KitPlanResponse, KitsListing } from '@iii-registry/schemas';
import { startComposeStandIn, type ComposeStandIn } from '../../dev-engine/src/compose-stand-in';
import {
  callerClient, freePort, publish, startEngineProcess, startRegistry, startWorkerProcess, until, waitForDirectory, type Proc, type Registry,
} from './directory-harness';

/**
 * The kit surface end to end: the dev engine, the real registry process (kits published through POST /k/...),
 * the iii-directory bin, the Compose stand-in, and an unmodified iii-sdk caller that also subscribes to
 * directory::kits::on-change.
 */
const KIT = 'acme/kanban-team';
const PM1 = '---\nname: Product manager\ndescription: Plans the board\nfunctions: [kanban::move]\n---\nYou plan.\nYou write tickets.\nYou stay calm.\n';
const PM2 = PM1.replace('You stay calm.', 'You stay calm.\nYou ship weekly.');
const KIT_IDS = ['directory::download-kit', 'directory::kits::plan', 'directory::kits::plan-update', 'directory::kits::apply',
  'directory::kits::remove', 'directory::kits::discard', 'directory::kits::ignore', 'directory::kits::diff', 'directory::kits::get',
  'directory::kits::list', 'directory::kits::check-updates', 'directory::skills::download', 'directory::skills::download_from_registry',
  'directory::engine::functions::info'];

let engine: Proc;
let registry: Registry;
let worker: Proc;
let caller: IIIClient;
let compose: ComposeStandIn;
let project: string;
const events: Array<Record<string, unknown>> = [];

const call = <T>(function_id: string, payload: Record<string, unknown> = {}) => caller.trigger<unknown, T>({ function_id, payload, timeoutMs: 20_000 });
const failure = async (function_id: string, payload: Record<string, unknown>) => {
  const err = await call(function_id, payload).then(() => null, (e: Error) => e);
  expect(err).not.toBeNull();
  return (err as Error).message;
};

async function publishKit(version: string, files: Record<string, string>, extra: Record<string, unknown> = {}): Promise<void> {
  const res = await fetch(`${registry.url}/k/${KIT}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': registry.apiKey },
    body: JSON.stringify({ version, description: 'A kanban team', workers: { 'kanban-e2e': '^1.4' }, files, ...extra }) });
  if (res.status !== 200 && res.status !== 201) throw new Error(`kit publish ${version}: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  const port = await freePort();
  [engine, registry] = await Promise.all([startEngineProcess(port), startRegistry()]);
  await publish(registry, { worker_name: 'kanban-e2e', version: '1.6.1', description: 'Kanban boards for agents', readme: '# kanban' });
  const skills = await fetch(`${registry.url}/w/kanban-e2e/skills`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': registry.apiKey },
    body: JSON.stringify({ version: '1.6.1', skills: { 'SKILL.md': '# Kanban\n', 'skills/boards.md': '# Boards\n', 'agents/board-keeper.md': '---\nname: Board keeper\n---\nKeep it tidy.\n' } }) });
  expect(skills.status).toBeLessThan(300);
  await publishKit('1.0.0', { 'agents/pm.md': PM1, 'skills/tickets/flow.md': '# Flow\n', 'skills/SKILL.md': '# Kanban team\n' });
  project = mkdtempSync(join(tmpdir(), 'iii-kits-e2e-'));
  const url = `ws://127.0.0.1:${port}`;
  compose = startComposeStandIn({ engineUrl: url, composeFile: join(project, 'worker-compose.yaml') });
  worker = startWorkerProcess(url, registry.url, ['--project', project], { OTEL_ENABLED: 'false',
    III_DIRECTORY_KIT_UPDATES_DELAY_MS: '200', III_DIRECTORY_KIT_UPDATES_INTERVAL_MS: '1000' });
  caller = callerClient(url);
  caller.registerFunction('e2e::kits-changed', async (payload: Record<string, unknown>) => {
    events.push(payload);
    return null;
  });
  await waitForDirectory(caller);
  caller.registerTrigger({ type: 'directory::kits::on-change', function_id: 'e2e::kits-changed', config: {} });
  await until(async () => {
    const { functions } = await call<{ functions: Array<{ function_id: string }> }>('engine::functions::list', { prefix: 'compose::' });
    return functions.length === 4;
  }, 'the compose stand-in');
}, 90_000);

afterAll(async () => {
  await caller?.shutdown();
  await compose?.close();
  await Promise.all([worker?.stop(), engine?.stop(), registry?.dispose()]);
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('kits over the dev engine against the real registry', () => {
  it('registers every kit function and the on-change trigger type with JSON Schema formats', async () => {
    const { functions } = await call<{ functions: Array<Record<string, unknown>> }>('engine::functions::info', { function_ids: KIT_IDS });
    expect(functions.map((f) => f.function_id).sort()).toEqual([...KIT_IDS].sort());
    for (const f of functions) {
      expect(f.worker_name).toBe('iii-directory');
      expect((f.request_schema as { type: string }).type).toBe('object');
      expect((f.response_schema as { type: string }).type).toBe('object');
    }
    const { triggers } = await call<{ triggers: Array<{ id: string }> }>('engine::triggers::list');
    expect(triggers.map((t) => t.id)).toEqual(expect.arrayContaining(['directory::kits::on-change', 'directory::agents::on-change', 'directory::skills::on-change']));
  });

  it('installs: download-kit plans, kits::plan shows it, apply adds the worker through Compose and writes files, lock and worker skills', async () => {
    const planned = await call<KitPlanResponse>('directory::download-kit', { kit: KIT });
    expect(planned.status).toBe('planned');
    const plan = planned.plan as NonNullable<KitPlanResponse['plan']>;
    expect(plan.workers).toMatchObject([{ name: 'kanban-e2e', range: '^1.4', action: 'add', to: '1.6.1' }]);
    expect(plan.functions.map((f) => f.id)).toContain('kanban::move');
    const shown = await call<{ plan: { plan_id: string }; contents?: { blobs: Record<string, string> } }>('directory::kits::plan', { plan_id: plan.plan_id, contents: true });
    expect(Object.values(shown.contents?.blobs ?? {})).toContain(PM1);
    const applied = await call<KitPlanResponse>('directory::kits::apply', { plan_id: plan.plan_id });
    expect(applied.status).toBe('applied');
    expect(readFileSync(join(project, 'agents/pm.md'), 'utf8')).toBe(PM1);
    expect(readFileSync(join(project, 'skills/acme/kanban-team/tickets/flow.md'), 'utf8')).toBe('# Flow\n');
    expect(parse(readFileSync(join(project, 'kits.lock'), 'utf8')).kits[KIT]).toMatchObject({ version: '1.0.0', requested: 'latest', workers: { 'kanban-e2e': '^1.4' } });
    expect(parse(readFileSync(join(project, 'worker-compose.yaml'), 'utf8')).containers['kanban-e2e']).toEqual({ worker: 'package://api.workers.iii.dev/kanban-e2e', version: '^1.4' });
    expect(compose.calls.some((c) => c.startsWith('compose::add'))).toBe(true);
    // The worker's own bundle follows the apply: its profile and skills, with the marker.
    expect(readFileSync(join(project, 'agents/board-keeper.md'), 'utf8')).toContain('Board keeper');
    expect(JSON.parse(readFileSync(join(project, 'skills/kanban-e2e/.iii-skill-complete'), 'utf8'))).toMatchObject({ worker: 'kanban-e2e', schema: 2, version: '1.6.1' });
    await until(() => events.some((e) => e.op === 'apply' && e.plan_id === plan.plan_id), 'the apply event');
    expect(events).toContainEqual(expect.objectContaining({ op: 'plan', kit: KIT, plan_id: plan.plan_id, kind: 'install' }));
  });

  it('updates: a local edit and a new version give a clean three-way merge that apply writes', async () => {
    writeFileSync(join(project, 'agents/pm.md'), PM1.replace('You plan.', 'You plan carefully.'));
    await publishKit('1.1.0', { 'agents/pm.md': PM2, 'skills/tickets/flow.md': '# Flow\n', 'skills/SKILL.md': '# Kanban team\n' });
    const checked = await call<CheckUpdatesResponse>('directory::kits::check-updates');
    expect(checked.kits).toMatchObject([{ kit: KIT, current: '1.0.0', available: '1.1.0' }]);
    await until(() => events.some((e) => e.op === 'updates'), 'the updates event');
    const listing = await call<KitsListing>('directory::kits::list');
    expect(listing.kits[0]).toMatchObject({ kit: KIT, update: { available: '1.1.0' }, files: { edited: 1 } });
    const plan = (await call<KitPlanResponse>('directory::kits::plan-update', { kit: KIT })).plan as NonNullable<KitPlanResponse['plan']>;
    expect(plan.files).toMatchObject([{ path: 'agents/pm.md', local: 'edited', merge: 'clean', default: 'merged' }]);
    const diff = await call<{ base: string; state: string }>('directory::kits::diff', { kit: KIT, path: 'agents/pm.md' });
    expect(diff).toMatchObject({ base: PM1, state: 'edited' });
    const applied = await call<KitPlanResponse>('directory::kits::apply', { plan_id: plan.plan_id });
    expect(applied.report?.files_merged).toEqual(['agents/pm.md']);
    const merged = readFileSync(join(project, 'agents/pm.md'), 'utf8');
    expect(merged).toContain('You plan carefully.');
    expect(merged).toContain('You ship weekly.');
    expect(await call('directory::kits::ignore', { kit: KIT, version: '9.9.9' })).toEqual({ kit: KIT, ignored_versions: ['9.9.9'] });
    expect(await call('directory::kits::ignore', { kit: KIT, version: '9.9.9', ignore: false })).toEqual({ kit: KIT, ignored_versions: [] });
    const info = await call<KitInfo>('directory::kits::get', { kit: KIT, registry: true });
    expect(info).toMatchObject({ version: '1.1.0', detail: { version: '1.1.0' }, worker_status: [{ name: 'kanban-e2e', declared: '^1.4' }] });
  });

  it('answers bad input with D-coded sentences, leaving the project as it was', async () => {
    const lock = readFileSync(join(project, 'kits.lock'), 'utf8');
    expect(await failure('directory::download-kit', { kit: 'Not A Kit' })).toMatch(/D511 invalid_input: "Not A Kit" is not a kit reference/);
    expect(await failure('directory::download-kit', { kit: 'acme/missing-kit' })).toMatch(/D510 not_found: kit "acme\/missing-kit" does not exist/);
    expect(await failure('directory::download-kit', { kit: `${KIT}@7.0.0` })).toMatch(/D510 not_found: .*has no version or tag "7\.0\.0"/);
    expect(await failure('directory::kits::apply', { plan_id: `kp_${'a'.repeat(32)}` })).toMatch(/D512 not_found/);
    const message = await failure('directory::skills::download', { worker: 'no-such-worker' });
    expect(message).toMatch(/D310 not_found: registry worker "no-such-worker" has no published skills bundle/);
    expect(message).not.toContain(registry.url);
    expect(await failure('directory::skills::download', { worker: '../etc' })).toMatch(/D311 invalid_input/);
    expect(readFileSync(join(project, 'kits.lock'), 'utf8')).toBe(lock);
  });

  it('Compose failing (D515) and gone: a plan that adds a worker is blocked, and apply says compose_not_running (D514)', async () => {
    await publish(registry, { worker_name: 'state-e2e', version: '0.1.0', description: 'State', readme: '# state' });
    await publishKit('1.2.0', { 'agents/pm.md': PM2 }, { workers: { 'kanban-e2e': '^1.4', 'state-e2e': '^0.1' } });
    // The background check (III_DIRECTORY_KIT_UPDATES_INTERVAL_MS=1000 here, 6 h by default) finds 1.2.0 unasked.
    await until(() => {
      const cache = JSON.parse(readFileSync(join(project, '.iii/directory/kit-updates.json'), 'utf8')) as { answers: Record<string, { available?: string }> };
      return cache.answers[KIT]?.available === '1.2.0';
    }, 'the background update check', 10_000);
    // Compose answers but the operation fails: D515, nothing written.
    compose.failWorkers.add('state-e2e');
    const failing = await call<KitPlanResponse>('directory::kits::plan-update', { kit: KIT });
    const lockBefore = readFileSync(join(project, 'kits.lock'), 'utf8');
    expect(await failure('directory::kits::apply', { plan_id: failing.plan?.plan_id as string }))
      .toMatch(/D515 compose_error: compose operation .* failed: could not pull state-e2e/);
    expect(readFileSync(join(project, 'kits.lock'), 'utf8')).toBe(lockBefore);
    await call('directory::kits::discard', { plan_id: failing.plan?.plan_id as string });
    await compose.close();
    await until(async () => (await call<{ functions: unknown[] }>('engine::functions::list', { prefix: 'compose::' })).functions.length === 0, 'compose to leave');
    const r = await call<KitPlanResponse>('directory::kits::plan-update', { kit: KIT });
    expect(r.plan?.blocking.map((b) => b.code)).toEqual(['compose_not_running']);
    const lock = readFileSync(join(project, 'kits.lock'), 'utf8');
    expect(r.plan?.workers.find((w) => w.name === 'state-e2e')?.action).toBe('add');
    expect(await failure('directory::kits::apply', { plan_id: r.plan?.plan_id as string })).toMatch(/D514 compose_not_running: /);
    expect(readFileSync(join(project, 'kits.lock'), 'utf8')).toBe(lock);
    const discarded = await call<{ discarded: boolean }>('directory::kits::discard', { plan_id: r.plan?.plan_id as string });
    expect(discarded.discarded).toBe(true);
  });

  it('skills::download writes a worker bundle; engine::functions::info proxies the engine', async () => {
    const out = await call<{ skills_written: string[]; agents_written: string[] }>('directory::skills::download_from_registry', { worker: 'kanban-e2e', version: '1.6.1' });
    expect(out.skills_written.sort()).toEqual(['SKILL.md', 'boards.md']);
    expect(out.agents_written).toEqual(['board-keeper']);
    expect(existsSync(join(project, 'skills/kanban-e2e/boards.md'))).toBe(true);
    const info = await call<{ function_id: string; worker_name: string; request_schema: { type: string } }>('directory::engine::functions::info', { function_id: 'directory::kits::list' });
    expect(info).toMatchObject({ function_id: 'directory::kits::list', worker_name: 'iii-directory', request_schema: { type: 'object' } });
    expect(await failure('directory::engine::functions::info', { function_id: '  ' })).toMatch(/function_id must be non-empty/);
  });

  it('remove plans the removal and apply takes the kit out of kits.lock', async () => {
    const r = await call<KitPlanResponse>('directory::kits::remove', { kit: KIT });
    expect(r.plan?.kind).toBe('remove');
    const applied = await call<KitPlanResponse>('directory::kits::apply', { plan_id: r.plan?.plan_id as string, decisions: { 'agents/pm.md': 'remove' } });
    expect(applied.status).toBe('applied');
    expect(parse(readFileSync(join(project, 'kits.lock'), 'utf8')).kits).toEqual({});
    expect(existsSync(join(project, 'skills/acme/kanban-team/tickets/flow.md'))).toBe(false);
  });
});
