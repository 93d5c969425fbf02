import { z } from 'zod';
import { BinariesSchema, WorkerTypeSchema } from './artifacts';
import { FunctionEntrySchema, JsonObjectSchema, RegisteredTriggersSchema, TriggerEntrySchema } from './api-reference';

/** A dependency as stored and served: the range exactly as published (older data may hold node-semver ranges). */
/** Longest `search` a list query takes (characters). */
export const SEARCH_QUERY_MAX = 256;

export const DependencyRowSchema = z.object({ name: z.string(), version: z.string() });

export const AuthorSchema = z.object({ name: z.string(), pfp: z.string().nullable(), verified: z.boolean() });
export type Author = z.infer<typeof AuthorSchema>;

export const VERSION_STATUSES = ['active', 'deprecated', 'yanked'] as const;
export const VersionStatusSchema = z.enum(VERSION_STATUSES);
export type VersionStatus = z.infer<typeof VersionStatusSchema>;

/** How a search hit matched its query (GET /w?search=): see the README's search section. */
export const SEARCH_MATCHES = ['exact_name', 'all_words', 'some_words', 'typo'] as const;
export const SearchMatchSchema = z.enum(SEARCH_MATCHES);
export type SearchMatch = z.infer<typeof SearchMatchSchema>;

/** One row of GET /w (http-api.md). `image` only for type image; the rest after `author` are our extensions. */
export const WorkerListItemSchema = z.object({
  name: z.string(),
  description: z.string(),
  type: WorkerTypeSchema,
  version: z.string(),
  repo: z.string(),
  config: JsonObjectSchema,
  supported_targets: z.array(z.string()),
  total_downloads: z.number().int(),
  dependencies: z.array(DependencyRowSchema),
  author: AuthorSchema,
  image: z.string().optional(),
  tags: z.array(z.string()).optional(),
  updated_at: z.string().optional(),
  /** Set when an upstream is configured: `local` rows are hosted here, `upstream` rows come from the upstream. */
  origin: z.enum(['local', 'upstream']).optional(),
  /** Only on search results: relevance (higher is better, comparable within one answer) and how the row matched. */
  score: z.number().optional(),
  match: SearchMatchSchema.optional(),
});
export type WorkerListItem = z.infer<typeof WorkerListItemSchema>;

export const PaginationSchema = z.object({
  next_cursor: z.string().nullable(),
  has_more: z.boolean(),
  page_size: z.number().int(),
});
export type Pagination = z.infer<typeof PaginationSchema>;

export const WorkerListResponseSchema = z.object({
  workers: z.array(WorkerListItemSchema),
  pagination: PaginationSchema,
});
export type WorkerListResponse = z.infer<typeof WorkerListResponseSchema>;

export const WorkerListQuerySchema = z.object({
  search: z.string().max(SEARCH_QUERY_MAX).optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  updated_since: z.string().max(64).optional(),
  type: WorkerTypeSchema.optional(),
  tag: z.string().max(64).optional(),
});
export type WorkerListQuery = z.infer<typeof WorkerListQuerySchema>;

/** GET /w/{slug} worker body as the contract fixes it; our extensions are optional so other registries parse too. */
export const PublicWorkerDetailSchema = WorkerListItemSchema.extend({
  license: z.string().nullable().optional(),
  tags: z.array(z.string()).optional().default([]),
  experimental: z.boolean().optional().default(false),
  readme: z.string().optional().default(''),
  functions: z.array(FunctionEntrySchema).optional().default([]),
  triggers: z.array(TriggerEntrySchema).optional().default([]),
  /** Extension: present when the version was published with its registerTrigger calls. */
  registered_triggers: RegisteredTriggersSchema.optional(),
  published_at: z.string().optional(),
  status: VersionStatusSchema.optional(),
  status_message: z.string().nullable().optional(),
  version_tags: z.array(z.string()).optional(),
  binaries: BinariesSchema.optional(),
  archive_url: z.string().optional(),
  sha256: z.string().optional(),
  download_counts: z.object({ total: z.number().int(), ci: z.number().int() }).optional(),
});
export const PublicWorkerDetailResponseSchema = z.object({ worker: PublicWorkerDetailSchema });

/** What this registry serves at GET /w/{slug}: the contract's fields plus our extensions, always present. */
export const WorkerDetailSchema = PublicWorkerDetailSchema.extend({
  license: z.string(),
  tags: z.array(z.string()),
  experimental: z.boolean(),
  readme: z.string(),
  functions: z.array(FunctionEntrySchema),
  triggers: z.array(TriggerEntrySchema),
  published_at: z.string(),
  status: VersionStatusSchema,
  status_message: z.string().nullable(),
  version_tags: z.array(z.string()),
});
export type WorkerDetail = z.infer<typeof WorkerDetailSchema>;
export type PublicWorkerDetail = z.infer<typeof PublicWorkerDetailSchema>;

export const WorkerDetailResponseSchema = z.object({ worker: WorkerDetailSchema });

export const VersionRowSchema = z.object({
  version: z.string(),
  tags: z.array(z.string()),
  published_at: z.string().optional(),
  status: VersionStatusSchema.optional(),
  status_message: z.string().nullable().optional(),
});
export type VersionRow = z.infer<typeof VersionRowSchema>;
export const VersionsResponseSchema = z.object({ versions: z.array(VersionRowSchema) });

export const VersionQuerySchema = z.object({ version: z.string().max(128).optional() });
