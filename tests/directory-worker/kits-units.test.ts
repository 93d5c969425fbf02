import { describe, expect, it } from 'vitest';
import type { IIIClient } from 'iii-sdk';
import { bumpKind, cargoRange, isMajorJump, maxSatisfying, parseKitRef, requestedFor } from '../../directory-worker/src/kits/kit-ref';
import { hasConflictMarkers, threeWay } from '../../directory-worker/src/kits/merge';
import { installPathFor, idFor } from '../../directory-worker/src/kits/paths';
import { registerKits } from '../../directory-worker/src/register-kits';
import { createRegistryClient } from '../../directory-worker/src/registry-client';
import { handleFunctionInfo } from '../../directory-worker/src/engine-functions-info';
import { busCompose } from '../../directory-worker/src/kits/bus-compose';

describe('kit references (kitref rules)', () => {
  it('reads exact versions, ranges and tags, and records exact installs as ^x.y.z', () => {
    expect(parseKitRef('acme/kanban-team')).toEqual({ kit: 'acme/kanban-team', handle: 'acme', name: 'kanban-team' });
    expect(parseKitRef('acme/k@v1.3.0').ref).toEqual({ kind: 'exact', version: '1.3.0' });
    expect(parseKitRef('acme/k@1.3').ref).toEqual({ kind: 'range', range: '1.3' });
    expect(parseKitRef('acme/k@>=1, <2').ref).toEqual({ kind: 'range', range: '>=1, <2' });
    expect(parseKitRef('acme/k@next').ref).toEqual({ kind: 'tag', tag: 'next' });
    expect(requestedFor({ kind: 'exact', version: '1.3.0' })).toBe('^1.3.0');
    expect(requestedFor({ kind: 'tag', tag: 'latest' })).toBe('latest');
  });
  it('reads Cargo ranges the Rust way: commas, and a bare version means caret', () => {
    expect(cargoRange('>=1, <2')).toBe('>=1 <2');
    expect(cargoRange('1.3')).toBe('^1.3');
    expect(cargoRange('>>1')).toBeNull();
    expect(maxSatisfying(['1.2.0', '1.3.0', '1.4.0-rc.1', '2.0.0'], '^1.2')).toBe('1.3.0');
    expect(maxSatisfying(['1.4.0-rc.1'], '^1.4.0-rc.0')).toBe('1.4.0-rc.1');
  });
  it('classifies bumps; a 0.x minor change is a major jump', () => {
    expect(isMajorJump('0.1.0', '0.2.0')).toBe(true);
    expect(isMajorJump('1.1.0', '1.9.0')).toBe(false);
    expect(bumpKind('1.0.0', '2.0.0')).toBe('major');
    expect(bumpKind('1.0.0', '1.0.1')).toBe('patch');
    expect(bumpKind('1.0.0', '1.1.0-rc.1')).toBe('prerelease');
  });
});

describe('install paths (§1.3)', () => {
  it('maps agents flat and skills under <handle>/<kit>; other files are not installed', () => {
    expect(installPathFor('acme/k', 'agents/pm.md')).toBe('agents/pm.md');
    expect(installPathFor('acme/k', 'skills/tickets/flow.md')).toBe('skills/acme/k/tickets/flow.md');
    expect(installPathFor('acme/k', 'README.md')).toBeNull();
    expect(installPathFor('acme/k', 'agents/a/b.md')).toBeNull();
    expect(idFor('skills/acme/k/SKILL.md')).toBe('acme/k/index');
    expect(idFor('skills/acme/k/tickets/flow.md')).toBe('acme/k/tickets/flow');
  });
  it('refuses paths that would leave their folder', () => {
    for (const bad of ['skills/../x.md', 'agents/../../x.md', '/etc/passwd', 'skills/a\\..\\b.md', 'skills/./a.md'])
      expect(() => installPathFor('acme/k', bad)).toThrow(/^D516 integrity/);
  });
});

describe('three-way merge (node-diff3)', () => {
  it('merges edits to different lines and marks overlapping ones', () => {
    const base = 'a\nb\nc\nd\ne\n';
    expect(threeWay(base, 'A\nb\nc\nd\ne\n', 'a\nb\nc\nd\nE\n')).toEqual({ status: 'clean', conflicts: 0, content: 'A\nb\nc\nd\nE\n' });
    const c = threeWay(base, 'a\nB1\nc\nd\ne\n', 'a\nB2\nc\nd\ne\n');
    expect(c).toMatchObject({ status: 'conflicts', conflicts: 1 });
    expect(hasConflictMarkers(c.content)).toBe(true);
    expect(hasConflictMarkers('a === b\n')).toBe(false);
    expect(hasConflictMarkers('Title\n=======\n')).toBe(false);
    expect(hasConflictMarkers('x\n>>>>>>> kit\n')).toBe(true);
  });
});

describe('registration of the kit surface (fake SDK)', () => {
  it('registers every kit function with formats, the three on-change trigger types, and schedules nothing while no kit is installed', async () => {
    const fns = new Map<string, { request_format?: { type?: string }; response_format?: { type?: string }; description?: string }>();
    const types: string[] = [];
    const fake = {
      registerFunction: (id: string, _h: unknown, o?: { request_format?: { type?: string }; description?: string }) => { fns.set(id, o ?? {}); return { id, unregister: () => {} }; },
      registerTriggerType: (t: { id: string }) => { types.push(t.id); return t; },
      trigger: async () => { throw new Error('no engine'); },
    } as unknown as Pick<IIIClient, 'registerFunction' | 'registerTriggerType' | 'trigger'>;
    const surface = registerKits(fake, createRegistryClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 100 }),
      { registryUrl: 'http://127.0.0.1:9', downloadTimeoutMs: 100, projectDir: '/nonexistent-project', log: () => {}, updatesDelayMs: 60_000, updatesIntervalMs: 60_000, env: {} });
    surface.scheduler.stop();
    expect([...fns.keys()].sort()).toEqual(['directory::download-kit', 'directory::engine::functions::info', 'directory::kits::apply',
      'directory::kits::check-updates', 'directory::kits::diff', 'directory::kits::discard', 'directory::kits::get', 'directory::kits::ignore',
      'directory::kits::list', 'directory::kits::plan', 'directory::kits::plan-update', 'directory::kits::remove',
      'directory::skills::download', 'directory::skills::download_from_registry']);
    for (const o of fns.values()) {
      expect(o.request_format?.type).toBe('object');
      expect(o.response_format?.type).toBe('object');
      expect(o.description?.length).toBeGreaterThan(30);
    }
    expect(types.sort()).toEqual(['directory::agents::on-change', 'directory::kits::on-change', 'directory::skills::on-change']);
  });

  it('engine::functions::info: schemas from the formats, worker name falling back to the id prefix', async () => {
    const fake = { trigger: async () => ({ function_id: 'x::y', description: 'd', request_format: { type: 'object' }, registered_triggers: [{ id: 't', trigger_type: 'http', config: { api_path: '/y' } }] }) } as unknown as Pick<IIIClient, 'trigger'>;
    expect(await handleFunctionInfo(fake, { function_id: ' x::y ' })).toEqual({ function_id: 'x::y', worker_name: 'x', description: 'd',
      request_schema: { type: 'object' }, response_schema: null, metadata: null, registered_triggers: [{ id: 't', trigger_type: 'http', config: { api_path: '/y' } }] });
    await expect(handleFunctionInfo(fake, { function_id: '' })).rejects.toThrow(/function_id must be non-empty/);
  });
});

describe('Compose over the bus', () => {
  it('names the compose file and namespace in every call, reads operation status and detail, and reports a missing daemon', async () => {
    const seen: Array<{ function_id: string; payload: unknown }> = [];
    const fake = { trigger: async (req: { function_id: string; payload: unknown }) => {
      seen.push(req);
      if (req.function_id === 'compose::status') throw new Error('function_not_found');
      if (req.function_id === 'compose::operation') return { status: 'failed', last_event: { detail: 'pull failed' } };
      return { operation_id: 'op-1' };
    } } as unknown as Pick<IIIClient, 'trigger'>;
    const compose = busCompose(fake, { III_COMPOSE_FILE: '/p/worker-compose.yaml', III_COMPOSE_NAMESPACE: 'proj' });
    expect(await compose.available()).toBe(false);
    expect(await compose.add([{ worker: 'kanban', version: '^1.4' }], 'kit-x-add')).toBe('op-1');
    expect(await compose.operation('op-1')).toEqual({ status: 'failed', detail: 'pull failed' });
    expect(seen[1]).toMatchObject({ function_id: 'compose::add',
      payload: { workers: [{ worker: 'kanban', version: '^1.4' }], operation_id: 'kit-x-add', file: '/p/worker-compose.yaml', namespace: 'proj' } });
  });
});
