import { z } from 'zod';
import { SkillKeySchema } from './names';

export const SkillsPublishRequestSchema = z.strictObject({
  version: z.string().min(1).max(128),
  skills: z
    .record(SkillKeySchema, z.string().min(1, { message: 'must be non-empty' }).max(1_000_000))
    .refine((m) => Object.keys(m).length <= 512, { message: 'at most 512 skill files' }),
});
export type SkillsPublishRequest = z.infer<typeof SkillsPublishRequestSchema>;

export const SkillsPublishResponseSchema = z.object({
  name: z.string(),
  version: z.string(),
  count: z.number().int(),
});

export const SkillFileSchema = z.object({ path: z.string(), content: z.string() });
/** A prompt as the bus shows it (skills_tree). */
export const PromptSchema = z.object({ name: z.string(), description: z.string() });
/**
 * A prompt row of GET /w/{slug}/skills, from a `prompts/<name>.md` file of the snapshot. Older iii-directory
 * versions decode `content` as a required String and write `args_schema` into the prompt's front-matter.
 */
export const SkillPromptSchema = PromptSchema.extend({
  args_schema: z.record(z.string(), z.unknown()).nullable().optional().default(null),
  // Optional on reading only, so the directory worker still parses registries that send name + description.
  content: z.string().optional().default(''),
});
export type SkillPrompt = z.infer<typeof SkillPromptSchema>;

/** GET /w/{slug}/skills?version= (older clients send ?tag=): both name a version or any tag. */
export const SkillsQuerySchema = z.object({ version: z.string().max(128).optional(), tag: z.string().max(128).optional() });

export const SkillsResponseSchema = z.object({
  name: z.string(),
  version: z.string(),
  skills: z.array(SkillFileSchema),
  prompts: z.array(SkillPromptSchema),
});
export type SkillsResponse = z.infer<typeof SkillsResponseSchema>;

/** Frontmatter a skill may carry (formats.md). Unknown keys are kept out of the model, not refused. */
export const SkillFrontmatterSchema = z.object({
  name: z.string().optional(),
  description: z.string().max(1024).optional(),
  title: z.string().optional(),
  type: z.enum(['index', 'how-to', 'reference']).optional(),
  function_id: z.string().optional(),
  args_schema: z.record(z.string(), z.unknown()).optional(),
});
export type SkillFrontmatter = z.infer<typeof SkillFrontmatterSchema>;
