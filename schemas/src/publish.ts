import { z } from 'zod';
import { DependencyRangeSchema, SlugSchema, TagNameSchema, VersionSchema } from './names';
import { BinariesSchema, IMAGE_DIGEST_FIX, IMAGE_DIGEST_PATTERN, Sha256Schema, WorkerTypeSchema } from './artifacts';
import { FunctionEntrySchema, JsonObjectSchema, RegisteredTriggersSchema, TriggerEntrySchema } from './api-reference';

export const DependencySchema = z.strictObject({ name: SlugSchema, version: DependencyRangeSchema });
export type Dependency = z.infer<typeof DependencySchema>;

/** Writers send dependencies as a list of {name, version} or as a map {name: range}; both become the list. */
export const DependenciesInSchema = z
  .union([z.array(DependencySchema).max(256), z.record(SlugSchema, DependencyRangeSchema)])
  .optional()
  .transform((d): Dependency[] =>
    d === undefined ? [] : Array.isArray(d) ? d : Object.entries(d).map(([name, version]) => ({ name, version })),
  );

export const SearchTagsSchema = z
  .array(z.string().max(64))
  .max(32)
  .transform((tags) => [...new Set(tags.map((t) => t.trim().toLowerCase()).filter((t) => t.length > 0))]);

export const OciReferenceSchema = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[a-z0-9]+([._\-/:@][A-Za-z0-9._-]+)*$/, { message: 'must be an OCI reference such as ghcr.io/org/name:1.0.0' });

/**
 * What one version may carry into a `/resolve` answer, which the iii CLI refuses above 1 MiB: a config of at most
 * 32 KiB of JSON (with at most 32 binary targets and 256 dependencies per version). The graph as a whole is also
 * measured before it is sent (registry-server services/resolve.ts).
 */
export const MAX_CONFIG_BYTES = 32 * 1024;

const configBytes = (config: unknown): number => {
  try {
    return new TextEncoder().encode(JSON.stringify(config) ?? '').length;
  } catch {
    return 0; // too deep to serialize: the config's own depth check has reported it
  }
};

/** The classic publish payload the public CI builds (http-api.md, POST /publish). */
export const PublishPayloadSchema = z
  .strictObject({
    worker_name: SlugSchema,
    version: VersionSchema,
    tag: TagNameSchema.optional(),
    type: WorkerTypeSchema,
    readme: z.string().max(1_000_000).optional().default(''),
    repo: z.string().max(2048).optional().default(''),
    description: z.string().max(1000).optional().default(''),
    license: z.string().max(128).optional(),
    tags: SearchTagsSchema.optional().default([]),
    experimental: z.boolean().optional().default(false),
    dependencies: DependenciesInSchema,
    config: z.union([JsonObjectSchema, z.null()]).optional().transform((c) => c ?? {}),
    functions: z.array(FunctionEntrySchema).max(1000).optional().default([]),
    triggers: z.array(TriggerEntrySchema).max(1000).optional().default([]),
    /** Extension: the worker's registerTrigger calls (HTTP routes...); absent in the public CI's payloads. */
    registered_triggers: RegisteredTriggersSchema.optional(),
    binaries: BinariesSchema.optional(),
    image_tag: OciReferenceSchema.optional(),
    archive_url: z.string().url().max(2048).optional(),
    sha256: Sha256Schema.optional(),
  })
  .superRefine((p, ctx) => {
    // Refinements also run when a field failed its own parse (zod 4): check only what has the right shape.
    const dupes = (items: { name: string }[], key: 'functions' | 'triggers' | 'dependencies') => {
      const first = new Map<string, number>();
      if (!Array.isArray(items)) return;
      items.forEach((item, i) => {
        const seen = first.get(item.name);
        if (seen === undefined) first.set(item.name, i);
        else ctx.addIssue({ code: 'custom', path: [key, i, 'name'], message: `duplicate of ${key}[${seen}]` });
      });
    };
    dupes(p.functions, 'functions');
    dupes(p.triggers, 'triggers');
    dupes(p.dependencies, 'dependencies');
    (Array.isArray(p.dependencies) ? p.dependencies : []).forEach((d, i) => {
      if (d.name === p.worker_name)
        ctx.addIssue({ code: 'custom', path: ['dependencies', i, 'name'], message: 'a worker cannot depend on itself' });
    });
    const needs = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
    if (configBytes(p.config) > MAX_CONFIG_BYTES)
      ctx.addIssue({ code: 'custom', path: ['config'], message: `must be at most ${MAX_CONFIG_BYTES / 1024} KiB of JSON (it travels in every /resolve answer, which the iii CLI caps at 1 MiB)`,
        params: { fix: 'keep only defaults in config and document the rest in the README' } });
    const forbid = (field: 'binaries' | 'image_tag' | 'archive_url' | 'sha256') => {
      if (p[field] !== undefined) needs(field, `not allowed for type ${p.type}`);
    };
    switch (p.type) {
      case 'binary':
        if (!p.binaries || Object.keys(p.binaries).length === 0)
          needs('binaries', 'type binary needs a non-empty binaries map (target triple to {url, sha256})');
        forbid('image_tag');
        forbid('archive_url');
        forbid('sha256');
        break;
      case 'image':
        if (!p.image_tag) ctx.addIssue({ code: 'custom', path: ['image_tag'], message: 'type image needs image_tag (an OCI reference pinned by digest)', params: { fix: IMAGE_DIGEST_FIX } });
        else if (!IMAGE_DIGEST_PATTERN.test(p.image_tag))
          ctx.addIssue({ code: 'custom', path: ['image_tag'], message: 'must be pinned by digest (<ref>@sha256:<64 hex>): the iii CLI refuses image references without one when it writes iii.lock', params: { fix: IMAGE_DIGEST_FIX } });
        forbid('binaries');
        forbid('archive_url');
        forbid('sha256');
        break;
      case 'bundle':
        if ((p.archive_url === undefined) !== (p.sha256 === undefined))
          needs(p.archive_url === undefined ? 'archive_url' : 'sha256', 'archive_url and sha256 go together (or neither, after uploading the archive here)');
        forbid('binaries');
        forbid('image_tag');
        break;
      case 'engine':
        forbid('binaries');
        forbid('image_tag');
        forbid('archive_url');
        forbid('sha256');
        break;
    }
  });
export type PublishPayloadIn = z.input<typeof PublishPayloadSchema>;
export type PublishPayload = z.output<typeof PublishPayloadSchema>;
