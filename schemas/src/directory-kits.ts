import { z } from 'zod';
import { AgentEntrySchema, KitAuthorSchema, KitCapabilitiesSchema, KitDeprecationSchema, KitDetailSchema, KitFunctionSchema, SkillEntrySchema } from './kits';

/**
 * iii-directory's kit surface on the bus (kits.md §4.2): kits.lock, plans, and every request and response.
 * The registry's Kits API shapes (KitDetail, AgentEntry, KitFunction...) come from ./kits, never re-declared.
 */

// ---- kits.lock ----
export const LockedFileSchema = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), skipped: z.boolean().optional() });
export const LockedKitSchema = z.object({
  requested: z.string(),
  version: z.string(),
  installed_at: z.string(),
  workers: z.record(z.string(), z.string()).default({}),
  files: z.record(z.string(), LockedFileSchema).default({}),
  ignored_versions: z.array(z.string()).optional(),
});
export const KitsLockSchema = z.object({ version: z.literal(1), kits: z.record(z.string(), LockedKitSchema).default({}) });
export type LockedKit = z.infer<typeof LockedKitSchema>;
export type KitsLock = z.infer<typeof KitsLockSchema>;

// ---- plans ----
export const DecisionSchema = z.enum(['overwrite', 'keep', 'kit', 'mine', 'merged', 'remove']);
export type Decision = z.infer<typeof DecisionSchema>;
export const SourceKindSchema = z.enum(['kit', 'worker', 'local', 'global', 'builtin']);
export const CollisionSchema = z.object({
  owner: SourceKindSchema, kit: z.string().optional(), worker: z.string().optional(), version: z.string().optional(),
  sha256: z.string().optional(), modified: z.boolean().optional(),
});
export const AgentChangesSchema = z.object({
  fields: z.record(z.string(), z.tuple([z.string().nullable(), z.string().nullable()])).optional(),
  functions_added: z.array(z.string()).optional(), functions_removed: z.array(z.string()).optional(),
  skills_added: z.array(z.string()).optional(), skills_removed: z.array(z.string()).optional(),
});
export const PlanFileSchema = z.object({
  path: z.string(), source: z.string(), kind: z.enum(['agent', 'skill']), id: z.string(),
  change: z.enum(['added', 'modified', 'removed', 'kept']),
  local: z.enum(['absent', 'intact', 'edited', 'missing', 'occupied']),
  base: z.string().optional(), theirs: z.string().optional(), ours: z.string().optional(),
  collision: CollisionSchema.optional(), merge: z.enum(['clean', 'conflicts']).optional(), conflicts: z.number().int().optional(),
  default: DecisionSchema.nullable(), options: z.array(DecisionSchema),
  skipped: z.boolean().optional(), note: z.string().optional(),
  agent: AgentEntrySchema.optional(), agent_changes: AgentChangesSchema.optional(), body_changed: z.boolean().optional(),
  skill: SkillEntrySchema.optional(),
});
export type PlanFile = z.infer<typeof PlanFileSchema>;
export const WorkerActionSchema = z.enum(['add', 'update', 'redeclare', 'none', 'remove']);
export const PlanWorkerSchema = z.object({
  name: z.string(), range: z.string().optional(), range_from: z.string().optional(),
  installed: z.string().nullable(), declared: z.string().optional(), container: z.string().optional(),
  action: WorkerActionSchema, to: z.string().optional(), type: z.string().optional(), description: z.string().optional(),
  path: z.boolean().optional(), used_by: z.array(z.string()).optional(), registry_url: z.string(),
});
export type PlanWorker = z.infer<typeof PlanWorkerSchema>;
export const IssueSchema = z.object({ code: z.string(), path: z.string().optional(), message: z.string() });
export type PlanIssue = z.infer<typeof IssueSchema>;
export const PlanCountsSchema = z.object({
  agents: z.number().int(), skills: z.number().int(), workers: z.number().int(), functions: z.number().int(),
  added: z.number().int(), modified: z.number().int(), removed: z.number().int(), unchanged: z.number().int(),
  collisions: z.number().int(), conflicts: z.number().int(), decisions_required: z.number().int(),
});
export const PlanKindSchema = z.enum(['install', 'update', 'remove']);
export const PlanSchema = z.object({
  plan_id: z.string().regex(/^kp_[0-9a-f]{32}$/), kind: PlanKindSchema, kit: z.string(),
  from: z.string().nullable(), to: z.string().nullable(), requested: z.string(),
  bump: z.enum(['major', 'minor', 'patch', 'prerelease']).optional(), major: z.boolean(),
  author: KitAuthorSchema.optional(), description: z.string().optional(), license: z.string().optional(),
  repo: z.string().optional(), published_at: z.string().optional(), registry_url: z.string(), notes: z.string().optional(),
  deprecation: KitDeprecationSchema.optional(),
  workers: z.array(PlanWorkerSchema), files: z.array(PlanFileSchema), capabilities: KitCapabilitiesSchema,
  functions: z.array(KitFunctionSchema), warnings: z.array(IssueSchema), blocking: z.array(IssueSchema), counts: PlanCountsSchema,
  created_at: z.string(), expires_at: z.string(), review: z.string(),
});
export type Plan = z.infer<typeof PlanSchema>;
export const PlanContentsSchema = z.object({
  blobs: z.record(z.string(), z.string()), ours: z.record(z.string(), z.string()), merged: z.record(z.string(), z.string()),
});
export type PlanContents = z.infer<typeof PlanContentsSchema>;
export const StepStateSchema = z.enum(['pending', 'running', 'done', 'failed', 'skipped']);
export const ApplyStepSchema = z.object({ id: z.string(), label: z.string(), state: StepStateSchema, detail: z.string().optional() });
export type ApplyStep = z.infer<typeof ApplyStepSchema>;
export const ApplyProgressSchema = z.object({
  steps: z.array(ApplyStepSchema), written: z.record(z.string(), z.string()),
  error: z.string().optional(), started_at: z.string().optional(),
});
export type ApplyProgress = z.infer<typeof ApplyProgressSchema>;
export const ApplyReportSchema = z.object({
  plan_id: z.string(), kind: PlanKindSchema, kit: z.string(), from: z.string().nullable(), to: z.string().nullable(),
  steps: z.array(ApplyStepSchema), files_written: z.array(z.string()), files_merged: z.array(z.string()),
  files_removed: z.array(z.string()), files_kept: z.array(z.string()), workers_added: z.array(z.string()),
  workers_updated: z.array(z.string()), workers_removed: z.array(z.string()), agents: z.array(z.string()),
  skills_changed: z.boolean(), agents_changed: z.boolean(), lock_path: z.string(),
});
export type ApplyReport = z.infer<typeof ApplyReportSchema>;
/** A stored plan file: the plan, the bodies it refers to, and the journal of an apply in progress. */
export const StoredPlanSchema = z.object({ plan: PlanSchema, contents: PlanContentsSchema, progress: ApplyProgressSchema.nullable() });
export type StoredPlan = z.infer<typeof StoredPlanSchema>;

// ---- requests and responses ----
const kitText = z.string().trim().min(1, 'kit must be non-empty');
const planId = z.string().trim().min(1, 'plan_id must be non-empty');
export const DownloadKitRequestSchema = z.object({ kit: kitText, apply: z.boolean().optional() });
export const PlanUpdateRequestSchema = z.object({ kit: kitText, version: z.string().trim().min(1).optional() });
export const KitOnlyRequestSchema = z.object({ kit: kitText });
export const PlanGetRequestSchema = z.object({ plan_id: planId, contents: z.boolean().optional() });
export const PlanIdRequestSchema = z.object({ plan_id: planId });
export const DecisionInputSchema = z.union([DecisionSchema, z.object({ choice: DecisionSchema, content: z.string().optional() })]);
export const ApplyRequestSchema = z.object({
  plan_id: planId, decisions: z.record(z.string(), DecisionInputSchema).optional(), remove_workers: z.array(z.string()).optional(),
});
export type ApplyRequest = z.infer<typeof ApplyRequestSchema>;
export const CheckUpdatesRequestSchema = z.object({ kit: z.string().trim().min(1).optional() });
export const KitsListRequestSchema = z.object({});
export const KitGetRequestSchema = z.object({ kit: kitText, registry: z.boolean().optional() });
export const IgnoreRequestSchema = z.object({ kit: kitText, version: z.string().trim().min(1), ignore: z.boolean().optional() });
export const DiffRequestSchema = z.object({ kit: kitText, path: z.string().trim().min(1) });

export const KitPlanResponseSchema = z.object({
  status: z.enum(['planned', 'applied', 'up_to_date', 'replanned']), kit: z.string(), message: z.string(),
  plan: PlanSchema.optional(), report: ApplyReportSchema.optional(),
});
export type KitPlanResponse = z.infer<typeof KitPlanResponseSchema>;
export const KitUpdateSchema = z.object({
  current: z.string(), available: z.string().nullable(), latest: z.string().nullable(), major: z.boolean(),
  ignored: z.string().optional(), deprecation: KitDeprecationSchema.optional(), not_found: z.boolean().optional(),
});
export type KitUpdate = z.infer<typeof KitUpdateSchema>;
export const CheckUpdatesResponseSchema = z.object({
  checked_at: z.string().nullable(), available: z.number().int(),
  kits: z.array(KitUpdateSchema.extend({ kit: z.string() })), error: z.string().nullable(),
});
export type CheckUpdatesResponse = z.infer<typeof CheckUpdatesResponseSchema>;
export const FileCountsSchema = z.object({
  agents: z.number().int(), skills: z.number().int(), intact: z.number().int(), edited: z.number().int(),
  missing: z.number().int(), skipped: z.number().int(),
});
export const InstalledKitSchema = z.object({
  kit: z.string(), version: z.string(), requested: z.string(), installed_at: z.string(),
  workers: z.record(z.string(), z.string()), files: FileCountsSchema, update: KitUpdateSchema.optional(),
  registry_url: z.string(), pending: z.array(z.string()),
});
export type InstalledKit = z.infer<typeof InstalledKitSchema>;
export const PlanSummarySchema = z.object({
  plan_id: z.string(), kind: PlanKindSchema, kit: z.string(), from: z.string().nullable(), to: z.string().nullable(),
  major: z.boolean(), counts: PlanCountsSchema, warnings: z.number().int(), blocking: z.number().int(),
  created_at: z.string(), expires_at: z.string(),
});
export const KitsListingSchema = z.object({
  kits: z.array(InstalledKitSchema), pending: z.array(PlanSummarySchema), updates_checked_at: z.string().nullable(),
  updates_error: z.string().optional(), attention: z.number().int(), lock_path: z.string(),
});
export type KitsListing = z.infer<typeof KitsListingSchema>;
export const FileStateSchema = z.enum(['intact', 'edited', 'missing', 'skipped']);
export const KitInfoSchema = InstalledKitSchema.extend({
  file_list: z.array(z.object({
    path: z.string(), kind: z.enum(['agent', 'skill']), id: z.string(), state: FileStateSchema, sha256: z.string(),
    local_sha256: z.string().nullable(),
  })),
  detail: KitDetailSchema.optional(), readme: z.string().optional(),
  worker_status: z.array(z.object({
    name: z.string(), range: z.string(), declared: z.string().nullable(), installed: z.string().nullable(),
    satisfied: z.boolean().nullable(), path: z.boolean(), registry_url: z.string(),
  })),
});
export type KitInfo = z.infer<typeof KitInfoSchema>;
export const PlanGetResponseSchema = z.object({ plan: PlanSchema, progress: ApplyProgressSchema.nullable(), contents: PlanContentsSchema.optional() });
export const DiscardResponseSchema = z.object({ plan_id: z.string(), discarded: z.boolean() });
export const IgnoreResponseSchema = z.object({ kit: z.string(), ignored_versions: z.array(z.string()) });
export const DiffResponseSchema = z.object({
  kit: z.string(), path: z.string(), base: z.string().nullable(), local: z.string().nullable(), state: FileStateSchema,
});

/** `directory::kits::on-change` payloads. */
export const KitsChangeEventSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('plan'), kit: z.string(), plan_id: z.string(), kind: PlanKindSchema }),
  z.object({ op: z.literal('apply'), kit: z.string(), plan_id: z.string(), kind: PlanKindSchema }),
  z.object({ op: z.literal('progress'), kit: z.string(), plan_id: z.string(), steps: z.array(ApplyStepSchema), error: z.string().nullable() }),
  z.object({ op: z.literal('discard'), kit: z.string(), plan_id: z.string() }),
  z.object({ op: z.literal('updates'), kit: z.string().optional() }),
]);
export type KitsChangeEvent = z.infer<typeof KitsChangeEventSchema>;
