import type { InstalledKit, KitInfo, KitsLock, StoredPlan } from '@iii-registry/schemas';
import { kitWebUrl, type KitsContext } from './context';
import { localSha } from './files';
import { idFor, kindOf, absPath } from './paths';
import { readUpdatesCache, updateFor } from './updates';

export type FileRow = KitInfo['file_list'][number];

/** Each file the lock lists for a kit, with its state on disk now. */
export async function fileRows(ctx: KitsContext, lock: KitsLock, kit: string): Promise<FileRow[]> {
  const rows: FileRow[] = [];
  for (const [path, f] of Object.entries(lock.kits[kit]?.files ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    let local: string | null = null;
    try {
      local = await localSha(absPath(ctx.env, path));
    } catch {
      local = null;
    }
    const state = f.skipped ? 'skipped' : local === null ? 'missing' : local === f.sha256 ? 'intact' : 'edited';
    rows.push({ path, kind: kindOf(path), id: idFor(path), state, sha256: f.sha256, local_sha256: local });
  }
  return rows;
}

export async function installedKit(ctx: KitsContext, lock: KitsLock, kit: string, pending: StoredPlan[]): Promise<InstalledKit & { file_list: FileRow[] }> {
  const locked = lock.kits[kit];
  if (!locked) throw new Error(`kit ${kit} is not in the lock`);
  const rows = await fileRows(ctx, lock, kit);
  const n = (p: (r: FileRow) => boolean) => rows.filter(p).length;
  const cache = await readUpdatesCache(ctx.env.updatesCache);
  const update = updateFor(lock, kit, cache.answers[kit]);
  return {
    kit, version: locked.version, requested: locked.requested, installed_at: locked.installed_at, workers: locked.workers,
    files: { agents: n((r) => r.kind === 'agent'), skills: n((r) => r.kind === 'skill'), intact: n((r) => r.state === 'intact'),
      edited: n((r) => r.state === 'edited'), missing: n((r) => r.state === 'missing'), skipped: n((r) => r.state === 'skipped') },
    ...(update ? { update } : {}), registry_url: kitWebUrl(ctx.env, kit),
    pending: pending.filter((p) => p.plan.kit === kit).map((p) => p.plan.plan_id), file_list: rows,
  };
}
