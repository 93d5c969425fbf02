import semver from 'semver';
import { isExactVersion } from '@iii-registry/schemas';
import { versionNotFound } from '../errors';
import type { TagRow, VersionMeta } from '../db/types';

/** Pure rules about versions and tags (formats.md): which version `latest` is, what a spec resolves to. */

export const newestFirst = (metas: VersionMeta[]): VersionMeta[] => [...metas].sort((a, b) => semver.rcompare(a.version, b.version));

/** Versions a range or an implicit `latest` may pick: stable and active (yanked and deprecated leave them). */
export const eligible = (metas: VersionMeta[]): VersionMeta[] => metas.filter((m) => !m.prerelease && m.status === 'active');

export const highestEligible = (metas: VersionMeta[]): VersionMeta | null => newestFirst(eligible(metas))[0] ?? null;

/**
 * Tags the new version takes. An explicit tag moves to it. `latest` also moves implicitly when the new version is
 * the highest stable active one, so a prerelease never becomes `latest` unless it was asked for by name.
 */
export function tagsAfterPublish(all: VersionMeta[], tags: TagRow[], inserted: VersionMeta, explicit?: string): string[] {
  const out = new Set<string>();
  if (explicit) out.add(explicit);
  const best = highestEligible(all);
  const current = tags.find((t) => t.name === 'latest');
  const currentMeta = current ? all.find((m) => m.id === current.version_id) : undefined;
  const beatsCurrent = !currentMeta || semver.gt(inserted.version, currentMeta.version);
  if (explicit !== 'latest' && best?.id === inserted.id && beatsCurrent) out.add('latest');
  return [...out];
}

/** After a status change: `latest` leaves a yanked or deprecated version for the best remaining one. */
export function latestAfterStatus(all: VersionMeta[], current: TagRow | null): VersionMeta | null {
  const currentMeta = current ? all.find((m) => m.id === current.version_id) : undefined;
  const best = highestEligible(all);
  if (currentMeta && currentMeta.status === 'active') {
    // Keep an explicit pin unless a restored version now outranks it.
    return best && semver.gt(best.version, currentMeta.version) && !currentMeta.prerelease ? best : currentMeta;
  }
  return best;
}

/**
 * What a version spec names: '' or undefined → latest; a tag; an exact version (any status: exact pins still
 * install); else a node-semver range over stable active versions.
 */
export function resolveSpec(name: string, metas: VersionMeta[], tags: TagRow[], spec: string | undefined, status = 422): VersionMeta {
  const asked = (spec ?? '').trim();
  const available = newestFirst(eligible(metas)).map((m) => m.version);
  const fail = () => versionNotFound(name, asked, available.length > 0 ? available : newestFirst(metas).map((m) => m.version), status);
  const wanted = asked === '' ? 'latest' : asked;
  const tag = tags.find((t) => t.name === wanted);
  if (tag) return metas.find((m) => m.id === tag.version_id) ?? (() => { throw fail(); })();
  if (wanted === 'latest') {
    const best = highestEligible(metas);
    if (best) return best;
    throw fail();
  }
  if (isExactVersion(wanted)) {
    const exact = metas.find((m) => m.version === wanted);
    if (exact) return exact;
    throw fail();
  }
  const range = semver.validRange(wanted);
  if (range === null) throw fail();
  const pick = semver.maxSatisfying(eligible(metas).map((m) => m.version), range);
  if (pick === null) throw fail();
  return metas.find((m) => m.version === pick) as VersionMeta;
}

export function nextPatch(version: string): string {
  return semver.inc(version, semver.prerelease(version) ? 'prerelease' : 'patch') ?? version;
}
