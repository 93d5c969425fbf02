import { KitGetRequestSchema, KitInfoSchema, KitsListingSchema, KitsListRequestSchema, type KitInfo, type KitsListing } from '@iii-registry/schemas';
import type { IIIClient } from 'iii-sdk';
import { bind, parseInput } from './kits/bind';
import { workerWebUrl, type KitsContext } from './kits/context';
import { declaredWorkers } from './kits/compose';
import { D510, D511 } from './kits/errors';
import { installedKit } from './kits/installed';
import { isKitId, satisfies } from './kits/kit-ref';
import { readLock } from './kits/lock';
import { readUpdatesCache } from './kits/updates';

export const LIST_ID = 'directory::kits::list';
export const GET_ID = 'directory::kits::get';

export async function handleList(ctx: KitsContext, payload: unknown): Promise<KitsListing> {
  parseInput(KitsListRequestSchema, payload);
  const [lock, pending, cache] = await Promise.all([readLock(ctx.env.lockPath), ctx.plans.list(), readUpdatesCache(ctx.env.updatesCache)]);
  const kits = [];
  for (const kit of Object.keys(lock.kits).sort()) {
    const { file_list: _rows, ...row } = await installedKit(ctx, lock, kit, pending);
    kits.push(row);
  }
  const updateWithoutPlan = kits.filter((k) => k.update?.available && !pending.some((p) => p.plan.kit === k.kit && p.plan.kind === 'update')).length;
  return {
    kits,
    pending: pending.map(({ plan: p }) => ({ plan_id: p.plan_id, kind: p.kind, kit: p.kit, from: p.from, to: p.to, major: p.major, counts: p.counts,
      warnings: p.warnings.length, blocking: p.blocking.length, created_at: p.created_at, expires_at: p.expires_at })),
    updates_checked_at: cache.checked_at, ...(cache.error ? { updates_error: cache.error } : {}),
    attention: pending.length + updateWithoutPlan, lock_path: ctx.env.lockPath,
  };
}

export async function handleGet(ctx: KitsContext, payload: unknown): Promise<KitInfo> {
  const { kit, registry } = parseInput(KitGetRequestSchema, payload);
  if (!isKitId(kit)) throw D511(kit);
  const lock = await readLock(ctx.env.lockPath);
  const locked = lock.kits[kit];
  if (!locked) throw D510(`kit ${kit} is not installed in this project`, `call directory::download-kit {"kit": "${kit}"} to install it`);
  const info = await installedKit(ctx, lock, kit, await ctx.plans.list());
  const declared = await declaredWorkers(ctx.env.composeFile);
  const worker_status = Object.entries(locked.workers).map(([name, range]) => {
    const d = declared.get(name);
    return { name, range, declared: d?.selector ?? null, installed: d?.resolved ?? null,
      satisfied: d?.resolved ? (satisfies(range, d.resolved) ?? null) : null, path: d?.path ?? false, registry_url: workerWebUrl(ctx.env, name) };
  });
  if (!registry) return { ...info, worker_status };
  const [detail, readme] = await Promise.all([ctx.registry.detail(kit, locked.version).catch(() => null), ctx.registry.readme(kit, locked.version)]);
  return { ...info, worker_status, ...(detail ? { detail } : {}), ...(readme !== null ? { readme } : {}) };
}

export function register(iii: Pick<IIIClient, 'registerFunction'>, ctx: KitsContext): void {
  bind(iii, {
    id: LIST_ID, request: KitsListRequestSchema, response: KitsListingSchema,
    description: 'The kits installed in this project (kits.lock) with their file states and cached updates, plus ' +
      'pending plans. Makes no registry call.',
    handler: (p) => handleList(ctx, p),
  });
  bind(iii, {
    id: GET_ID, request: KitGetRequestSchema, response: KitInfoSchema,
    description: 'One installed kit: every file with its state, its workers against the compose file, and with ' +
      '`registry: true` the registry detail and README of the installed version.',
    handler: (p) => handleGet(ctx, p),
  });
}
