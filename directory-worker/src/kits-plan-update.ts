import { KitPlanResponseSchema, PlanUpdateRequestSchema, type KitPlanResponse } from '@iii-registry/schemas';
import type { IIIClient } from 'iii-sdk';
import { planKit } from './download-kit';
import { bind, parseInput } from './kits/bind';
import type { KitsContext } from './kits/context';
import { D510, D511 } from './kits/errors';
import { isKitId, parseVersionRef } from './kits/kit-ref';
import { readLock } from './kits/lock';

export const PLAN_UPDATE_ID = 'directory::kits::plan-update';

export async function handlePlanUpdate(ctx: KitsContext, payload: unknown): Promise<KitPlanResponse> {
  const { kit, version } = parseInput(PlanUpdateRequestSchema, payload);
  if (!isKitId(kit)) throw D511(kit);
  const lock = await readLock(ctx.env.lockPath);
  if (!lock.kits[kit]) throw D510(`kit ${kit} is not installed in this project`, `call directory::download-kit {"kit": "${kit}"} to install it`);
  return planKit(ctx, kit, version ? parseVersionRef(version, `${kit}@${version}`) : undefined);
}

export function register(iii: Pick<IIIClient, 'registerFunction'>, ctx: KitsContext): void {
  bind(iii, {
    id: PLAN_UPDATE_ID, request: PlanUpdateRequestSchema, response: KitPlanResponseSchema,
    description: 'Plan updating an installed kit (default: what kits.lock requested). Files you did not touch update ' +
      'silently; files you edited get a three-way merge, and conflicts become decisions for directory::kits::apply.',
    handler: (p) => handlePlanUpdate(ctx, p),
  });
}
