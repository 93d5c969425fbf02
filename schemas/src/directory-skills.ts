import { z } from 'zod';

/** `directory::skills::download` / `download_from_registry` and `directory::engine::functions::info` (kits.md §4.4-4.5). */
export const SkillsDownloadRequestSchema = z
  .object({
    worker: z.string().trim().min(1, 'worker must be non-empty'),
    version: z.string().trim().min(1).optional(),
    tag: z.string().trim().min(1).optional(),
  })
  .refine((v) => !(v.version && v.tag), { message: 'specify either version OR tag, not both', path: ['version'] });
export type SkillsDownloadRequest = z.infer<typeof SkillsDownloadRequestSchema>;

export const SkillsDownloadResponseSchema = z.object({
  namespace: z.string(),
  skills_written: z.array(z.string()),
  system_prompts_written: z.array(z.string()),
  agents_written: z.array(z.string()),
  /** Profiles a kit owns in this project: kit > worker, so they were left alone. */
  agents_skipped: z.array(z.string()),
  source: z.object({ kind: z.literal('registry'), worker: z.string(), version: z.string().optional(), tag: z.string().optional() }),
});
export type SkillsDownloadResponse = z.infer<typeof SkillsDownloadResponseSchema>;

/** `<skills_folder>/<worker>/.iii-skill-complete`: who wrote a worker's files, and the sha of each profile. */
export const SkillMarkerSchema = z.object({
  worker: z.string(), source: z.string(), tag_or_version: z.string(), schema: z.literal(2), version: z.string(),
  agents: z.record(z.string(), z.string()).default({}),
});
export type SkillMarker = z.infer<typeof SkillMarkerSchema>;

export const FunctionInfoRequestSchema = z.object({ function_id: z.string().trim().min(1, 'function_id must be non-empty') });
export const FunctionInfoResponseSchema = z.object({
  function_id: z.string(), worker_name: z.string(), description: z.string().nullable(),
  request_schema: z.unknown(), response_schema: z.unknown(), metadata: z.unknown(),
  registered_triggers: z.array(z.object({ id: z.string(), trigger_type: z.string(), config: z.unknown() })),
});
export type FunctionInfoResponse = z.infer<typeof FunctionInfoResponseSchema>;
