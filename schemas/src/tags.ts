import { z } from 'zod';
import { TagNameSchema, VersionSchema } from './names';

/**
 * PUT /w/{slug}/tags/{tag}: compare-and-swap, as the public release train sends it (registry_release.py).
 * - `expected_current_version`: the tag must point there now (`null`: the tag must not exist); absent: no condition.
 * - `expected_tag`: `version` must be what that other tag points at now (promote `next` to `latest`).
 * A move to where the tag already points answers 200 `changed: false`, whatever the conditions say.
 */
export const TagMoveRequestSchema = z.strictObject({
  version: VersionSchema,
  expected_current_version: VersionSchema.nullable().optional(),
  expected_tag: TagNameSchema.optional(),
});
export type TagMoveRequest = z.infer<typeof TagMoveRequestSchema>;

export const TagMoveResponseSchema = z.object({
  tag: z.object({ name: z.string(), version: z.string() }),
  changed: z.boolean(),
});
export type TagMoveResponse = z.infer<typeof TagMoveResponseSchema>;

/** Our extension: yank or deprecate a version with a message (POST /w/{slug}/versions/{version}/status). */
export const VersionStatusRequestSchema = z.strictObject({
  status: z.enum(['active', 'deprecated', 'yanked']),
  message: z.string().max(1000).optional(),
});
export type VersionStatusRequest = z.infer<typeof VersionStatusRequestSchema>;
