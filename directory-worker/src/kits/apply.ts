import type { ApplyReport, ApplyRequest, ApplyStep, KitPlanResponse, LockedKit, StoredPlan } from '@iii-registry/schemas';
import { isoNow, loadView, type KitsContext, type LocalView } from './context';
import { waitOperation } from './compose';
import { checkRemoveWorkers, resolveDecisions } from './decisions';
import { D510, D514Blocked, D514Compose, D515, D516 } from './errors';
import { localSha, removeFile, sha256, writeAtomic } from './files';
import { writeLock } from './lock';
import { buildPlan, buildRemovePlan } from './plan-build';
import { indexFiles, type IndexedFile } from './plan-files';
import { absPath } from './paths';

/** One apply at a time: applies queue behind each other (each then sees the lock the previous one wrote). */
export function createMutex(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Did the project move since the plan was made? (lock version, or a file no longer what the plan saw) */
async function isStale(ctx: KitsContext, view: LocalView, stored: StoredPlan): Promise<boolean> {
  const { plan, progress } = stored;
  if ((view.lock.kits[plan.kit]?.version ?? null) !== plan.from) return true;
  for (const f of plan.files) {
    const now = await localSha(absPath(ctx.env, f.path));
    if (now !== (f.ours ?? null) && now !== (progress?.written[f.path] ?? null)) return true;
  }
  return false;
}

async function replan(ctx: KitsContext, view: LocalView, stored: StoredPlan): Promise<KitPlanResponse> {
  const { plan } = stored;
  const locked = view.lock.kits[plan.kit];
  let fresh: StoredPlan;
  if (plan.kind === 'remove') {
    if (!locked) throw D510(`kit ${plan.kit} is not installed any more`);
    fresh = await buildRemovePlan(ctx, view, plan.kit, locked);
  } else {
    const detail = await ctx.registry.detail(plan.kit, plan.to ?? 'latest');
    if (!detail) throw D510(`kit ${plan.kit}@${plan.to} is no longer in the registry`);
    fresh = await buildPlan(ctx, view, plan.kit, detail, plan.requested);
  }
  await ctx.plans.save(fresh);
  await ctx.plans.remove(plan.plan_id);
  ctx.emit({ op: 'plan', kit: plan.kit, plan_id: fresh.plan.plan_id, kind: fresh.plan.kind });
  return { status: 'replanned', kit: plan.kit, plan: fresh.plan,
    message: `The project changed since plan ${plan.plan_id} was made; review the new plan ${fresh.plan.plan_id} and apply it.` };
}

export async function applyPlan(ctx: KitsContext, request: ApplyRequest): Promise<KitPlanResponse> {
  const stored = await ctx.plans.load(request.plan_id);
  const { plan, contents } = stored;
  const view = await loadView(ctx);
  if (await isStale(ctx, view, stored)) return replan(ctx, view, stored);
  const deprecated = plan.blocking.find((b) => b.code !== 'compose_not_running');
  if (deprecated) throw D514Blocked(deprecated.message);
  const decisions = resolveDecisions(plan, contents, request);
  const removeContainers = checkRemoveWorkers(plan, request.remove_workers);
  const toAdd = plan.workers.filter((w) => ['add', 'update', 'redeclare'].includes(w.action) && w.range);
  if ((toAdd.length > 0 || removeContainers.length > 0) && !(await ctx.compose.available())) throw D514Compose();

  // The counted download, once, then every reviewed file must be byte-for-byte what the plan showed.
  let served = new Map<string, IndexedFile>();
  if (plan.kind !== 'remove' && plan.to) {
    const dl = await ctx.registry.download(plan.kit, plan.to, ctx.env.ci);
    if (!dl) throw D510(`the registry has no download for ${plan.kit}@${plan.to}`);
    served = indexFiles(ctx.env, plan.kit, dl);
    for (const f of plan.files) {
      if (!f.theirs) continue;
      const got = served.get(f.path);
      if (!got || got.sha !== f.theirs) throw D516(`the registry served different content for ${f.path} than the plan reviewed`);
    }
  }

  const steps: ApplyStep[] = [
    { id: 'workers', label: 'Workers through Compose', state: toAdd.length + removeContainers.length > 0 ? 'pending' : 'skipped' },
    { id: 'files', label: 'Agent profiles and skills', state: 'pending' },
    { id: 'lock', label: 'kits.lock', state: 'pending' },
  ];
  const progress = stored.progress ?? { steps, written: {}, started_at: isoNow(ctx) };
  progress.steps = steps;
  const step = async (id: string, state: ApplyStep['state'], detail?: string) => {
    const s = steps.find((x) => x.id === id);
    if (s) Object.assign(s, { state }, detail ? { detail } : {});
    ctx.emit({ op: 'progress', plan_id: plan.plan_id, kit: plan.kit, steps: structuredClone(steps), error: progress.error ?? null });
  };
  const report: ApplyReport = { plan_id: plan.plan_id, kind: plan.kind, kit: plan.kit, from: plan.from, to: plan.to, steps,
    files_written: [], files_merged: [], files_removed: [], files_kept: [], workers_added: [], workers_updated: [],
    workers_removed: [], agents: [], skills_changed: false, agents_changed: false, lock_path: ctx.env.lockPath };

  let current = 'workers';
  try {
    if (toAdd.length + removeContainers.length > 0) {
      await step('workers', 'running');
      const wait = { pollMs: ctx.composePollMs, deadlineMs: ctx.composeDeadlineMs, onProgress: (d: string) => void step('workers', 'running', d) };
      if (toAdd.length > 0) {
        const op = await ctx.compose.add(toAdd.map((w) => ({ worker: w.name, version: w.range as string })), `kit-${plan.plan_id}-add`)
          .catch((err: Error) => { throw D515(`compose::add failed: ${err.message}`); });
        await waitOperation(ctx.compose, op, wait);
        for (const w of toAdd) (w.action === 'add' ? report.workers_added : report.workers_updated).push(w.name);
      }
      if (removeContainers.length > 0) {
        const op = await ctx.compose.remove(removeContainers, `kit-${plan.plan_id}-remove`)
          .catch((err: Error) => { throw D515(`compose::remove failed: ${err.message}`); });
        await waitOperation(ctx.compose, op, wait);
        report.workers_removed.push(...(request.remove_workers ?? []));
      }
      await step('workers', 'done');
    }

    current = 'files';
    await step('files', 'running');
    const locked: LockedKit | undefined = view.lock.kits[plan.kit];
    const files: LockedKit['files'] = {};
    if (plan.kind === 'update') for (const path of served.keys()) if (locked?.files[path]) files[path] = locked.files[path];
    for (const f of plan.files) {
      const d = decisions.get(f.path);
      if (!d) continue;
      const abs = absPath(ctx.env, f.path);
      const theirs = served.get(f.path);
      let text: string | undefined;
      if (d.choice === 'overwrite' || d.choice === 'kit') text = theirs?.content;
      else if (d.choice === 'merged') text = d.content;
      if (text !== undefined) {
        await writeAtomic(abs, text);
        progress.written[f.path] = sha256(text);
        await ctx.plans.save({ ...stored, progress });
        (d.choice === 'merged' ? report.files_merged : report.files_written).push(f.path);
      } else if (d.choice === 'remove') {
        await removeFile(abs);
        report.files_removed.push(f.path);
      } else {
        report.files_kept.push(f.path);
      }
      if (f.change === 'removed' || !f.theirs) delete files[f.path];
      else files[f.path] = { sha256: f.theirs, ...(d.choice === 'keep' ? { skipped: true } : {}) };
      if (d.choice !== 'keep' && d.choice !== 'mine') {
        if (f.kind === 'agent') { report.agents_changed = true; report.agents.push(f.id); } else report.skills_changed = true;
      }
    }
    await step('files', 'done');

    current = 'lock';
    await step('lock', 'running');
    if (plan.kind === 'remove') delete view.lock.kits[plan.kit];
    else view.lock.kits[plan.kit] = {
      requested: plan.requested, version: plan.to as string, installed_at: isoNow(ctx),
      workers: Object.fromEntries(plan.workers.filter((w) => w.range).map((w) => [w.name, w.range as string])),
      files, ...(locked?.ignored_versions?.length ? { ignored_versions: locked.ignored_versions } : {}),
    };
    await writeLock(ctx.env.lockPath, view.lock);
    await step('lock', 'done');
  } catch (err) {
    progress.error = (err as Error).message;
    await step(current, 'failed');
    await ctx.plans.save({ ...stored, progress }).catch(() => undefined);
    throw err;
  }
  await ctx.plans.remove(plan.plan_id);
  ctx.emit({ op: 'apply', kit: plan.kit, plan_id: plan.plan_id, kind: plan.kind });
  if (report.agents_changed) ctx.emit({ target: 'agents', payload: { op: 'kit', kit: plan.kit, plan_id: plan.plan_id } });
  if (report.skills_changed) ctx.emit({ target: 'skills', payload: { op: 'kit', kit: plan.kit, plan_id: plan.plan_id } });
  for (const w of [...report.workers_added, ...report.workers_updated]) await ctx.downloadWorkerSkills(w);
  if (plan.kind !== 'remove') await ctx.afterApplyCheck(plan.kit);
  return { status: 'applied', kit: plan.kit, report, message: appliedMessage(plan.kind, plan.kit, plan.from, plan.to, report) };
}

function appliedMessage(kind: string, kit: string, from: string | null, to: string | null, r: ApplyReport): string {
  const files = `${r.files_written.length + r.files_merged.length} file(s) written${r.files_merged.length ? ` (${r.files_merged.length} merged)` : ''}`;
  if (kind === 'remove') return `Removed ${kit} ${from}: ${r.files_removed.length} file(s) removed, ${r.files_kept.length} kept.`;
  return kind === 'install' ? `Installed ${kit} ${to}: ${files}.` : `Updated ${kit} ${from} → ${to}: ${files}.`;
}
