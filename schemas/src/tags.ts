import { z } from 'zod';
import { VersionSchema } from './names';

/** PUT /w/{slug}/tags/{tag}: compare-and-swap. `expected_current_version: null` means the tag must not exist. */
export const TagMoveRequestSchema = z.strictObject({
  version: VersionSchema,
  expected_current_version: VersionSchema.nullable().optional(),
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
