import { PlanGetRequestSchema, PlanGetResponseSchema, PlanIdRequestSchema, DiscardResponseSchema } from '@iii-registry/schemas';
import type { IIIClient } from 'iii-sdk';
import type { z } from 'zod';
import { bind, parseInput } from './kits/bind';
import type { KitsContext } from './kits/context';

export const PLAN_GET_ID = 'directory::kits::plan';
export const DISCARD_ID = 'directory::kits::discard';

export async function handlePlanGet(ctx: KitsContext, payload: unknown): Promise<z.output<typeof PlanGetResponseSchema>> {
  const { plan_id, contents } = parseInput(PlanGetRequestSchema, payload);
  const stored = await ctx.plans.load(plan_id);
  return { plan: stored.plan, progress: stored.progress, ...(contents ? { contents: stored.contents } : {}) };
}

/** Forgetting a plan is idempotent: `discarded: false` when there was nothing to forget. */
export async function handleDiscard(ctx: KitsContext, payload: unknown): Promise<z.output<typeof DiscardResponseSchema>> {
  const { plan_id } = parseInput(PlanIdRequestSchema, payload);
  const stored = await ctx.plans.load(plan_id).catch(() => null);
  const discarded = await ctx.plans.remove(plan_id);
  if (discarded && stored) ctx.emit({ op: 'discard', plan_id, kit: stored.plan.kit });
  return { plan_id, discarded };
}

export function register(iii: Pick<IIIClient, 'registerFunction'>, ctx: KitsContext): void {
  bind(iii, {
    id: PLAN_GET_ID, request: PlanGetRequestSchema, response: PlanGetResponseSchema,
    description: 'A pending kit plan with its apply progress; `contents: true` adds the file bodies (kit blobs, ' +
      'your local copies, three-way merge results) to review before directory::kits::apply.',
    handler: (p) => handlePlanGet(ctx, p),
  });
  bind(iii, {
    id: DISCARD_ID, request: PlanIdRequestSchema, response: DiscardResponseSchema,
    description: 'Forget a pending kit plan without applying it.',
    handler: (p) => handleDiscard(ctx, p),
  });
}
