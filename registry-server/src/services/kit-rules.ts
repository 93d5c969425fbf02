import semver from 'semver';
import { isExactVersion, toNpmRange } from '@iii-registry/schemas';
import type { KitTagRow, KitVersionMeta } from '../db/kits-types';

/**
 * Pure version rules of kits (docs/kits.md):
 * - `latest` exists as soon as any stable version exists, so the client never mistakes a kit whose versions are
 *   all deprecated or yanked for a missing one. It prefers the highest active stable version, then deprecated
 *   ones (the client then shows the deprecation and blocks), then yanked ones.
 * - Ranges and update offers pick among stable active versions only: deprecated and yanked versions leave them.
 * - Exact versions always resolve (an old lock still installs a yanked version; a deprecated one is blocked by the
 *   client from its `deprecation`).
 */

export const newestFirst = <T extends { version: string }>(metas: T[]): T[] => [...metas].sort((a, b) => semver.rcompare(a.version, b.version));

const rank = (m: KitVersionMeta) => (m.status === 'active' ? 0 : m.status === 'deprecated' ? 1 : 2);

/** The version `latest` should point at when nobody pinned it: best stable by status rank, then highest. */
export function bestLatest(metas: KitVersionMeta[]): KitVersionMeta | null {
  const stable = metas.filter((m) => !m.prerelease);
  return [...stable].sort((a, b) => rank(a) - rank(b) || semver.rcompare(a.version, b.version))[0] ?? null;
}

export const eligible = (metas: KitVersionMeta[]) => metas.filter((m) => !m.prerelease && m.status === 'active');

/** Tags the new version takes: the explicit one, and `latest` when it beats the current latest. */
export function kitTagsAfterPublish(all: KitVersionMeta[], tags: KitTagRow[], inserted: KitVersionMeta, explicit?: string): string[] {
  const out = new Set<string>();
  if (explicit) out.add(explicit);
  if (inserted.prerelease) return [...out];
  const current = tags.find((t) => t.name === 'latest');
  const currentMeta = current ? all.find((m) => m.id === current.version_id) : undefined;
  if (!currentMeta || currentMeta.status !== 'active' || semver.gt(inserted.version, currentMeta.version)) out.add('latest');
  return [...out];
}

/** After a status change: `latest` leaves a version that stops being active for the best remaining one. */
export function kitLatestAfterStatus(all: KitVersionMeta[], current: KitTagRow | null): KitVersionMeta | null {
  const currentMeta = current ? all.find((m) => m.id === current.version_id) : undefined;
  const best = bestLatest(all);
  if (currentMeta && currentMeta.status === 'active' && !currentMeta.prerelease) {
    return best && best.status === 'active' && semver.gt(best.version, currentMeta.version) ? best : currentMeta;
  }
  if (currentMeta && currentMeta.status === 'active') return currentMeta; // an explicit prerelease pin stays
  return best;
}

/** What a `version=` value names: '' → latest; a tag; an exact version; else (extension) a range. null: nothing. */
export function resolveKitSpec(metas: KitVersionMeta[], tags: KitTagRow[], spec: string | undefined): KitVersionMeta | null {
  const raw = (spec ?? '').trim();
  const wanted = raw === '' ? 'latest' : raw.replace(/^v(?=\d)/, '');
  const tag = tags.find((t) => t.name === wanted);
  if (tag) return metas.find((m) => m.id === tag.version_id) ?? null;
  if (wanted === 'latest') return bestLatest(metas);
  if (isExactVersion(wanted)) return metas.find((m) => m.version === wanted) ?? null;
  const range = toNpmRange(wanted);
  if (range === null) return null;
  const pick = semver.maxSatisfying(eligible(metas).map((m) => m.version), range);
  return pick === null ? null : (metas.find((m) => m.version === pick) ?? null);
}

/** Major jump: 1.x → 2.x, or for 0.x a minor change (kits.md §1.1). */
export function isMajorJump(from: string, to: string): boolean {
  const a = semver.parse(from);
  const b = semver.parse(to);
  if (!a || !b || !semver.gt(b, a)) return false;
  if (a.major !== b.major) return true;
  return a.major === 0 && a.minor !== b.minor;
}

/**
 * `POST /k/updates`: the newest version satisfying what the lock requested that is newer than the installed one.
 * `requested` is a tag (follow the tag), or an exact/range (`^1.3.0`, `~1.2`); unparsable asks follow latest.
 */
export function availableUpdate(metas: KitVersionMeta[], tags: KitTagRow[], current: string, requested: string): KitVersionMeta | null {
  const req = requested.trim();
  const cur = semver.valid(current.replace(/^v/, ''));
  const newer = (m: KitVersionMeta | null) => (m && (!cur || semver.gt(m.version, cur)) ? m : null);
  const tag = tags.find((t) => t.name === (req === '' ? 'latest' : req));
  if (tag || req === '' || req === 'latest') {
    const target = tag ? metas.find((m) => m.id === tag.version_id) ?? null : bestLatest(metas);
    return target && target.status === 'active' ? newer(target) : null;
  }
  const range = toNpmRange(isExactVersion(req) ? `^${req}` : req);
  if (range === null) return null;
  const candidates = eligible(metas).filter((m) => semver.satisfies(m.version, range));
  return newer(newestFirst(candidates)[0] ?? null);
}
