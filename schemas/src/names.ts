import { z } from 'zod';
import semver from 'semver';
import { cargoSpellingOf, isCargoRange, toNpmRange } from './ranges';

/** Worker slug rule shared by server, publisher and manifest (formats.md). */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
export const SLUG_MAX = 64;

/** The official semver 2.0 regular expression (semver.org): no leading `v`, no `=`. */
export const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export const TAG_PATTERN = /^[a-z][a-z0-9._-]*$/;
export const SKILL_KEY_PATTERN = /^[a-z0-9][a-z0-9._/-]*\.md$/i;

export const SlugSchema = z
  .string()
  .max(SLUG_MAX, { message: `must be at most ${SLUG_MAX} characters` })
  .regex(SLUG_PATTERN, { message: 'must match ^[a-z0-9][a-z0-9_-]*$ (lower-case letters, digits, - and _)' });

/** Why a version with build metadata is refused: iii-compose builds install paths from versions and refuses `+`. */
export const BUILD_METADATA_MESSAGE =
  'must not carry build metadata (+...): iii-compose refuses "+" in versions it turns into install paths; publish 1.0.0, or a prerelease such as 1.0.0-build.5';

export const VersionSchema = z
  .string()
  .max(128, { message: 'must be at most 128 characters' })
  .superRefine((v, ctx) => {
    if (!SEMVER_PATTERN.test(v)) ctx.addIssue({ code: 'custom', message: 'must be a strict semver 2.0 version such as 1.2.3 or 1.3.0-rc.1' });
    else if (v.includes('+'))
      ctx.addIssue({ code: 'custom', message: BUILD_METADATA_MESSAGE, params: { fix: `publish ${v.slice(0, v.indexOf('+'))} (no build metadata)` } });
  });

/** A tag (channel) name such as latest, next, rc. A tag may not look like a version. */
export const TagNameSchema = z
  .string()
  .max(64)
  .regex(TAG_PATTERN, { message: 'must match ^[a-z][a-z0-9._-]*$ (for example latest, next, rc)' });

/** A range in a request (ranges.ts): Cargo syntax (`>=0.21, <0.23`, bare `1.2` = `^1.2`) or node-semver; "" means any. */
export const RangeSchema = z
  .string()
  .max(256)
  .refine((r) => toNpmRange(r) !== null, {
    message: 'must be a semver range such as ^1.2.0, ~0.5, >=0.21, <0.23, * or ""',
  });

/**
 * A published dependency range: Cargo `semver::VersionReq` syntax only, because the iii CLI re-reads published ranges
 * with it (iii.lock, `iii worker verify --strict`). The message names the Cargo spelling when there is one.
 */
export const DependencyRangeSchema = z
  .string()
  .max(256)
  .superRefine((r, ctx) => {
    if (isCargoRange(r)) return;
    const spelled = cargoSpellingOf(r);
    const hint = r.trim() === '' ? 'write "*" for any version' : spelled !== null ? `write it as "${spelled}"` : 'write comparators separated by commas, such as ">=0.21, <0.23" or "^1.2"';
    ctx.addIssue({
      code: 'custom',
      message: `must be a Cargo semver range (comparators separated by commas, a bare 1.2.3 meaning ^1.2.3) because the iii CLI reads published ranges with Rust's semver::VersionReq; ${hint}`,
      params: { fix: hint },
    });
  });

export const SkillKeySchema = z
  .string()
  .max(256)
  .regex(SKILL_KEY_PATTERN, { message: 'must match ^[a-z0-9][a-z0-9._/-]*\\.md$' })
  .refine((k) => !k.split('/').some((part) => part === '..' || part === '.' || part === ''), {
    message: 'must not contain empty, "." or ".." path segments',
  });

export const isExactVersion = (v: string): boolean => SEMVER_PATTERN.test(v);
export const isStable = (v: string): boolean => isExactVersion(v) && semver.prerelease(v) === null;
