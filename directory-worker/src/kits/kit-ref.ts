import semver from 'semver';
import { cargoToNpmRange } from '@iii-registry/schemas';
import { D511 } from './errors';

const HANDLE = /^[a-z0-9][a-z0-9-]{0,38}$/;
const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const TAG = /^[A-Za-z0-9._-]+$/;

export type VersionRef = { kind: 'exact'; version: string } | { kind: 'range'; range: string } | { kind: 'tag'; tag: string };

export interface KitRef {
  kit: string;
  handle: string;
  name: string;
  /** Absent when the caller wrote no `@`. */
  ref?: VersionRef;
}

export function isKitId(kit: string): boolean {
  const [handle, name, ...rest] = kit.split('/');
  return rest.length === 0 && HANDLE.test(handle ?? '') && NAME.test(name ?? '');
}

/** Rust `semver::VersionReq` (what kit authors write) as a node-semver range: the shared reading (schemas/src/ranges.ts). */
export const cargoRange = (range: string): string | null => cargoToNpmRange(range);

export function parseVersionRef(text: string, original = text): VersionRef {
  const t = text.trim();
  const exact = semver.valid(t.replace(/^v(?=\d)/, ''));
  if (exact && !/[~^<>=*,\s]/.test(t)) return { kind: 'exact', version: exact };
  if (/^[\d^~><=*]/.test(t)) {
    if (cargoRange(t) === null) throw D511(original);
    return { kind: 'range', range: t };
  }
  if (TAG.test(t)) return { kind: 'tag', tag: t };
  throw D511(original);
}

/** `<author>/<kit>[@version|tag|range]`; anything else is D511. */
export function parseKitRef(input: string): KitRef {
  const text = input.trim();
  const at = text.indexOf('@');
  const kit = at === -1 ? text : text.slice(0, at);
  if (!isKitId(kit)) throw D511(input);
  const [handle = '', name = ''] = kit.split('/');
  if (at === -1) return { kit, handle, name };
  const refText = text.slice(at + 1);
  if (refText === '') throw D511(input);
  return { kit, handle, name, ref: parseVersionRef(refText, input) };
}

/** What the lock records: an exact install is saved as `^x.y.z`, the way npm saves one. */
export function requestedFor(ref: VersionRef): string {
  if (ref.kind === 'exact') return `^${ref.version}`;
  return ref.kind === 'range' ? ref.range : ref.tag;
}

/** `1.x → 2.x`, or for 0.x a minor change. */
export function isMajorJump(from: string, to: string): boolean {
  const a = semver.parse(from);
  const b = semver.parse(to);
  if (!a || !b) return false;
  return a.major !== b.major || (a.major === 0 && a.minor !== b.minor);
}

export function bumpKind(from: string, to: string): 'major' | 'minor' | 'patch' | 'prerelease' | undefined {
  if (!semver.valid(from) || !semver.valid(to) || semver.eq(from, to)) return undefined;
  if (isMajorJump(from, to)) return 'major';
  const diff = semver.diff(from, to);
  if (diff === 'minor' || diff === 'patch') return diff;
  return diff === 'major' ? 'major' : 'prerelease';
}

/** Does `version` satisfy a Cargo-style range? undefined when either side does not parse. */
export function satisfies(range: string, version: string): boolean | undefined {
  const npm = cargoRange(range);
  if (npm === null || !semver.valid(version)) return undefined;
  return semver.satisfies(version, npm);
}

/** The highest version matching a range; prereleases only when the range names one (Rust and npm agree). */
export function maxSatisfying(versions: string[], range: string): string | null {
  const npm = cargoRange(range);
  if (npm === null) return null;
  return semver.maxSatisfying(versions.filter((v) => semver.valid(v)), npm);
}
