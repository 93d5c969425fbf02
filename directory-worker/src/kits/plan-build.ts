import type { KitDetail, LockedKit, Plan, PlanContents, PlanFile, PlanIssue, PlanWorker, StoredPlan } from '@iii-registry/schemas';
import { isoNow, kitWebUrl, workerWebUrl, type KitsContext, type LocalView } from './context';
import { D510 } from './errors';
import { bumpKind, isMajorJump, satisfies } from './kit-ref';
import { addedFile, indexFiles, modifiedFile, removedFile } from './plan-files';
import { newPlanId, PLAN_TTL_MS } from './plan-store';

/** Workers the kit declares against what the compose file has; dropped ones are removed only when asked. */
function planWorkers(ctx: KitsContext, view: LocalView, kit: string, detail: KitDetail | null, previous?: Record<string, string>): PlanWorker[] {
  const usedBy = (name: string) => Object.entries(view.lock.kits).filter(([k, l]) => k !== kit && l.workers[name] !== undefined).map(([k]) => k);
  const common = (name: string): Pick<PlanWorker, 'installed' | 'declared' | 'container' | 'path' | 'used_by' | 'registry_url'> => {
    const d = view.declared.get(name);
    const others = usedBy(name);
    return { installed: d?.resolved ?? null, ...(d?.selector ? { declared: d.selector } : {}), ...(d ? { container: d.container } : {}),
      ...(d?.path ? { path: true } : {}), ...(others.length ? { used_by: others } : {}), registry_url: workerWebUrl(ctx.env, name) };
  };
  const out: PlanWorker[] = [];
  for (const w of detail?.workers ?? []) {
    const d = view.declared.get(w.name);
    const from = previous?.[w.name];
    let action: PlanWorker['action'] = 'none';
    if (!d) action = 'add';
    else if (!d.path) {
      if (d.resolved && satisfies(w.range, d.resolved) === false) action = 'update';
      else if (from !== undefined && from !== w.range && d.selector === from) action = 'redeclare';
    }
    out.push({ name: w.name, range: w.range, ...(from !== undefined && from !== w.range ? { range_from: from } : {}), ...common(w.name),
      action, ...(w.resolved ? { to: w.resolved } : {}), ...(w.type ? { type: w.type } : {}), ...(w.description ? { description: w.description } : {}) });
  }
  for (const [name, range] of Object.entries(previous ?? {})) {
    if (detail?.workers.some((w) => w.name === name)) continue;
    const d = view.declared.get(name);
    out.push({ name, range_from: range, ...common(name), action: d && !d.path ? 'remove' : 'none' });
  }
  return out;
}

export const needsCompose = (workers: PlanWorker[]): boolean => workers.some((w) => ['add', 'update', 'redeclare'].includes(w.action));

function capabilities(old: KitDetail | null, now: KitDetail, workers: PlanWorker[]): Plan['capabilities'] {
  const functions_added: Plan['capabilities']['functions_added'] = [];
  const models_changed: Plan['capabilities']['models_changed'] = [];
  for (const agent of now.agents) {
    const before = old?.agents.find((a) => a.id === agent.id);
    for (const f of agent.functions) if (!before?.functions.includes(f)) functions_added.push({ agent: agent.id, function: f });
    if (before && (before.model ?? null) !== (agent.model ?? null)) models_changed.push({ agent: agent.id, from: before.model ?? null, to: agent.model ?? null });
    else if (!before && !old && agent.model) models_changed.push({ agent: agent.id, from: null, to: agent.model });
  }
  return { workers_added: workers.filter((w) => w.action === 'add').map((w) => w.name), functions_added, models_changed };
}

async function blockers(ctx: KitsContext, kit: string, detail: KitDetail | null, workers: PlanWorker[]): Promise<PlanIssue[]> {
  const out: PlanIssue[] = [];
  const d = detail?.deprecation;
  if (d) out.push({ code: 'kit_deprecated', message: `${kit} is deprecated${d.message ? `: ${d.message}` : ''}${d.replaced_by ? `. Install ${d.replaced_by} instead` : ''}.` });
  if (needsCompose(workers) && !(await ctx.compose.available()))
    out.push({ code: 'compose_not_running', message: 'This kit adds or moves workers, which needs the Compose daemon. Start the project with `iii compose --up`, then review the plan again.' });
  return out;
}

const ORDER = { agent: 0, skill: 1 };
function finish(base: Omit<Plan, 'counts' | 'review' | 'plan_id' | 'created_at' | 'expires_at'>, ctx: KitsContext, targetCounts?: { agents: number; skills: number; unchanged: number }): Plan {
  const files = [...base.files].sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || a.path.localeCompare(b.path));
  const live = files.filter((f) => f.change !== 'removed');
  const count = (p: (f: PlanFile) => boolean) => files.filter(p).length;
  const plan_id = newPlanId();
  return {
    ...base, plan_id, files,
    counts: {
      agents: targetCounts?.agents ?? live.filter((f) => f.kind === 'agent').length,
      skills: targetCounts?.skills ?? live.filter((f) => f.kind === 'skill').length,
      workers: base.workers.filter((w) => w.range !== undefined).length, functions: base.functions.length,
      added: count((f) => f.change === 'added'), modified: count((f) => f.change === 'modified' || f.change === 'kept'),
      removed: count((f) => f.change === 'removed'), unchanged: targetCounts?.unchanged ?? 0,
      collisions: count((f) => f.collision !== undefined), conflicts: count((f) => f.merge === 'conflicts'),
      decisions_required: count((f) => f.default === null),
    },
    created_at: isoNow(ctx), expires_at: isoNow(ctx, PLAN_TTL_MS),
    review: `Review it with directory::kits::plan, then apply it with directory::kits::apply {"plan_id": "${plan_id}"}.`,
  };
}

const meta = (ctx: KitsContext, d: KitDetail) => ({
  author: d.author, ...(d.description ? { description: d.description } : {}), ...(d.license ? { license: d.license } : {}),
  ...(d.repo ? { repo: d.repo } : {}), ...(d.published_at ? { published_at: d.published_at } : {}), registry_url: kitWebUrl(ctx.env, d.id),
  ...(d.notes ? { notes: d.notes } : {}),
  ...(d.deprecation ? { deprecation: { ...(d.deprecation.message ? { message: d.deprecation.message } : {}), ...(d.deprecation.replaced_by ? { replaced_by: d.deprecation.replaced_by } : {}) } } : {}),
});

/** Install (no lock entry) or update (lock entry) plan for the resolved target version. Writes nothing in the project. */
export async function buildPlan(ctx: KitsContext, view: LocalView, kit: string, detail: KitDetail, requested: string): Promise<StoredPlan> {
  const locked: LockedKit | undefined = view.lock.kits[kit];
  const filesAnswer = await ctx.registry.files(kit, detail.version);
  if (!filesAnswer) throw D510(`the registry has no files for ${kit}@${detail.version}`, 'make the plan again shortly');
  const newFiles = indexFiles(ctx.env, kit, filesAnswer);
  const functions = await ctx.registry.functions(kit, detail.version);
  const contents: PlanContents = { blobs: {}, ours: {}, merged: {} };
  const warnings: PlanIssue[] = [];
  const files: PlanFile[] = [];
  const oldDetail = locked ? await ctx.registry.detail(kit, locked.version).catch(() => null) : null;
  let unchanged = 0;
  for (const path of new Set([...newFiles.keys(), ...Object.keys(locked?.files ?? {})])) {
    const f = newFiles.get(path);
    const old = locked?.files[path];
    if (f) contents.blobs[f.sha] = f.content;
    if (f && !old) files.push(await addedFile(ctx.env, view, kit, detail, path, f, contents, warnings));
    else if (f && old && old.sha256 === f.sha) unchanged++;
    else if (f && old) files.push(await modifiedFile(ctx.env, ctx.registry, kit, detail, oldDetail, path, old, f, contents, warnings));
    else if (old) {
      const removed = await removedFile(ctx.env, ctx.registry, kit, oldDetail, path, old, contents);
      if (removed) files.push(removed);
    }
  }
  const workers = planWorkers(ctx, view, kit, detail, locked?.workers);
  const major = locked ? isMajorJump(locked.version, detail.version) : false;
  if (major) warnings.unshift({ code: 'major_update', message: `${locked?.version} → ${detail.version} is a major version: expect breaking changes.` });
  const bump = locked ? bumpKind(locked.version, detail.version) : undefined;
  const plan = finish({
    kind: locked ? 'update' : 'install', kit, from: locked?.version ?? null, to: detail.version, requested, ...(bump ? { bump } : {}), major,
    ...meta(ctx, detail), workers, files, capabilities: capabilities(oldDetail, detail, workers), functions, warnings,
    blocking: await blockers(ctx, kit, detail, workers),
  }, ctx, locked ? { agents: [...newFiles.keys()].filter((p) => p.startsWith('agents/')).length,
    skills: [...newFiles.keys()].filter((p) => p.startsWith('skills/')).length, unchanged } : undefined);
  return { plan, contents, progress: null };
}

/** Removal of an installed kit: its files (edited ones kept by default) and, when asked at apply, its workers. */
export async function buildRemovePlan(ctx: KitsContext, view: LocalView, kit: string, locked: LockedKit): Promise<StoredPlan> {
  const contents: PlanContents = { blobs: {}, ours: {}, merged: {} };
  const files: PlanFile[] = [];
  for (const [path, old] of Object.entries(locked.files)) {
    const removed = await removedFile(ctx.env, ctx.registry, kit, null, path, old, contents).catch(() => null);
    if (removed) files.push({ ...removed, note: removed.local === 'edited' ? 'you edited it, so it stays as a local file unless you remove it' : 'installed by the kit' });
  }
  const workers = planWorkers(ctx, view, kit, null, locked.workers);
  const plan = finish({ kind: 'remove', kit, from: locked.version, to: null, requested: locked.requested, major: false,
    registry_url: kitWebUrl(ctx.env, kit), workers, files, capabilities: { workers_added: [], functions_added: [], models_changed: [] },
    functions: [], warnings: [], blocking: [] }, ctx);
  return { plan, contents, progress: null };
}
