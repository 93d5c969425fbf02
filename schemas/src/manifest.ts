import { z } from 'zod';
import { RangeSchema, SlugSchema, VersionSchema } from './names';
import { JsonObjectSchema } from './api-reference';
import { SearchTagsSchema } from './publish';
import { WorkerTypeSchema } from './artifacts';

export const MANIFEST_FILES = ['package.json', 'Cargo.toml', 'pyproject.toml'] as const;

/** Artifact kinds a `deploy:` key can name (the engine accepts any string there; the registry knows these). */
export const DEPLOY_KINDS = ['binary', 'image', 'bundle'] as const;

/** Bundle sandboxes are capped (engine worker_manifest.rs: "bundle workers are capped at 4" / 4096 MiB). */
export const BUNDLE_MAX_CPUS = 4;
export const BUNDLE_MAX_MEMORY_MIB = 4096;

const u32 = z.number().int().min(0).max(4_294_967_295);

/**
 * YAML `null` (`key:` with nothing after it) is an absent field for the engine (worker_manifest.rs `present`);
 * drop such keys at the top level and in its sections before the shape is checked.
 */
function dropNulls(doc: unknown): unknown {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return doc;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (v === null) continue;
    out[k] =
      ['runtime', 'scripts', 'resources'].includes(k) && v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).filter(([, sub]) => sub !== null))
        : v;
  }
  return out;
}

/**
 * `iii.worker.yaml` (formats.md), as the engine's own parser reads it (iii-hq/iii
 * crates/iii-worker/src/cli/worker_manifest.rs): only `name` is required; `iii`, `deploy`, `manifest`, `tags`
 * are publish metadata; `entry`, `language`, `config` and the `runtime` knobs are deprecated but accepted.
 * Unknown keys are errors, as the engine refuses them too. The registry's own optional keys (`version`, `type`,
 * `license`, `repo`, `bin`) carry what the engine does not define; the publisher can take each of them from a
 * flag or from package.json / Cargo.toml / pyproject.toml instead (publisher/src/metadata.ts).
 */
export const WorkerManifestSchema = z.preprocess(
  dropNulls,
  z
    .strictObject({
      iii: z.string().max(16).optional(),
      name: SlugSchema,
      description: z.string().max(1000).optional(),
      runtime: z
        .strictObject({
          base_image: z.string().max(512).optional(),
          kind: z.string().optional(),
          package_manager: z.string().optional(),
          entry: z.string().optional(),
          language: z.string().optional(),
        })
        .optional(),
      scripts: z
        .strictObject({ setup: z.string().optional(), install: z.string().optional(), start: z.string().optional() })
        .optional(),
      env: z.record(z.string(), z.string()).optional(),
      dependencies: z.record(SlugSchema, RangeSchema).optional(),
      resources: z.strictObject({ cpus: u32.optional(), memory: u32.optional() }).optional(),
      deploy: z.string().max(32).optional(),
      manifest: z.string().max(256).optional(),
      tags: SearchTagsSchema.optional(),
      config: JsonObjectSchema.optional(),
      language: z.string().max(32).optional(),
      entry: z.string().max(1024).optional(),
      // Registry publish metadata beyond the engine's keys.
      version: VersionSchema.optional(),
      type: WorkerTypeSchema.optional(),
      license: z.string().max(128).optional(),
      repo: z.string().max(2048).optional(),
      bin: z.string().min(1).max(128).optional(),
    })
    .superRefine((m, ctx) => {
      if (m.dependencies && m.name in m.dependencies)
        ctx.addIssue({ code: 'custom', path: ['dependencies', m.name], message: 'a worker cannot depend on itself' });
    }),
);
export type WorkerManifest = z.infer<typeof WorkerManifestSchema>;

/** Top-level keys the manifest may carry, for messages. */
export const MANIFEST_KEYS = [
  'iii', 'name', 'description', 'runtime', 'scripts', 'env', 'dependencies', 'resources', 'deploy', 'manifest', 'tags',
  'config', 'language', 'entry', 'version', 'type', 'license', 'repo', 'bin',
] as const;

/** The stricter rules a bundle's own manifest must meet before an archive is stored (formats.md, W180). */
export function bundleManifestProblems(m: WorkerManifest, expectedName?: string): string[] {
  const out: string[] = [];
  if (expectedName !== undefined && m.name !== expectedName)
    out.push(`name: '${m.name}' differs from the worker being published ('${expectedName}')`);
  if (m.scripts?.setup !== undefined) out.push('scripts.setup: not allowed in a bundle (install-time code execution)');
  if (m.scripts?.install !== undefined) out.push('scripts.install: not allowed in a bundle (install-time code execution)');
  if (m.runtime?.base_image !== undefined) out.push('runtime.base_image: not allowed in a bundle (arbitrary base image)');
  if (!m.scripts?.start) out.push('scripts.start: required for bundles');
  if (m.resources?.cpus !== undefined && m.resources.cpus > BUNDLE_MAX_CPUS) out.push(`resources.cpus: at most ${BUNDLE_MAX_CPUS} for bundles`);
  if (m.resources?.memory !== undefined && m.resources.memory > BUNDLE_MAX_MEMORY_MIB)
    out.push(`resources.memory: at most ${BUNDLE_MAX_MEMORY_MIB} MiB for bundles`);
  return out;
}
