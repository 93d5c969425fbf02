import { KitOnlyRequestSchema, KitPlanResponseSchema, type KitPlanResponse } from '@iii-registry/schemas';
import type { IIIClient } from 'iii-sdk';
import { bind, parseInput } from './kits/bind';
import { loadView, type KitsContext } from './kits/context';
import { D510, D511 } from './kits/errors';
import { isKitId } from './kits/kit-ref';
import { buildRemovePlan } from './kits/plan-build';

export const REMOVE_ID = 'directory::kits::remove';

export async function handleRemove(ctx: KitsContext, payload: unknown): Promise<KitPlanResponse> {
  const { kit } = parseInput(KitOnlyRequestSchema, payload);
  if (!isKitId(kit)) throw D511(kit);
  const view = await loadView(ctx);
  const locked = view.lock.kits[kit];
  if (!locked) throw D510(`kit ${kit} is not installed in this project`);
  const stored = await buildRemovePlan(ctx, view, kit, locked);
  await ctx.plans.save(stored);
  ctx.emit({ op: 'plan', kit, plan_id: stored.plan.plan_id, kind: 'remove' });
  return { status: 'planned', kit, plan: stored.plan,
    message: `Remove ${kit} ${locked.version}: ${stored.plan.counts.removed} file(s); workers stay unless named in remove_workers. Plan ${stored.plan.plan_id}.` };
}

export function register(iii: Pick<IIIClient, 'registerFunction'>, ctx: KitsContext): void {
  bind(iii, {
    id: REMOVE_ID, request: KitOnlyRequestSchema, response: KitPlanResponseSchema,
    description: 'Plan removing an installed kit: its untouched files go, edited ones stay by default, workers stay ' +
      'unless directory::kits::apply names them in remove_workers. Nothing changes until the plan is applied.',
    handler: (p) => handleRemove(ctx, p),
  });
}
