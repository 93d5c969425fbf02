import { IgnoreRequestSchema, IgnoreResponseSchema } from '@iii-registry/schemas';
import type { IIIClient } from 'iii-sdk';
import type { z } from 'zod';
import { bind, parseInput } from './kits/bind';
import type { KitsContext } from './kits/context';
import { D510, D511 } from './kits/errors';
import { isKitId } from './kits/kit-ref';
import { readLock, writeLock } from './kits/lock';

export const IGNORE_ID = 'directory::kits::ignore';

export async function handleIgnore(ctx: KitsContext, payload: unknown): Promise<z.output<typeof IgnoreResponseSchema>> {
  const { kit, version, ignore = true } = parseInput(IgnoreRequestSchema, payload);
  if (!isKitId(kit)) throw D511(kit);
  return ctx.serializeApply(async () => {
    const lock = await readLock(ctx.env.lockPath);
    const locked = lock.kits[kit];
    if (!locked) throw D510(`kit ${kit} is not installed in this project`);
    const set = new Set(locked.ignored_versions ?? []);
    const before = set.size;
    if (ignore) set.add(version);
    else set.delete(version);
    locked.ignored_versions = [...set].sort();
    if (set.size !== before) {
      await writeLock(ctx.env.lockPath, lock);
      ctx.emit({ op: 'updates', kit });
    }
    return { kit, ignored_versions: locked.ignored_versions };
  });
}

export function register(iii: Pick<IIIClient, 'registerFunction'>, ctx: KitsContext): void {
  bind(iii, {
    id: IGNORE_ID, request: IgnoreRequestSchema, response: IgnoreResponseSchema,
    description: 'Stop offering one version of an installed kit as an update (`ignore: false` offers it again). ' +
      'Recorded in kits.lock as ignored_versions.',
    handler: (p) => handleIgnore(ctx, p),
  });
}
