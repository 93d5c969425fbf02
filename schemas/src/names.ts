import { z } from 'zod';
import semver from 'semver';

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

export const VersionSchema = z
  .string()
  .max(128, { message: 'must be at most 128 characters' })
  .regex(SEMVER_PATTERN, { message: 'must be a strict semver 2.0 version such as 1.2.3 or 1.3.0-rc.1' });

/** A tag (channel) name such as latest, next, rc. A tag may not look like a version. */
export const TagNameSchema = z
  .string()
  .max(64)
  .regex(TAG_PATTERN, { message: 'must match ^[a-z][a-z0-9._-]*$ (for example latest, next, rc)' });

/** A node-semver range; "" means any. */
export const RangeSchema = z
  .string()
  .max(256)
  .refine((r) => r.trim() === '' || semver.validRange(r) !== null, {
    message: 'must be a semver range such as ^1.2.0, ~0.5, >=2 <3, * or ""',
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
