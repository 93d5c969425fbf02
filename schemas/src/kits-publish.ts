import { z } from 'zod';
import { KitTagNameSchema } from './kits';
import { VersionSchema } from './names';

/**
 * The kit publish write (`POST /k/{handle}/{name}`, X-API-Key), our design (kits.md §1.6: the real one is not
 * public). The body is what `iii-publish kit build` prints. Path, content and front-matter rules are checked by
 * the server with a named code per problem (KIT_PROBLEM_CODES), so the schema here only pins the JSON types.
 */

/** Documented limits (docs/kits.md). */
export const KIT_LIMITS = {
  /** Bytes of one file's UTF-8 content. */
  fileBytes: 256 * 1024,
  /** Files in one version (agents + skills). */
  files: 256,
  /** Bytes of all files together, README included. */
  totalBytes: 4 * 1024 * 1024,
  /** Bytes of the README. */
  readmeBytes: 256 * 1024,
  /** Workers one version may declare. */
  workers: 64,
  /** Characters of a source path. */
  pathChars: 256,
} as const;

/** The per-problem codes a refused kit publish names (each 422 problem carries one). */
export const KIT_PROBLEM_CODES = [
  'invalid_kit_handle',
  'invalid_kit_name',
  'invalid_kit_path',
  'nested_agent_path',
  'invalid_agent_id',
  'file_not_utf8',
  'file_empty',
  'file_too_large',
  'too_many_files',
  'kit_too_large',
  'bad_front_matter',
  'unknown_worker',
  'unsatisfiable_range',
  'invalid_range',
  'duplicate_worker',
  'invalid_field',
] as const;
export type KitProblemCode = (typeof KIT_PROBLEM_CODES)[number];

export const KitProblemSchema = z.object({ path: z.string(), code: z.string(), message: z.string() });
export type KitProblem = z.output<typeof KitProblemSchema>;

export const KitWorkerRangeInputSchema = z.strictObject({ name: z.string(), range: z.string() });

export const KitPublishRequestSchema = z.strictObject({
  version: VersionSchema,
  description: z.string().max(1000).optional(),
  license: z.string().max(100).optional(),
  repo: z.string().max(500).optional(),
  tags: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, { message: 'must match ^[a-z0-9][a-z0-9-]{0,31}$' })).max(20).optional(),
  notes: z.string().max(20_000).optional(),
  experimental: z.boolean().optional(),
  /** Release tag to point at this version besides the automatic `latest` (for example `next`). */
  tag: KitTagNameSchema.optional(),
  readme: z.string().optional(),
  /** `{name: range}` or `[{name, range}]`; ranges are node-semver ranges (`^1.4`, `~0.2.0`, `>=1 <3`). */
  workers: z.union([z.record(z.string(), z.string()), z.array(KitWorkerRangeInputSchema)]).default({}),
  /** Source path → UTF-8 markdown: `agents/<id>.md` (flat) and `skills/**.md`. */
  files: z.record(z.string(), z.string()),
});
export type KitPublishRequest = z.output<typeof KitPublishRequestSchema>;

/** PUT /k/{handle}/{name}/tags/{tag}: compare-and-swap (`expected_current_version: null` = must not exist). */
export const KitTagMoveRequestSchema = z.strictObject({
  version: VersionSchema,
  expected_current_version: VersionSchema.nullable().optional(),
});
export type KitTagMoveRequest = z.output<typeof KitTagMoveRequestSchema>;

export const KitTagMoveResponseSchema = z.object({
  tag: z.object({ name: z.string(), version: z.string() }),
  changed: z.boolean(),
  release_tags: z.record(z.string(), z.string()),
});
export type KitTagMoveResponse = z.output<typeof KitTagMoveResponseSchema>;

/**
 * POST /k/{handle}/{name}/versions/{version}/status. `deprecated` stops installs (the client blocks on a
 * non-null `deprecation`); `yanked` is the softer withdrawal (exact installs still work); `active` restores.
 */
export const KitVersionStatusRequestSchema = z.strictObject({
  status: z.enum(['active', 'deprecated', 'yanked']),
  message: z.string().max(1000).optional(),
  replaced_by: z.string().max(200).optional(),
});
export type KitVersionStatusRequest = z.output<typeof KitVersionStatusRequestSchema>;
