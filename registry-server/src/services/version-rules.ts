import semver from 'semver';
import { isExactVersion, satisfiesRange, toNpmRange } from '@iii-registry/schemas';
import { versionNotFound } from '../errors';
import type { TagRow, VersionMeta } from '../db/types';

/** Pure rules about versions and tags (formats.md): which version `latest` is, what a spec resolves to. */

export const newestFirst = (metas: VersionMeta[]): VersionMeta[] => [...metas].sort((a, b) => semver.rcompare(a.version, b.version));

/** Versions a range or an implicit `latest` may pick: stable and active (yanked and deprecated leave them). */
export const eligible = (metas: VersionMeta[]): VersionMeta[] => metas.filter((m) => !m.prerelease && m.status === 'active');

export const highestEligible = (metas: VersionMeta[]): VersionMeta | null => newestFirst(eligible(metas))[0] ?? null;

/**
 * Tags the new version takes. A tag given at publish moves only that tag (the release train publishes a candidate
 * with `next` and promotes it later); without one, `latest` moves when the new version is the highest stable active
 * one, so a prerelease never becomes `latest` unless it was asked for by name.
 */
export function tagsAfterPublish(all: VersionMeta[], tags: TagRow[], inserted: VersionMeta, explicit?: string): string[] {
  if (explicit) return [explicit];
  const best = highestEligible(all);
  const current = tags.find((t) => t.name === 'latest');
  const currentMeta = current ? all.find((m) => m.id === current.version_id) : undefined;
  const beatsCurrent = !currentMeta || semver.gt(inserted.version, currentMeta.version);
  return best?.id === inserted.id && beatsCurrent ? ['latest'] : [];
}

/** Versions a range may pick: active ones; prereleases only where the range names one (satisfiesRange). */
const rangeCandidates = (metas: VersionMeta[]): VersionMeta[] => metas.filter((m) => m.status === 'active');

/** The highest active version satisfying every range (Cargo or node-semver syntax, ranges.ts), or null. */
export function highestSatisfying(metas: VersionMeta[], ranges: string[]): VersionMeta | null {
  return newestFirst(rangeCandidates(metas)).find((m) => ranges.every((r) => satisfiesRange(m.version, r))) ?? null;
}

/**
 * After a status change: `latest` leaves a yanked or deprecated version for the best remaining one. A status change
 * never creates `latest` where there is none (a worker staged on `next` keeps no `latest` until it is promoted).
 */
export function latestAfterStatus(all: VersionMeta[], current: TagRow | null): VersionMeta | null {
  if (current === null) return null;
  const currentMeta = current ? all.find((m) => m.id === current.version_id) : undefined;
  const best = highestEligible(all);
  if (currentMeta && currentMeta.status === 'active') {
    // Keep an explicit pin unless a restored version now outranks it.
    return best && semver.gt(best.version, currentMeta.version) && !currentMeta.prerelease ? best : currentMeta;
  }
  return best;
}

/**
 * What a version spec names for an install: '' or 'latest' → the `latest` tag (never an implicit guess, so a staged
 * candidate on `next` stays out of installs until it is promoted); a tag; an exact version (any status: exact pins
 * still install); else a range (ranges.ts) over active versions.
 */
export function resolveSpec(name: string, metas: VersionMeta[], tags: TagRow[], spec: string | undefined, status = 422): VersionMeta {
  const asked = (spec ?? '').trim();
  const available = newestFirst(eligible(metas)).map((m) => m.version);
  const fail = () => versionNotFound(name, asked, available.length > 0 ? available : newestFirst(metas).map((m) => m.version), status);
  const wanted = asked === '' ? 'latest' : asked;
  const tag = tags.find((t) => t.name === wanted);
  if (tag) return metas.find((m) => m.id === tag.version_id) ?? (() => { throw fail(); })();
  if (wanted === 'latest') throw fail();
  if (isExactVersion(wanted)) {
    const exact = metas.find((m) => m.version === wanted);
    if (exact) return exact;
    throw fail();
  }
  if (toNpmRange(wanted) === null) throw fail();
  return highestSatisfying(metas, [wanted]) ?? (() => { throw fail(); })();
}

/**
 * What a reader is shown (detail, pages, `.md`, skills) for '' or 'latest': the `latest` tag, else the newest
 * version that is not yanked, else the newest. A worker with only prereleases (engine release candidates) is shown
 * at its newest one; installs still go through resolveSpec.
 */
export function resolveForReading(name: string, metas: VersionMeta[], tags: TagRow[], spec: string | undefined): VersionMeta {
  const asked = (spec ?? '').trim();
  if ((asked === '' || asked === 'latest') && !tags.some((t) => t.name === 'latest')) {
    const sorted = newestFirst(metas);
    const shown = sorted.find((m) => m.status !== 'yanked') ?? sorted[0];
    if (shown) return shown;
  }
  return resolveSpec(name, metas, tags, spec, 404);
}

export function nextPatch(version: string): string {
  return semver.inc(version, semver.prerelease(version) ? 'prerelease' : 'patch') ?? version;
}
