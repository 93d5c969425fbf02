import { z } from 'zod';
import { KitUpdateAnswerSchema, type CheckUpdatesResponse, type KitUpdate, type KitUpdateAnswer, type KitsLock } from '@iii-registry/schemas';
import { isoNow, type KitsContext } from './context';
import { D510, isDirectoryError } from './errors';
import { readText, writeAtomic } from './files';
import { readLock } from './lock';

/** `.iii/directory/kit-updates.json`: the last answers per kit, when they were fetched, and the last error. */
const CacheSchema = z.object({
  checked_at: z.string().nullable(), error: z.string().nullable(), answers: z.record(z.string(), KitUpdateAnswerSchema),
});
type UpdatesCache = z.infer<typeof CacheSchema>;

export async function readUpdatesCache(path: string): Promise<UpdatesCache> {
  const text = await readText(path);
  try {
    const parsed = CacheSchema.safeParse(text === null ? null : JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // An unreadable cache is the same as no check yet.
  }
  return { checked_at: null, error: null, answers: {} };
}

/** One kit's update as the listing shows it, with `ignored_versions` applied. */
export function updateFor(lock: KitsLock, kit: string, answer: KitUpdateAnswer | undefined): KitUpdate | undefined {
  const locked = lock.kits[kit];
  if (!locked || !answer) return undefined;
  const ignored = answer.available && locked.ignored_versions?.includes(answer.available) ? answer.available : undefined;
  const d = answer.deprecation;
  return {
    current: locked.version, available: ignored ? null : (answer.available ?? null), latest: answer.latest ?? null, major: ignored ? false : answer.major,
    ...(ignored ? { ignored } : {}), ...(d ? { deprecation: { ...(d.message ? { message: d.message } : {}), ...(d.replaced_by ? { replaced_by: d.replaced_by } : {}) } } : {}),
    ...(answer.not_found ? { not_found: true } : {}),
  };
}

export function summarize(lock: KitsLock, cache: UpdatesCache, only?: string): CheckUpdatesResponse {
  const kits = Object.keys(lock.kits).filter((k) => !only || k === only).sort().flatMap((kit) => {
    const u = updateFor(lock, kit, cache.answers[kit]);
    return u ? [{ kit, ...u }] : [];
  });
  return { checked_at: cache.checked_at, available: kits.filter((k) => k.available).length, kits, error: cache.error };
}

const availableSet = (lock: KitsLock, cache: UpdatesCache): string =>
  Object.keys(lock.kits).sort().map((k) => `${k}@${updateFor(lock, k, cache.answers[k])?.available ?? ''}`).join(',');

/**
 * `POST /k/updates` for the installed kits (or one), cached; emits `{op:"updates"}` when the set of available
 * updates changed. A failure keeps the previous answers, records the error, and is rethrown (D520).
 */
export async function checkUpdates(ctx: KitsContext, only?: string): Promise<CheckUpdatesResponse> {
  const lock = await readLock(ctx.env.lockPath);
  if (only && !lock.kits[only]) throw D510(`kit ${only} is not installed in this project`);
  const cache = await readUpdatesCache(ctx.env.updatesCache);
  const queries = Object.entries(lock.kits).filter(([k]) => !only || k === only)
    .map(([kit, l]) => ({ kit, version: l.version, requested: l.requested }));
  if (queries.length === 0) return summarize(lock, cache, only);
  const before = availableSet(lock, cache);
  try {
    const answers = await ctx.registry.updates(queries);
    for (const q of queries) {
      const a = answers.find((x) => x.kit === q.kit);
      if (a) cache.answers[q.kit] = a;
      else delete cache.answers[q.kit];
    }
    cache.checked_at = isoNow(ctx);
    cache.error = null;
  } catch (err) {
    cache.error = (err as Error).message;
    await writeAtomic(ctx.env.updatesCache, JSON.stringify(cache, null, 2));
    throw err;
  }
  for (const k of Object.keys(cache.answers)) if (!lock.kits[k]) delete cache.answers[k];
  await writeAtomic(ctx.env.updatesCache, JSON.stringify(cache, null, 2));
  if (availableSet(lock, cache) !== before) ctx.emit({ op: 'updates', ...(only ? { kit: only } : {}) });
  return summarize(lock, cache, only);
}

export interface UpdateScheduler { stop(): void }

/** The background check: `delayMs` after start, then every `intervalMs`, only while kits are installed. */
export function scheduleUpdateChecks(ctx: KitsContext, delayMs: number, intervalMs: number): UpdateScheduler {
  let interval: NodeJS.Timeout | undefined;
  const run = async () => {
    try {
      const lock = await readLock(ctx.env.lockPath);
      if (Object.keys(lock.kits).length > 0) await checkUpdates(ctx);
    } catch (err) {
      ctx.log(`kit update check failed: ${isDirectoryError(err) ? err.message : String(err)}`);
    }
  };
  const first = setTimeout(() => {
    void run();
    interval = setInterval(() => void run(), intervalMs);
    interval.unref();
  }, delayMs);
  first.unref();
  return { stop: () => { clearTimeout(first); if (interval) clearInterval(interval); } };
}
