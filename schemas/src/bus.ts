import { z } from 'zod';
import { ApiReferenceSchema } from './api-reference';
import { PromptSchema } from './skills';
import { PaginationSchema, PublicWorkerDetailSchema, WorkerListItemSchema } from './worker';

/** Empty or blank strings count as absent (bus.md). */
const trimmedOptional = z
  .string()
  .max(512)
  .nullish()
  .transform((s) => (s == null || s.trim() === '' ? undefined : s.trim()));

/**
 * `directory::registry::workers::list`. Non-strict on purpose: the engine adds `_caller_worker_id` to
 * every payload it forwards, and unknown keys are dropped rather than refused.
 */
export const DirectoryListRequestSchema = z.object({
  search: trimmedOptional,
  cursor: trimmedOptional,
  limit: z.number().int().min(1).max(100).optional(),
});
export type DirectoryListRequest = z.infer<typeof DirectoryListRequestSchema>;

export const DirectoryListResponseSchema = z.object({
  workers: z.array(WorkerListItemSchema),
  pagination: PaginationSchema,
});
export type DirectoryListResponse = z.infer<typeof DirectoryListResponseSchema>;

export const DirectoryInfoRequestSchema = z
  .object({
    name: z
      .string({ message: 'name must be non-empty' })
      .max(128)
      .transform((s) => s.trim())
      .refine((s) => s.length > 0, { message: 'name must be non-empty' }),
    version: trimmedOptional,
    tag: trimmedOptional,
  })
  .refine((r) => !(r.version && r.tag), { message: 'specify either version OR tag, not both' });
export type DirectoryInfoRequest = z.infer<typeof DirectoryInfoRequestSchema>;

/** The worker part of `::info`: as the registry sent it, minus the parts `info` returns on their own. */
export const DirectoryWorkerSchema = PublicWorkerDetailSchema.omit({ readme: true, functions: true, triggers: true, registered_triggers: true });

export const DirectoryInfoResponseSchema = z.object({
  worker: DirectoryWorkerSchema,
  readme: z.string(),
  api_reference: ApiReferenceSchema,
  skills_tree: z.object({
    skills: z.array(z.object({ path: z.string() })),
    prompts: z.array(PromptSchema),
  }),
});
export type DirectoryInfoResponse = z.infer<typeof DirectoryInfoResponseSchema>;
