import { DiffRequestSchema, DiffResponseSchema } from '@iii-registry/schemas';
import type { IIIClient } from 'iii-sdk';
import type { z } from 'zod';
import { bind, parseInput } from './kits/bind';
import type { KitsContext } from './kits/context';
import { D510, D511 } from './kits/errors';
import { readText, sha256 } from './kits/files';
import { isKitId } from './kits/kit-ref';
import { readLock } from './kits/lock';
import { absPath } from './kits/paths';

export const DIFF_ID = 'directory::kits::diff';

export async function handleDiff(ctx: KitsContext, payload: unknown): Promise<z.output<typeof DiffResponseSchema>> {
  const { kit, path } = parseInput(DiffRequestSchema, payload);
  if (!isKitId(kit)) throw D511(kit);
  const locked = (await readLock(ctx.env.lockPath)).kits[kit];
  if (!locked) throw D510(`kit ${kit} is not installed in this project`);
  const file = locked.files[path];
  if (!file) throw D510(`"${path}" is not a file of kit ${kit}`, `call directory::kits::get {"kit": "${kit}"} for its file_list`);
  const local = await readText(absPath(ctx.env, path));
  const base = await ctx.registry.blob(file.sha256);
  const state = file.skipped ? 'skipped' : local === null ? 'missing' : sha256(local) === file.sha256 ? 'intact' : 'edited';
  return { kit, path, base, local, state };
}

export function register(iii: Pick<IIIClient, 'registerFunction'>, ctx: KitsContext): void {
  bind(iii, {
    id: DIFF_ID, request: DiffRequestSchema, response: DiffResponseSchema,
    description: 'One installed kit file: the version the kit installed (base, from the registry) beside your local ' +
      'copy, and whether it is intact, edited, missing or skipped.',
    handler: (p) => handleDiff(ctx, p),
  });
}
