import { ApplyRequestSchema, KitPlanResponseSchema, type KitPlanResponse } from '@iii-registry/schemas';
import type { IIIClient } from 'iii-sdk';
import { applyPlan } from './kits/apply';
import { bind, parseInput } from './kits/bind';
import type { KitsContext } from './kits/context';

export const APPLY_ID = 'directory::kits::apply';

export async function handleApply(ctx: KitsContext, payload: unknown): Promise<KitPlanResponse> {
  const input = parseInput(ApplyRequestSchema, payload);
  return ctx.serializeApply(() => applyPlan(ctx, input));
}

export function register(iii: Pick<IIIClient, 'registerFunction'>, ctx: KitsContext): void {
  bind(iii, {
    id: APPLY_ID, request: ApplyRequestSchema, response: KitPlanResponseSchema,
    description: 'Apply a reviewed kit plan: workers through Compose, files written atomically, kits.lock last. ' +
      '`decisions` maps an install path to overwrite|keep|kit|mine|merged|remove (or {choice: "merged", content}); ' +
      'files without a default need one. If the project changed since the plan, answers `replanned` with a fresh plan.',
    handler: (p) => handleApply(ctx, p),
  });
}
