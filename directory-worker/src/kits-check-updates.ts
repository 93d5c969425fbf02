import { CheckUpdatesRequestSchema, CheckUpdatesResponseSchema, type CheckUpdatesResponse } from '@iii-registry/schemas';
import type { IIIClient } from 'iii-sdk';
import { bind, parseInput } from './kits/bind';
import type { KitsContext } from './kits/context';
import { D511 } from './kits/errors';
import { isKitId } from './kits/kit-ref';
import { checkUpdates } from './kits/updates';

export const CHECK_UPDATES_ID = 'directory::kits::check-updates';

export async function handleCheckUpdates(ctx: KitsContext, payload: unknown): Promise<CheckUpdatesResponse> {
  const { kit } = parseInput(CheckUpdatesRequestSchema, payload);
  if (kit !== undefined && !isKitId(kit)) throw D511(kit);
  return checkUpdates(ctx, kit);
}

export function register(iii: Pick<IIIClient, 'registerFunction'>, ctx: KitsContext): void {
  bind(iii, {
    id: CHECK_UPDATES_ID, request: CheckUpdatesRequestSchema, response: CheckUpdatesResponseSchema,
    description: 'Ask the registry now whether installed kits (or one) have updates within what kits.lock requested; ' +
      'ignored versions are not offered. The answer is cached for directory::kits::list.',
    handler: (p) => handleCheckUpdates(ctx, p),
  });
}
