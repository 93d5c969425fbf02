import { z } from 'zod';
import { RangeSchema, SlugSchema, VersionSchema } from './names';
import { JsonObjectSchema } from './api-reference';
import { SearchTagsSchema } from './publish';

export const MANIFEST_FILES = ['package.json', 'Cargo.toml', 'pyproject.toml'] as const;

/** `iii.worker.yaml` (formats.md). Unknown keys are errors, as the engine refuses them too. */
export const WorkerManifestSchema = z
  .strictObject({
    iii: z.literal('v1'),
    name: SlugSchema,
    version: VersionSchema.optional(),
    language: z.enum(['rust', 'node', 'python']).optional(),
    deploy: z.enum(['binary', 'image', 'bundle']).optional(),
    type: z.literal('engine').optional(),
    manifest: z.enum(MANIFEST_FILES).optional(),
    bin: z.string().min(1).max(128).optional(),
    description: z.string().max(1000).optional(),
    license: z.string().max(128).optional(),
    repo: z.string().max(2048).optional(),
    tags: SearchTagsSchema.optional(),
    dependencies: z.record(SlugSchema, RangeSchema).optional(),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional(),
    runtime: z
      .strictObject({
        base_image: z.string().optional(),
        language: z.string().optional(),
        entry: z.string().optional(),
        kind: z.string().optional(),
        package_manager: z.string().optional(),
      })
      .optional(),
    scripts: z
      .strictObject({ setup: z.string().optional(), install: z.string().optional(), start: z.string().optional() })
      .optional(),
    resources: z
      .strictObject({
        cpus: z.number().positive().max(4, { message: 'at most 4' }).default(2),
        memory: z.number().int().positive().max(4096, { message: 'at most 4096 MiB' }).default(2048),
      })
      .optional(),
    config: JsonObjectSchema.optional(),
  })
  .superRefine((m, ctx) => {
    if (m.deploy && m.type === 'engine')
      ctx.addIssue({ code: 'custom', path: ['type'], message: 'type: engine and deploy cannot both be set' });
    if (!m.deploy && m.type !== 'engine')
      ctx.addIssue({ code: 'custom', path: ['deploy'], message: 'set deploy (binary | image | bundle), or type: engine' });
    if (m.version === undefined && m.manifest === undefined)
      ctx.addIssue({ code: 'custom', path: ['version'], message: 'set version, or manifest naming the file that carries it' });
    if (m.dependencies && m.name in m.dependencies)
      ctx.addIssue({ code: 'custom', path: ['dependencies', m.name], message: 'a worker cannot depend on itself' });
  });
export type WorkerManifest = z.infer<typeof WorkerManifestSchema>;

/** The stricter rules a bundle's own manifest must meet before an archive is stored (formats.md, W180). */
export function bundleManifestProblems(m: WorkerManifest, expectedName?: string): string[] {
  const out: string[] = [];
  if (expectedName !== undefined && m.name !== expectedName)
    out.push(`name: '${m.name}' differs from the worker being published ('${expectedName}')`);
  if (m.scripts?.setup !== undefined) out.push('scripts.setup: not allowed in a bundle (install-time code execution)');
  if (m.scripts?.install !== undefined) out.push('scripts.install: not allowed in a bundle (install-time code execution)');
  if (m.runtime?.base_image !== undefined) out.push('runtime.base_image: not allowed in a bundle (arbitrary base image)');
  if (!m.scripts?.start) out.push('scripts.start: required for bundles');
  return out;
}
