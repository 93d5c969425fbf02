import { z } from 'zod';

/**
 * Kits API wire shapes (kits.md §2), declared the way the real client (iii-directory, Rust) decodes them:
 * every field `#[serde(default)]` unless marked required, unknown fields ignored. The zod rules model serde:
 * - `String` / `Vec` / `bool` / map with default: may be missing (default applies) but **never null**;
 * - `Option<T>`: missing or null;
 * - `u64`: a non-negative integer.
 * Parsing with these schemas is the client's view; the server builds `z.output` values (every field present).
 */

/** Kit handle (author) and name rules (kits.md §1.1, `kitref.rs`): GitHub-like, no underscore. */
export const KIT_HANDLE_PATTERN = /^[a-z0-9][a-z0-9-]{0,38}$/;
export const KIT_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** A release tag of a kit (`latest`, `next`): the client's tag rule, minus anything that parses as a version. */
export const KIT_TAG_PATTERN = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

export const KitHandleSchema = z
  .string()
  .regex(KIT_HANDLE_PATTERN, { message: 'must match ^[a-z0-9][a-z0-9-]{0,38}$ (lower-case letters, digits and -, at most 39)' });
export const KitNameSchema = z
  .string()
  .regex(KIT_NAME_PATTERN, { message: 'must match ^[a-z0-9][a-z0-9-]{0,63}$ (lower-case letters, digits and -, at most 64; no _)' });
export const KitTagNameSchema = z
  .string()
  .regex(KIT_TAG_PATTERN, { message: 'must match ^[A-Za-z][A-Za-z0-9._-]{0,63}$ (for example latest, next)' });

// serde building blocks
const str = () => z.string().default('');
const optStr = () => z.string().nullable().optional();
const vec = <T extends z.ZodType>(item: T) => z.array(item).default([]);
const u64 = () => z.number().int().nonnegative();
const optU64 = () => u64().nullable().optional();
const bool = () => z.boolean().default(false);
const optBool = () => z.boolean().nullable().optional();
const strMap = () => z.record(z.string(), z.string()).default({});

export const KitAuthorSchema = z.object({ handle: str(), name: optStr(), verified: bool() });
export type KitAuthor = z.output<typeof KitAuthorSchema>;

/** Non-null on a version's detail = installs must stop (iii-directory blocks them with `kit_deprecated`). */
export const KitDeprecationSchema = z.object({ message: optStr(), replaced_by: optStr() });
export type KitDeprecation = z.output<typeof KitDeprecationSchema>;

/** Parsed front-matter of `agents/<id>.md` (kits.md §1.5, §2.3). */
export const AgentEntrySchema = z.object({
  id: str(),
  path: str(),
  sha256: str(),
  size_bytes: optU64(),
  name: optStr(),
  description: optStr(),
  logo: optStr(),
  icon: optStr(),
  color: optStr(),
  model: optStr(),
  reasoning_effort: optStr(),
  extends: optStr(),
  hidden: optBool(),
  skills: vec(z.string()),
  functions: vec(z.string()),
});
export type AgentEntry = z.output<typeof AgentEntrySchema>;

export const SkillEntrySchema = z.object({
  id: str(),
  path: str(),
  sha256: str(),
  size_bytes: optU64(),
  title: optStr(),
  description: optStr(),
  type: optStr(),
  used_by: vec(z.string()),
});
export type SkillEntry = z.output<typeof SkillEntrySchema>;

export const KitWorkerSchema = z.object({
  name: str(),
  range: str(),
  /** The version the range resolves to in the registry today (null: nothing satisfies it any more). */
  resolved: optStr(),
  type: optStr(),
  description: optStr(),
});
export type KitWorker = z.output<typeof KitWorkerSchema>;

export const KitCountsSchema = z.object({ agents: u64().default(0), skills: u64().default(0), workers: u64().default(0) });
export type KitCounts = z.output<typeof KitCountsSchema>;

/** Our extension: a softer withdrawal than deprecation. Exact installs still work; ranges, tags and updates skip it. */
export const KitYankSchema = z.object({ message: optStr() });

/** `GET /k/{handle}/{name}?version=` answers `{"kit": KitDetail}`. */
export const KitDetailSchema = z.object({
  id: str(),
  author: KitAuthorSchema.default({ handle: '', verified: false }),
  name: str(),
  description: optStr(),
  tags: vec(z.string()),
  version: str(),
  repo: optStr(),
  license: optStr(),
  notes: optStr(),
  published_at: optStr(),
  release_tags: strMap(),
  counts: KitCountsSchema.default({ agents: 0, skills: 0, workers: 0 }),
  deprecation: KitDeprecationSchema.nullable().optional(),
  experimental: optBool(),
  workers: vec(KitWorkerSchema),
  agents: vec(AgentEntrySchema),
  skills: vec(SkillEntrySchema),
  total_downloads: optU64(),
  // Extensions (the client ignores them).
  yanked: KitYankSchema.nullable().optional(),
  ci_downloads: optU64(),
  has_readme: optBool(),
});
export type KitDetail = z.output<typeof KitDetailSchema>;

export const KitDetailResponseSchema = z.object({ kit: KitDetailSchema });
export type KitDetailResponse = z.output<typeof KitDetailResponseSchema>;

export const KitVersionSchema = z.object({
  version: str(),
  published_at: optStr(),
  license: optStr(),
  /** Release tags pointing at this version. */
  tags: vec(z.string()),
  // Extensions.
  deprecated: optBool(),
  yanked: optBool(),
  prerelease: optBool(),
});
export type KitVersion = z.output<typeof KitVersionSchema>;

/** `GET /k/{handle}/{name}/versions` (no envelope), newest first. */
export const KitVersionsSchema = z.object({ release_tags: strMap(), versions: vec(KitVersionSchema) });
export type KitVersions = z.output<typeof KitVersionsSchema>;

export const KitFileSchema = z.object({
  /** Required in the Rust struct (no serde default). */
  path: z.string(),
  kind: optStr(),
  sha256: str(),
  size_bytes: optU64(),
  content: str(),
});
export type KitFile = z.output<typeof KitFileSchema>;

/** `GET /k/{handle}/{name}/files` and `/download` (no envelope; byte-identical bodies). */
export const KitFilesSchema = z.object({ version: str(), files: vec(KitFileSchema), workers: vec(KitWorkerSchema) });
export type KitFiles = z.output<typeof KitFilesSchema>;

/** Status of a preloaded function: `ok` when a kit worker provides it, `missing` when none does (reported, not hidden). */
export const KIT_FUNCTION_STATUSES = ['ok', 'missing'] as const;

export const KitFunctionSchema = z.object({
  id: str(),
  used_by: vec(z.string()),
  status: optStr(),
  worker: optStr(),
  worker_version: optStr(),
  description: optStr(),
});
export type KitFunction = z.output<typeof KitFunctionSchema>;

/** `GET /k/{handle}/{name}/functions` answers `{"functions": [KitFunction]}`. */
export const KitFunctionsSchema = z.object({ functions: vec(KitFunctionSchema) });
export type KitFunctions = z.output<typeof KitFunctionsSchema>;

export const ComparedAgentSchema = z.object({
  id: str(),
  path: str(),
  /** Changed front-matter fields: `{field: {from, to}}` (the client keeps it as an untyped Value). */
  frontmatter: z.unknown().optional(),
  body_changed: optBool(),
});
export const WorkerRangeSchema = z.object({ name: str(), range: optStr(), from: optStr(), to: optStr() });
export const FunctionAddedSchema = z.object({ agent: str(), function: str() });
export const ModelChangedSchema = z.object({ agent: str(), from: optStr(), to: optStr() });
export const KitCapabilitiesSchema = z.object({
  workers_added: vec(z.string()),
  functions_added: vec(FunctionAddedSchema),
  models_changed: vec(ModelChangedSchema),
});
const pathList = () => vec(z.string());

/** `GET /k/{handle}/{name}/compare?from=&to=` (no envelope). */
export const KitCompareSchema = z.object({
  notes: optStr(),
  major: optBool(),
  agents: z
    .object({ modified: vec(ComparedAgentSchema), added: pathList(), removed: pathList() })
    .default({ modified: [], added: [], removed: [] }),
  workers: z
    .object({ added: vec(WorkerRangeSchema), removed: vec(WorkerRangeSchema), changed: vec(WorkerRangeSchema) })
    .default({ added: [], removed: [], changed: [] }),
  capabilities: KitCapabilitiesSchema.default({ workers_added: [], functions_added: [], models_changed: [] }),
  // Extensions: which versions were compared and the file-level change list (web "vs x.y.z" view).
  from: optStr(),
  to: optStr(),
  files: z
    .object({ added: pathList(), removed: pathList(), modified: pathList(), unchanged: pathList() })
    .default({ added: [], removed: [], modified: [], unchanged: [] }),
});
export type KitCompare = z.output<typeof KitCompareSchema>;

/** One entry of `POST /k/updates`: every field required (no serde default). */
export const KitUpdateQuerySchema = z.object({ kit: z.string(), version: z.string(), requested: z.string() });
export type KitUpdateQuery = z.output<typeof KitUpdateQuerySchema>;

export const KitUpdatesRequestSchema = z.object({ kits: z.array(KitUpdateQuerySchema).max(500) });
export type KitUpdatesRequest = z.output<typeof KitUpdatesRequestSchema>;

export const KitUpdateAnswerSchema = z.object({
  kit: str(),
  current: optStr(),
  available: optStr(),
  latest: optStr(),
  major: bool(),
  deprecation: KitDeprecationSchema.nullable().optional(),
  not_found: bool(),
});
export type KitUpdateAnswer = z.output<typeof KitUpdateAnswerSchema>;

export const KitUpdatesResponseSchema = z.object({ kits: vec(KitUpdateAnswerSchema) });
export type KitUpdatesResponse = z.output<typeof KitUpdatesResponseSchema>;

/** Query of the kit reads that take a version: a tag, an exact version, or (extension) a semver range. */
export const KitVersionQuerySchema = z.object({ version: z.string().max(256).optional() });
export const KitDownloadQuerySchema = z.object({
  version: z.string().max(256).optional(),
  ci: z.enum(['true', 'false', '1', '0']).optional(),
});
export const KitCompareQuerySchema = z.object({ from: z.string().min(1).max(256), to: z.string().max(256).optional() });

/** One row of `GET /k?search=&tag=&handle=` (our list/search endpoint; the client never calls it). */
export const KitSummarySchema = z.object({
  id: z.string(),
  author: KitAuthorSchema,
  name: z.string(),
  description: z.string().nullable(),
  version: z.string(),
  tags: z.array(z.string()),
  counts: KitCountsSchema,
  published_at: z.string().nullable(),
  total_downloads: z.number().int(),
  deprecated: z.boolean(),
});
export type KitSummary = z.output<typeof KitSummarySchema>;

export const KitListQuerySchema = z.object({
  search: z.string().max(200).optional(),
  tag: z.string().max(64).optional(),
  handle: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export type KitListQuery = z.output<typeof KitListQuerySchema>;

export const KitListResponseSchema = z.object({ kits: z.array(KitSummarySchema), total: z.number().int() });
export type KitListResponse = z.output<typeof KitListResponseSchema>;

/** The skill id the client derives: `<handle>/<kit>/<rest without .md>`, `SKILL.md`/`SKILLS.md` → `index`. */
export function kitSkillId(handle: string, name: string, sourcePath: string): string {
  const rest = sourcePath.replace(/^skills\//, '').replace(/\.md$/i, '');
  const parts = rest.split('/');
  const last = parts[parts.length - 1];
  if (last === 'SKILL' || last === 'SKILLS') parts[parts.length - 1] = 'index';
  return `${handle}/${name}/${parts.join('/')}`;
}
