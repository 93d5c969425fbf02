import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KitPlanResponse } from '@iii-registry/schemas';
import { handleDownloadKit } from '../../directory-worker/src/download-kit';
import { handleApply } from '../../directory-worker/src/kits-apply';
import { handlePlanUpdate } from '../../directory-worker/src/kits-plan-update';
import { handleGet } from '../../directory-worker/src/kits-list';
import { handleDiff } from '../../directory-worker/src/kits-diff';
import { handlePlanGet } from '../../directory-worker/src/kits-plan';
import { handleCheckUpdates } from '../../directory-worker/src/kits-check-updates';
import { handleRemove } from '../../directory-worker/src/kits-remove';
import { startFakeKitRegistry, type FakeKitRegistry } from './fake-kit-registry';
import { makeProject, type Project } from './kits-harness';

/** Every fault leaves the project's files and kits.lock byte-for-byte as they were. */
const KIT = 'acme/kanban-team';
const PM = '---\nname: PM\n---\nOne.\nTwo.\nThree.\n';
let reg: FakeKitRegistry;
let p: Project;
let before: Record<string, string>;
let clock = Date.now();

const planId = (r: KitPlanResponse) => r.plan?.plan_id as string;
const unchanged = () => expect(p.snapshot()).toEqual(before);

beforeEach(async () => {
  reg = await startFakeKitRegistry();
  reg.publish(KIT, '1.0.0', { files: { 'agents/pm.md': PM, 'skills/flow.md': '# Flow\n' }, workers: [{ name: 'kanban', range: '^1.4' }] });
  clock = Date.now();
  p = makeProject(reg.url, () => clock);
  await handleDownloadKit(p.ctx, { kit: KIT, apply: true });
  p.write('agents/pm.md', PM.replace('Two.', 'Two, edited.'));
  reg.publish(KIT, '1.1.0', { files: { 'agents/pm.md': PM.replace('Three.', 'Three, new.'), 'skills/flow.md': '# Flow 2\n', 'skills/new.md': '# New\n' },
    workers: [{ name: 'kanban', range: '^1.4' }, { name: 'state', range: '^0.22' }] });
  before = p.snapshot();
  expect(Object.keys(before)).toEqual(expect.arrayContaining(['kits.lock', 'agents/pm.md']));
});
afterEach(async () => {
  p.dispose();
  await reg.close();
});

describe('bad kit references (D511)', () => {
  for (const kit of ['acme', 'Acme/kit', 'acme/kit_x', 'acme/kit@', 'acme/kit@>>1', '../x/y', 'acme/kit@a b', 'a/b/c'])
    it(`refuses "${kit}"`, async () => {
      await expect(handleDownloadKit(p.ctx, { kit })).rejects.toThrow(/^D511 invalid_input: .* is not a kit reference .*Next: /);
      unchanged();
    });
  it('refuses a bad kit id in plan-update, remove, get, diff and check-updates too', async () => {
    for (const call of [() => handlePlanUpdate(p.ctx, { kit: 'x' }), () => handleRemove(p.ctx, { kit: 'A/b' }), () => handleGet(p.ctx, { kit: 'a' }),
      () => handleDiff(p.ctx, { kit: 'a', path: 'agents/pm.md' }), () => handleCheckUpdates(p.ctx, { kit: 'a/b@1' })])
      await expect(call()).rejects.toThrow(/^D511 /);
    unchanged();
  });
});

describe('unknown kits and versions (D510)', () => {
  it('tells a missing kit from a missing version, and a range nothing satisfies', async () => {
    await expect(handleDownloadKit(p.ctx, { kit: 'acme/nope' })).rejects.toThrow(/^D510 not_found: kit "acme\/nope" does not exist in the registry/);
    await expect(handleDownloadKit(p.ctx, { kit: `${KIT}@9.9.9` })).rejects.toThrow(/^D510 not_found: kit acme\/kanban-team has no version or tag "9\.9\.9"/);
    await expect(handleDownloadKit(p.ctx, { kit: `${KIT}@nightly` })).rejects.toThrow(/has no version or tag "nightly"/);
    await expect(handleDownloadKit(p.ctx, { kit: `${KIT}@^5` })).rejects.toThrow(/^D510 not_found: no version of kit .* satisfies "\^5"/);
    await expect(handlePlanUpdate(p.ctx, { kit: 'acme/other' })).rejects.toThrow(/^D510 not_found: kit acme\/other is not installed/);
    await expect(handleDiff(p.ctx, { kit: KIT, path: 'agents/x.md' })).rejects.toThrow(/^D510 not_found: "agents\/x\.md" is not a file of kit/);
    unchanged();
  });
});

describe('plans (D512)', () => {
  it('an unknown or malformed plan id is not_found; an expired plan is invalid_input', async () => {
    await expect(handleApply(p.ctx, { plan_id: `kp_${'0'.repeat(32)}` })).rejects.toThrow(/^D512 not_found: plan "kp_0+" does not exist/);
    await expect(handlePlanGet(p.ctx, { plan_id: '../../kits.lock' })).rejects.toThrow(/^D512 not_found/);
    const plan = await handlePlanUpdate(p.ctx, { kit: KIT });
    clock += 24 * 3600 * 1000 + 1;
    await expect(handleApply(p.ctx, { plan_id: planId(plan) })).rejects.toThrow(/^D512 invalid_input: plan "kp_[0-9a-f]+" expired at /);
    expect(reg.requests.some((r) => r.includes('/download?version=1.1.0'))).toBe(false);
    unchanged();
  });
});

describe('decisions (D513), checked before the counted download', () => {
  it('refuses unknown paths, options the file does not offer, missing decisions, conflict markers and unoffered workers', async () => {
    reg.publish(KIT, '1.1.0', { files: { 'agents/pm.md': PM.replace('Two.', 'Two, theirs.'), 'skills/flow.md': '# Flow\n' }, workers: [{ name: 'kanban', range: '^1.4' }] });
    const id = planId(await handlePlanUpdate(p.ctx, { kit: KIT }));
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ decisions: { 'agents/other.md': 'kit' } }, /"agents\/other\.md" is not a file of plan/],
      [{ decisions: { 'agents/pm.md': 'remove' } }, /"remove" is not an option for agents\/pm\.md \(options: kit, mine, merged\)/],
      [{}, /agents\/pm\.md needs a decision/],
      [{ decisions: { 'agents/pm.md': 'merged' } }, /the merged text for agents\/pm\.md still has conflict markers/],
      [{ decisions: { 'agents/pm.md': { choice: 'merged', content: 'a\n<<<<<<< local\nb\n=======\nc\n>>>>>>> kit\n' } } }, /the merged text for agents\/pm\.md still has conflict markers/],
      [{ decisions: { 'agents/pm.md': { choice: 'kit', content: 'x' } } }, /content for agents\/pm\.md is only accepted with the choice "merged"/],
      [{ decisions: { 'agents/pm.md': 'kit' }, remove_workers: ['kanban'] }, /remove_workers names "kanban", which this plan does not offer/],
    ];
    for (const [extra, message] of cases)
      await expect(handleApply(p.ctx, { plan_id: id, ...extra })).rejects.toThrow(new RegExp(`^D513 invalid_input: ${message.source}`));
    expect(reg.requests.some((r) => r.includes('/download?version=1.1.0'))).toBe(false);
    unchanged();
  });
});

describe('blocked plans (D514) and Compose failures (D515)', () => {
  it('a deprecated target blocks the plan and the apply', async () => {
    reg.publish(KIT, '1.2.0', { files: { 'agents/pm.md': PM }, deprecation: { message: 'use acme/kanban-two', replaced_by: 'acme/kanban-two' } });
    const r = await handleDownloadKit(p.ctx, { kit: `${KIT}@1.2.0` });
    expect(r.plan?.blocking).toEqual([{ code: 'kit_deprecated', message: 'acme/kanban-team is deprecated: use acme/kanban-two. Install acme/kanban-two instead.' }]);
    await expect(handleApply(p.ctx, { plan_id: planId(r), decisions: { 'agents/pm.md': 'kit' } }))
      .rejects.toThrow(/^D514 invalid_input: the plan is blocked: acme\/kanban-team is deprecated/);
    unchanged();
  });

  it('Compose not running: the plan says so and the apply refuses with compose_not_running', async () => {
    p.compose.up = false;
    const r = await handlePlanUpdate(p.ctx, { kit: KIT });
    expect(r.plan?.blocking.map((b) => b.code)).toEqual(['compose_not_running']);
    await expect(handleApply(p.ctx, { plan_id: planId(r), decisions: { 'agents/pm.md': 'kit' } })).rejects.toThrow(/^D514 compose_not_running: /);
    unchanged();
  });

  it('a failed Compose operation is D515 and writes no file and no lock', async () => {
    p.compose.fail.add('state');
    const r = await handlePlanUpdate(p.ctx, { kit: KIT });
    await expect(handleApply(p.ctx, { plan_id: planId(r), decisions: { 'agents/pm.md': 'kit' } }))
      .rejects.toThrow(/^D515 compose_error: compose operation kit-kp_[0-9a-f]+-add failed: could not pull state/);
    unchanged();
    const { progress } = await handlePlanGet(p.ctx, { plan_id: planId(r) });
    expect(progress?.steps.find((s) => s.id === 'workers')?.state).toBe('failed');
  });
});

describe('integrity (D516)', () => {
  it('refuses the apply when /download differs from the reviewed /files, writing nothing', async () => {
    const r = await handlePlanUpdate(p.ctx, { kit: KIT });
    reg.tamper.add('skills/new.md');
    await expect(handleApply(p.ctx, { plan_id: planId(r), decisions: { 'agents/pm.md': 'kit' } }))
      .rejects.toThrow(/^D516 integrity: the registry served different content for skills\/acme\/kanban-team\/new\.md than the plan reviewed/);
    expect(p.compose.calls).toEqual(['add kanban@^1.4']);
    unchanged();
  });

  for (const bad of ['skills/../../../evil.md', 'agents/../../evil.md', 'skills/a/../../../x.md', 'agents/Bad Id.md'])
    it(`refuses a kit carrying "${bad}" before anything is written`, async () => {
      reg.publish('acme/evil', '1.0.0', { files: { 'agents/ok.md': PM, [bad]: 'pwned' } });
      await expect(handleDownloadKit(p.ctx, { kit: 'acme/evil', apply: true })).rejects.toThrow(/^D516 integrity: .*(leave the agents or skills folder|unusable)/);
      unchanged();
    });
});

describe('registry down or answering garbage (D520)', () => {
  const noLeak = (err: unknown) => {
    const message = (err as Error).message;
    expect(message).not.toContain(reg.url);
    expect(message).not.toContain('127.0.0.1');
    expect(message).not.toMatch(/HTTP|\b503\b/);
    return message;
  };

  it('a 5xx, a non-JSON body and a closed port are D520 without URL or status, and change nothing', async () => {
    reg.mode = 'error';
    expect(noLeak(await handleDownloadKit(p.ctx, { kit: KIT }).catch((e) => e))).toMatch(/^D520 registry_error: .*Next: retry shortly\.$/);
    reg.mode = 'garbage';
    expect(noLeak(await handlePlanUpdate(p.ctx, { kit: KIT }).catch((e) => e))).toMatch(/^D520 registry_error: could not decode the registry response/);
    expect(noLeak(await handleCheckUpdates(p.ctx, {}).catch((e) => e))).toMatch(/^D520 /);
    reg.mode = 'ok';
    const r = await handlePlanUpdate(p.ctx, { kit: KIT });
    await reg.close();
    expect(noLeak(await handleApply(p.ctx, { plan_id: planId(r), decisions: { 'agents/pm.md': 'kit' } }).catch((e) => e)))
      .toBe('D520 registry_error: could not reach the registry. Next: retry shortly.');
    reg = await startFakeKitRegistry();
    unchanged();
  });

  it('a failed check keeps the previous answers and records the error for kits::list', async () => {
    const ok = await handleCheckUpdates(p.ctx, {});
    expect(ok.available).toBe(1);
    reg.mode = 'error';
    await expect(handleCheckUpdates(p.ctx, {})).rejects.toThrow(/^D520 /);
    reg.mode = 'ok';
    const { kits, updates_error } = await (await import('../../directory-worker/src/kits-list')).handleList(p.ctx, {});
    expect(kits[0]?.update?.available).toBe('1.1.0');
    expect(updates_error).toMatch(/^D520 /);
    unchanged();
  });
});
