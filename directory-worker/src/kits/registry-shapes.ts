/**
 * The Kits API shapes the directory decodes (kits.md §2.3). TEMPORARY: issue 14 declares these in
 * schemas/src/kits*.ts; once that lands this file only re-exports them. Decoding is lenient like the Rust
 * client: every field defaults, unknown fields pass.
 */
import { z } from 'zod';

const str = z.string().nullish().transform((v) => v ?? undefined);
const strs = z.array(z.string()).nullish().transform((v) => v ?? []);

export const KitDeprecationSchema = z.looseObject({ message: str, replaced_by: str });
export const KitAuthorSchema = z.looseObject({ handle: z.string().default(''), name: str, verified: z.boolean().default(false) });
export const KitAgentEntrySchema = z.looseObject({
  id: z.string().default(''), path: z.string().default(''), sha256: z.string().default(''),
  name: str, description: str, logo: str, icon: str, color: str, model: str, reasoning_effort: str, extends: str,
  hidden: z.boolean().nullish(), skills: strs, functions: strs,
});
export const KitSkillEntrySchema = z.looseObject({
  id: z.string().default(''), path: z.string().default(''), sha256: z.string().default(''),
  title: str, description: str, type: str, used_by: strs,
});
export const KitWorkerSchema = z.looseObject({ name: z.string(), range: z.string(), resolved: str, type: str, description: str });
export const KitDetailSchema = z.looseObject({
  id: z.string(), name: z.string().default(''), version: z.string(),
  author: KitAuthorSchema.default({ handle: '', name: undefined, verified: false }),
  description: str, tags: strs, repo: str, license: str, notes: str, published_at: str,
  release_tags: z.record(z.string(), z.string()).default({}),
  deprecation: KitDeprecationSchema.nullish().transform((v) => v ?? undefined),
  experimental: z.boolean().nullish(),
  workers: z.array(KitWorkerSchema).default([]),
  agents: z.array(KitAgentEntrySchema).default([]),
  skills: z.array(KitSkillEntrySchema).default([]),
  total_downloads: z.number().nullish(),
});
export const KitDetailResponseSchema = z.looseObject({ kit: KitDetailSchema });
export const KitVersionsSchema = z.looseObject({
  release_tags: z.record(z.string(), z.string()).default({}),
  versions: z.array(z.looseObject({ version: z.string(), published_at: str })).default([]),
});
export const KitFileSchema = z.looseObject({ path: z.string(), kind: str, sha256: z.string().default(''), content: z.string().default('') });
export const KitFilesSchema = z.looseObject({
  version: z.string().default(''), files: z.array(KitFileSchema).default([]), workers: z.array(KitWorkerSchema).default([]),
});
export const KitFunctionSchema = z.looseObject({
  id: z.string(), used_by: strs, status: str, worker: str, worker_version: str, description: str,
});
export const KitFunctionsResponseSchema = z.looseObject({ functions: z.array(KitFunctionSchema).default([]) });
export const KitUpdateAnswerSchema = z.looseObject({
  kit: z.string(), current: str, available: str, latest: str, major: z.boolean().default(false),
  deprecation: KitDeprecationSchema.nullish().transform((v) => v ?? undefined), not_found: z.boolean().default(false),
});
export const KitUpdatesResponseSchema = z.looseObject({ kits: z.array(KitUpdateAnswerSchema).default([]) });

export type KitDetail = z.output<typeof KitDetailSchema>;
export type KitVersions = z.output<typeof KitVersionsSchema>;
export type KitFiles = z.output<typeof KitFilesSchema>;
export type KitFunction = z.output<typeof KitFunctionSchema>;
export type KitUpdateAnswer = z.output<typeof KitUpdateAnswerSchema>;
export type KitAgentEntry = z.output<typeof KitAgentEntrySchema>;
export type KitSkillEntry = z.output<typeof KitSkillEntrySchema>;
