import semver from 'semver';
import { DependencyRangeSchema, toNpmRange, type KitWorker } from '@iii-registry/schemas';
import type { WorkersRepository } from '../db/workers-repository';
import type { VersionRecord } from '../db/types';
import { eligible } from './version-rules';

/** A kit's worker range resolved against the worker registry today (kits.md §1.2: resolved on every read). */
export interface ResolvedWorker {
  name: string;
  range: string;
  exists: boolean;
  record: VersionRecord | null;
}

/**
 * Why a kit's worker range would be refused at publish, or null: the Cargo `semver::VersionReq` syntax worker
 * dependency ranges follow (DependencyRangeSchema), because iii-directory hands the range to iii-compose unchanged
 * and both read it with Rust's semver.
 */
export function rangeProblem(range: string): string | null {
  const checked = DependencyRangeSchema.safeParse(range);
  return checked.success ? null : checked.error.issues.map((i) => i.message).join('; ');
}

/** Resolves one `name: range` to the highest stable active worker version satisfying it (null when none). */
export async function resolveWorkerRange(workers: WorkersRepository, name: string, range: string): Promise<ResolvedWorker> {
  const worker = await workers.findWorker(name);
  if (!worker) return { name, range, exists: false, record: null };
  const metas = await workers.versions(worker.id);
  // Read as every range is read (Cargo first, then node-semver), so kits stored before the Cargo rule still resolve.
  const npm = toNpmRange(range);
  const pick = npm === null ? null : semver.maxSatisfying(eligible(metas).map((m) => m.version), npm);
  return { name, range, exists: true, record: pick === null ? null : await workers.getVersion(worker.id, pick) };
}

export const resolveAll = (workers: WorkersRepository, list: { name: string; range: string }[]) =>
  Promise.all(list.map((w) => resolveWorkerRange(workers, w.name, w.range)));

export const toKitWorker = (r: ResolvedWorker): KitWorker => ({
  name: r.name,
  range: r.range,
  resolved: r.record?.version ?? null,
  type: r.record?.type ?? null,
  description: r.record?.doc.description ?? null,
});
