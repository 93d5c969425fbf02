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
export const PromptSchema = z.object({ name: z.string(), description: z.string() });

export const SkillsResponseSchema = z.object({
  name: z.string(),
  version: z.string(),
  skills: z.array(SkillFileSchema),
  prompts: z.array(PromptSchema),
});
export type SkillsResponse = z.infer<typeof SkillsResponseSchema>;

/** Frontmatter a skill may carry (formats.md). Unknown keys are kept out of the model, not refused. */
export const SkillFrontmatterSchema = z.object({
  name: z.string().optional(),
  description: z.string().max(1024).optional(),
  title: z.string().optional(),
  type: z.enum(['index', 'how-to', 'reference']).optional(),
  function_id: z.string().optional(),
});
export type SkillFrontmatter = z.infer<typeof SkillFrontmatterSchema>;
