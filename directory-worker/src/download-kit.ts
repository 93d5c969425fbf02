import { DownloadKitRequestSchema, KitPlanResponseSchema, type KitPlanResponse, type Plan } from '@iii-registry/schemas';
import type { IIIClient } from 'iii-sdk';
import { applyPlan } from './kits/apply';
import { bind, parseInput } from './kits/bind';
import { loadView, type KitsContext } from './kits/context';
import { parseKitRef, parseVersionRef, requestedFor, type VersionRef } from './kits/kit-ref';
import { buildPlan, needsCompose } from './kits/plan-build';
import { resolveKit } from './kits/resolve';

export const DOWNLOAD_KIT_ID = 'directory::download-kit';

/** Plans an install, or an update when the kit is installed; `ref` absent means the lock's `requested`, else latest. */
export async function planKit(ctx: KitsContext, kit: string, ref: VersionRef | undefined): Promise<KitPlanResponse> {
  const view = await loadView(ctx);
  const locked = view.lock.kits[kit];
  const versionRef = ref ?? (locked ? parseVersionRef(locked.requested) : { kind: 'tag' as const, tag: 'latest' });
  const requested = ref ? requestedFor(ref) : (locked?.requested ?? 'latest');
  const detail = await resolveKit(ctx.registry, kit, versionRef);
  const stored = await buildPlan(ctx, view, kit, detail, requested);
  const { plan } = stored;
  if (locked && locked.version === detail.version && plan.files.length === 0 && !needsCompose(plan.workers))
    return { status: 'up_to_date', kit, message: `${kit} ${locked.version} is installed and up to date.` };
  await ctx.plans.save(stored);
  ctx.emit({ op: 'plan', kit, plan_id: plan.plan_id, kind: plan.kind });
  return { status: 'planned', kit, plan, message: plannedMessage(plan) };
}

export const autoApplicable = (plan: Plan): boolean =>
  plan.warnings.length === 0 && plan.blocking.length === 0 && plan.files.every((f) => f.default !== null);

function plannedMessage(plan: Plan): string {
  const what = plan.kind === 'install' ? `Install ${plan.kit} ${plan.to}` : `Update ${plan.kit} ${plan.from} → ${plan.to}`;
  const c = plan.counts;
  const notes = [plan.blocking.length ? `${plan.blocking.length} blocking` : '', plan.warnings.length ? `${plan.warnings.length} warning(s)` : '',
    c.decisions_required ? `${c.decisions_required} decision(s) required` : ''].filter(Boolean).join(', ');
  return `${what}: ${c.added} added, ${c.modified} modified, ${c.removed} removed, ${c.workers} worker(s)${notes ? `; ${notes}` : ''}. Plan ${plan.plan_id}.`;
}

export async function handleDownloadKit(ctx: KitsContext, payload: unknown): Promise<KitPlanResponse> {
  const input = parseInput(DownloadKitRequestSchema, payload);
  const ref = parseKitRef(input.kit);
  const planned = await planKit(ctx, ref.kit, ref.ref);
  if (!input.apply || planned.status !== 'planned' || !planned.plan || !autoApplicable(planned.plan)) return planned;
  const planId = planned.plan.plan_id;
  return ctx.serializeApply(() => applyPlan(ctx, { plan_id: planId }));
}

export function register(iii: Pick<IIIClient, 'registerFunction'>, ctx: KitsContext): void {
  bind(iii, {
    id: DOWNLOAD_KIT_ID, request: DownloadKitRequestSchema, response: KitPlanResponseSchema,
    description: 'Plan installing a kit (agent profiles, skills and the workers they need) into this project: ' +
      '`kit` is "<author>/<kit>[@version|tag|range]". Returns a plan to review; nothing is written until ' +
      'directory::kits::apply. `apply: true` applies at once when the plan has no warnings and needs no decisions.',
    handler: (p) => handleDownloadKit(ctx, p),
  });
}
