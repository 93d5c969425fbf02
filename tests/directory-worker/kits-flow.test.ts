import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KitPlanResponse } from '@iii-registry/schemas';
import { handleDownloadKit } from '../../directory-worker/src/download-kit';
import { handleApply } from '../../directory-worker/src/kits-apply';
import { handlePlanUpdate } from '../../directory-worker/src/kits-plan-update';
import { handleRemove } from '../../directory-worker/src/kits-remove';
import { handleGet, handleList } from '../../directory-worker/src/kits-list';
import { handleDiff } from '../../directory-worker/src/kits-diff';
import { handleDiscard, handlePlanGet } from '../../directory-worker/src/kits-plan';
import { handleIgnore } from '../../directory-worker/src/kits-ignore';
import { handleCheckUpdates } from '../../directory-worker/src/kits-check-updates';
import { startFakeKitRegistry, type FakeKitRegistry } from './fake-kit-registry';
import { makeProject, type Project } from './kits-harness';

const KIT = 'acme/kanban-team';
const PM1 = '---\nname: Product manager\nmodel: opus\n---\nYou plan.\nYou write tickets.\nYou are calm.\n';
const PM2 = '---\nname: Product manager\nmodel: opus\n---\nYou plan.\nYou write tickets.\nYou are calm.\nYou ship weekly.\n';
const FLOW1 = '# Flow\n\nMove tickets left to right.\n';
const FLOW2 = '# Flow\n\nMove tickets left to right, one at a time.\n';

let reg: FakeKitRegistry;
let p: Project;

beforeEach(async () => {
  reg = await startFakeKitRegistry();
  reg.publish(KIT, '1.0.0', { files: { 'agents/pm.md': PM1, 'skills/tickets/flow.md': FLOW1, 'skills/SKILL.md': '# Kanban\n', 'README.md': '# readme' },
    workers: [{ name: 'kanban', range: '^1.4', resolved: '1.6.1' }], agents: [{ id: 'pm', path: 'agents/pm.md', model: 'opus', functions: ['kanban::move'] }] });
  p = makeProject(reg.url);
});
afterEach(async () => {
  p.dispose();
  await reg.close();
});

const planned = (r: KitPlanResponse) => {
  expect(r.status).toBe('planned');
  return r.plan as NonNullable<KitPlanResponse['plan']>;
};

describe('install', () => {
  it('download-kit plans without writing anything, then apply installs files, workers and the lock', async () => {
    const plan = planned(await handleDownloadKit(p.ctx, { kit: KIT }));
    expect(plan.kind).toBe('install');
    expect(plan.to).toBe('1.0.0');
    expect(plan.requested).toBe('latest');
    expect(plan.files.map((f) => f.path)).toEqual(['agents/pm.md', 'skills/acme/kanban-team/SKILL.md', 'skills/acme/kanban-team/tickets/flow.md']);
    expect(plan.files.find((f) => f.path.endsWith('SKILL.md'))?.id).toBe('acme/kanban-team/index');
    expect(plan.workers).toMatchObject([{ name: 'kanban', range: '^1.4', action: 'add', to: '1.6.1' }]);
    expect(plan.capabilities.functions_added).toEqual([{ agent: 'pm', function: 'kanban::move' }]);
    expect(plan.plan_id).toMatch(/^kp_[0-9a-f]{32}$/);
    expect(Date.parse(plan.expires_at) - Date.parse(plan.created_at)).toBe(24 * 3600 * 1000);
    expect(p.snapshot()).toEqual({});
    expect(reg.requests.some((r) => r.includes('/download'))).toBe(false);

    const applied = await handleApply(p.ctx, { plan_id: plan.plan_id });
    expect(applied.status).toBe('applied');
    expect(applied.report?.workers_added).toEqual(['kanban']);
    expect(p.compose.calls).toEqual(['add kanban@^1.4']);
    expect(p.read('agents/pm.md')).toBe(PM1);
    expect(p.read('skills/acme/kanban-team/tickets/flow.md')).toBe(FLOW1);
    const lock = parse(p.read('kits.lock'));
    expect(lock.version).toBe(1);
    expect(lock.kits[KIT]).toMatchObject({ requested: 'latest', version: '1.0.0', workers: { kanban: '^1.4' } });
    expect(Object.keys(lock.kits[KIT].files).sort()).toEqual(['agents/pm.md', 'skills/acme/kanban-team/SKILL.md', 'skills/acme/kanban-team/tickets/flow.md']);
    expect(p.read('kits.lock').startsWith('# kits.lock')).toBe(true);
    expect(reg.requests.filter((r) => r.includes('/download'))).toEqual([`GET /k/${KIT}/download?version=1.0.0&ci=false`]);
    expect(p.events).toEqual(expect.arrayContaining([{ op: 'plan', kit: KIT, plan_id: plan.plan_id, kind: 'install' },
      { op: 'apply', kit: KIT, plan_id: plan.plan_id, kind: 'install' }]));
    await expect(handlePlanGet(p.ctx, { plan_id: plan.plan_id })).rejects.toThrow(/^D512 not_found/);
  });

  it('an exact ref is stored as ^x.y.z, a range resolves client-side, and download-kit on an installed kit is up_to_date', async () => {
    reg.publish(KIT, '1.1.0-rc.1', { files: { 'agents/pm.md': PM2 } }, 'next');
    const exact = planned(await handleDownloadKit(p.ctx, { kit: `${KIT}@1.0.0` }));
    expect(exact.requested).toBe('^1.0.0');
    const range = planned(await handleDownloadKit(p.ctx, { kit: `${KIT}@>=1, <2` }));
    expect(range.to).toBe('1.0.0');
    expect(reg.requests).toContain(`GET /k/${KIT}/versions`);
    expect(planned(await handleDownloadKit(p.ctx, { kit: `${KIT}@next` })).to).toBe('1.1.0-rc.1');
    await handleApply(p.ctx, { plan_id: exact.plan_id });
    expect((await handleDownloadKit(p.ctx, { kit: KIT })).status).toBe('up_to_date');
  });

  it('apply=true installs at once when the plan is clean', async () => {
    const r = await handleDownloadKit(p.ctx, { kit: KIT, apply: true });
    expect(r.status).toBe('applied');
    expect(p.read('agents/pm.md')).toBe(PM1);
  });

  it('a local profile at the same path is a collision: warned, kit wins by default, keep leaves it and marks it skipped', async () => {
    p.write('agents/pm.md', 'my own pm\n');
    const plan = planned(await handleDownloadKit(p.ctx, { kit: KIT }));
    const file = plan.files.find((f) => f.path === 'agents/pm.md');
    expect(file).toMatchObject({ local: 'occupied', collision: { owner: 'local' }, default: 'overwrite', options: ['overwrite', 'keep'] });
    expect(plan.warnings.map((w) => w.code)).toContain('agent_overwrite_local');
    expect((await handleDownloadKit(p.ctx, { kit: KIT, apply: true })).status).toBe('planned');
    await handleApply(p.ctx, { plan_id: plan.plan_id, decisions: { 'agents/pm.md': 'keep' } });
    expect(p.read('agents/pm.md')).toBe('my own pm\n');
    expect(parse(p.read('kits.lock')).kits[KIT].files['agents/pm.md'].skipped).toBe(true);
  });

  it('a profile written by a worker bundle (marker) is owned by that worker: the warning names it', async () => {
    p.write('agents/pm.md', 'worker pm\n');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(`${p.dir}/skills/kanban`, { recursive: true });
    writeFileSync(`${p.dir}/skills/kanban/.iii-skill-complete`, JSON.stringify({ worker: 'kanban', source: 'registry', tag_or_version: 'latest',
      schema: 2, version: '1.6.1', agents: { pm: 'x'.repeat(64) } }));
    const plan = planned(await handleDownloadKit(p.ctx, { kit: KIT }));
    expect(plan.files.find((f) => f.path === 'agents/pm.md')?.collision).toMatchObject({ owner: 'worker', worker: 'kanban', modified: true });
    expect(plan.warnings.find((w) => w.code === 'agent_overwrite')?.message).toMatch(/came from worker kanban 1\.6\.1/);
  });
});

describe('update', () => {
  const install = async () => {
    const plan = planned(await handleDownloadKit(p.ctx, { kit: KIT }));
    await handleApply(p.ctx, { plan_id: plan.plan_id });
  };

  it('untouched files update silently; an edited profile merges cleanly against the base from /blobs', async () => {
    await install();
    p.write('agents/pm.md', PM1.replace('You plan.', 'You plan carefully.'));
    reg.publish(KIT, '1.1.0', { files: { 'agents/pm.md': PM2, 'skills/tickets/flow.md': FLOW2, 'skills/SKILL.md': '# Kanban\n' },
      workers: [{ name: 'kanban', range: '^1.4' }] });
    const plan = planned(await handlePlanUpdate(p.ctx, { kit: KIT }));
    expect(plan).toMatchObject({ kind: 'update', from: '1.0.0', to: '1.1.0', bump: 'minor', major: false });
    expect(plan.counts.unchanged).toBe(1);
    const flow = plan.files.find((f) => f.path.endsWith('flow.md'));
    expect(flow).toMatchObject({ change: 'modified', local: 'intact', default: 'kit' });
    const pm = plan.files.find((f) => f.path === 'agents/pm.md');
    expect(pm).toMatchObject({ local: 'edited', merge: 'clean', default: 'merged', options: ['kit', 'mine', 'merged'], body_changed: true });
    expect(reg.requests.some((r) => r.startsWith('GET /blobs/'))).toBe(true);
    const { contents } = await handlePlanGet(p.ctx, { plan_id: plan.plan_id, contents: true });
    expect(contents?.merged['agents/pm.md']).toContain('You plan carefully.');
    expect(contents?.merged['agents/pm.md']).toContain('You ship weekly.');
    const r = await handleApply(p.ctx, { plan_id: plan.plan_id });
    expect(r.report?.files_merged).toEqual(['agents/pm.md']);
    expect(p.read('agents/pm.md')).toBe(contents?.merged['agents/pm.md']);
    expect(p.read('skills/acme/kanban-team/tickets/flow.md')).toBe(FLOW2);
    expect(p.compose.calls).toEqual(['add kanban@^1.4']);
    const diff = await handleDiff(p.ctx, { kit: KIT, path: 'agents/pm.md' });
    expect(diff).toMatchObject({ base: PM2, state: 'edited' });
  });

  it('conflicting edits need a decision; merged content is accepted when resolved', async () => {
    await install();
    p.write('agents/pm.md', PM1.replace('You are calm.', 'You are loud.'));
    reg.publish(KIT, '1.1.0', { files: { 'agents/pm.md': PM1.replace('You are calm.', 'You are patient.'), 'skills/tickets/flow.md': FLOW1, 'skills/SKILL.md': '# Kanban\n' },
      workers: [{ name: 'kanban', range: '^1.4' }] });
    const plan = planned(await handlePlanUpdate(p.ctx, { kit: KIT }));
    const pm = plan.files.find((f) => f.path === 'agents/pm.md');
    expect(pm).toMatchObject({ merge: 'conflicts', conflicts: 1, default: null });
    expect(plan.counts.decisions_required).toBe(1);
    await expect(handleApply(p.ctx, { plan_id: plan.plan_id })).rejects.toThrow(/^D513 invalid_input: agents\/pm\.md needs a decision/);
    const resolved = PM1.replace('You are calm.', 'You are loud and patient.');
    await handleApply(p.ctx, { plan_id: plan.plan_id, decisions: { 'agents/pm.md': { choice: 'merged', content: resolved } } });
    expect(p.read('agents/pm.md')).toBe(resolved);
  });

  it('mine keeps the local file; a major jump is warned; a dropped file is removed', async () => {
    await install();
    p.write('agents/pm.md', 'mine\n');
    reg.publish(KIT, '2.0.0', { files: { 'agents/pm.md': PM2, 'skills/SKILL.md': '# Kanban\n' }, workers: [{ name: 'kanban', range: '^1.4' }] });
    const plan = planned(await handleDownloadKit(p.ctx, { kit: KIT }));
    expect(plan.major).toBe(true);
    expect(plan.warnings[0]?.code).toBe('major_update');
    expect(plan.files.find((f) => f.path.endsWith('flow.md'))).toMatchObject({ change: 'removed', default: 'remove' });
    await handleApply(p.ctx, { plan_id: plan.plan_id, decisions: { 'agents/pm.md': 'mine' } });
    expect(p.read('agents/pm.md')).toBe('mine\n');
    expect(p.snapshot()['skills/acme/kanban-team/tickets/flow.md']).toBeUndefined();
  });

  it('a project that changed since the plan gets a fresh plan (replanned), not a blind write', async () => {
    await install();
    reg.publish(KIT, '1.1.0', { files: { 'agents/pm.md': PM2, 'skills/tickets/flow.md': FLOW1, 'skills/SKILL.md': '# Kanban\n' }, workers: [{ name: 'kanban', range: '^1.4' }] });
    const plan = planned(await handlePlanUpdate(p.ctx, { kit: KIT }));
    p.write('agents/pm.md', 'edited after the plan\n');
    const r = await handleApply(p.ctx, { plan_id: plan.plan_id });
    expect(r.status).toBe('replanned');
    expect(r.plan?.plan_id).not.toBe(plan.plan_id);
    expect(r.plan?.files.find((f) => f.path === 'agents/pm.md')?.local).toBe('edited');
    expect(p.read('agents/pm.md')).toBe('edited after the plan\n');
  });

  it('check-updates caches the answer, honours ignored_versions, and emits on-change when the set changes', async () => {
    await install();
    reg.publish(KIT, '1.1.0', { files: { 'agents/pm.md': PM2 } });
    p.events.length = 0;
    const first = await handleCheckUpdates(p.ctx, {});
    expect(first).toMatchObject({ available: 1, kits: [{ kit: KIT, current: '1.0.0', available: '1.1.0', latest: '1.1.0' }], error: null });
    expect(p.events).toContainEqual({ op: 'updates' });
    const listing = await handleList(p.ctx, {});
    expect(listing.kits[0]?.update?.available).toBe('1.1.0');
    expect(listing.attention).toBe(1);
    expect(await handleIgnore(p.ctx, { kit: KIT, version: '1.1.0' })).toEqual({ kit: KIT, ignored_versions: ['1.1.0'] });
    expect(parse(p.read('kits.lock')).kits[KIT].ignored_versions).toEqual(['1.1.0']);
    const after = await handleCheckUpdates(p.ctx, { kit: KIT });
    expect(after.kits[0]).toMatchObject({ available: null, ignored: '1.1.0' });
    p.events.length = 0;
    await handleCheckUpdates(p.ctx, {});
    expect(p.events).toEqual([]);
  });
});

describe('interrupted apply', () => {
  it('a write that fails midway leaves the plan with its journal; the retry converges without a replan', async () => {
    const { mkdirSync, rmSync } = await import('node:fs');
    mkdirSync(`${p.dir}/skills/acme/kanban-team/tickets/flow.md`, { recursive: true });
    const plan = planned(await handleDownloadKit(p.ctx, { kit: KIT }));
    await expect(handleApply(p.ctx, { plan_id: plan.plan_id })).rejects.toThrow();
    expect(p.snapshot()['kits.lock']).toBeUndefined();
    const { progress } = await handlePlanGet(p.ctx, { plan_id: plan.plan_id });
    expect(progress?.steps.find((s) => s.id === 'files')?.state).toBe('failed');
    expect(Object.keys(progress?.written ?? {})).toContain('agents/pm.md');
    expect(p.events).toContainEqual(expect.objectContaining({ op: 'progress', plan_id: plan.plan_id }));
    rmSync(`${p.dir}/skills/acme/kanban-team/tickets/flow.md`, { recursive: true });
    const retried = await handleApply(p.ctx, { plan_id: plan.plan_id });
    expect(retried.status).toBe('applied');
    expect(p.read('skills/acme/kanban-team/tickets/flow.md')).toBe(FLOW1);
    expect(parse(p.read('kits.lock')).kits[KIT].version).toBe('1.0.0');
  });

  it('CI=true counts the download as CI', async () => {
    p.ctx.env.ci = true;
    await handleDownloadKit(p.ctx, { kit: KIT, apply: true });
    expect(reg.requests).toContain(`GET /k/${KIT}/download?version=1.0.0&ci=true`);
  });
});

describe('remove, list, get, discard', () => {
  it('remove plans deleting intact files and keeping edited ones; workers stay unless ticked', async () => {
    await handleDownloadKit(p.ctx, { kit: KIT, apply: true });
    p.write('skills/acme/kanban-team/SKILL.md', '# my notes\n');
    const info = await handleGet(p.ctx, { kit: KIT, registry: true });
    expect(info.files).toMatchObject({ agents: 1, skills: 2, intact: 2, edited: 1 });
    expect(info.readme).toBe(`# ${KIT}`);
    expect(info.detail?.version).toBe('1.0.0');
    expect(info.worker_status).toMatchObject([{ name: 'kanban', range: '^1.4', declared: '^1.4' }]);
    const plan = planned(await handleRemove(p.ctx, { kit: KIT }));
    expect(plan.kind).toBe('remove');
    expect(plan.files.find((f) => f.path.endsWith('SKILL.md'))?.default).toBe('keep');
    expect(plan.workers).toMatchObject([{ name: 'kanban', action: 'remove' }]);
    await handleApply(p.ctx, { plan_id: plan.plan_id, remove_workers: ['kanban'] });
    expect(p.compose.calls).toContain('remove kanban');
    expect(p.snapshot()['agents/pm.md']).toBeUndefined();
    expect(p.read('skills/acme/kanban-team/SKILL.md')).toBe('# my notes\n');
    expect(parse(p.read('kits.lock')).kits).toEqual({});
  });

  it('list shows pending plans; discard forgets one and says whether it did', async () => {
    const plan = planned(await handleDownloadKit(p.ctx, { kit: KIT }));
    expect((await handleList(p.ctx, {})).pending.map((x) => x.plan_id)).toEqual([plan.plan_id]);
    expect(await handleDiscard(p.ctx, { plan_id: plan.plan_id })).toEqual({ plan_id: plan.plan_id, discarded: true });
    expect(await handleDiscard(p.ctx, { plan_id: plan.plan_id })).toEqual({ plan_id: plan.plan_id, discarded: false });
    expect(p.events).toContainEqual({ op: 'discard', plan_id: plan.plan_id, kit: KIT });
  });

  it('applies run one at a time: two concurrent applies of one kit install once, the second is replanned', async () => {
    const a = planned(await handleDownloadKit(p.ctx, { kit: KIT }));
    const b = planned(await handleDownloadKit(p.ctx, { kit: KIT }));
    const [ra, rb] = await Promise.all([handleApply(p.ctx, { plan_id: a.plan_id }), handleApply(p.ctx, { plan_id: b.plan_id })]);
    expect(ra.status).toBe('applied');
    expect(rb.status).toBe('replanned');
    expect(p.compose.calls).toEqual(['add kanban@^1.4']);
  });
});
