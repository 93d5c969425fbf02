import { z } from 'zod';
import {
  BinariesSchema,
  FunctionEntrySchema,
  JsonObjectSchema,
  OciReferenceSchema,
  RangeSchema,
  Sha256Schema,
  SlugSchema,
  TagNameSchema,
  TriggerEntrySchema,
  VersionSchema,
  WorkerTypeSchema,
} from '@iii-registry/schemas';

/*
 * The seed's own file formats (not wire shapes): `worker.yaml` holds what every version shares, and
 * `versions/<version>.yaml` holds what one version adds or changes. Their entries reuse the wire schemas so a
 * seed file can never describe something the registry would refuse.
 */

/** `catalog/<name>/worker.yaml`. */
export const SeedWorkerFileSchema = z.strictObject({
  name: SlugSchema,
  type: WorkerTypeSchema,
  description: z.string().min(1).max(1000),
  repo: z.string().url().startsWith('https://', { message: 'must be an https URL' }),
  license: z.string().min(1).max(128),
  tags: z.array(z.string().min(1).max(64)).max(32).default([]),
  experimental: z.boolean().default(false),
  /** Default configuration of every version that does not set its own. */
  config: JsonObjectSchema.optional(),
  /** Versions that get the skills snapshot besides the newest stable one. */
  skills_versions: z.array(VersionSchema).default([]),
});
export type SeedWorkerFile = z.output<typeof SeedWorkerFileSchema>;

/** `catalog/<name>/versions/<version>.yaml`. Artifacts are never inherited: they name one version's files. */
export const SeedVersionFileSchema = z.strictObject({
  /** Start from that version's functions, triggers, dependencies and config, then apply this file. */
  extends: VersionSchema.optional(),
  tag: TagNameSchema.optional(),
  description: z.string().min(1).max(1000).optional(),
  experimental: z.boolean().optional(),
  /** Merged over the inherited map; `null` drops an inherited dependency. */
  dependencies: z.record(SlugSchema, RangeSchema.nullable()).optional(),
  /** Replaces the inherited configuration as a whole. */
  config: JsonObjectSchema.optional(),
  /** Entries replace inherited ones of the same name, new names are appended. */
  functions: z.array(FunctionEntrySchema).optional(),
  remove_functions: z.array(z.string().min(1)).optional(),
  triggers: z.array(TriggerEntrySchema).optional(),
  remove_triggers: z.array(z.string().min(1)).optional(),
  binaries: BinariesSchema.optional(),
  image_tag: OciReferenceSchema.optional(),
  archive_url: z.string().url().optional(),
  sha256: Sha256Schema.optional(),
});
export type SeedVersionFile = z.output<typeof SeedVersionFileSchema>;
