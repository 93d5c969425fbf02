import { z } from 'zod';
import { toJsonSchema } from './json-schema';
import { KitHandleSchema, KitNameSchema, KitTagNameSchema } from './kits';
import { VersionSchema } from './names';

export const KIT_MANIFEST_FILE = 'iii.kit.yaml';

/**
 * `iii.kit.yaml`, the kit manifest `iii-publish kit` reads (docs/kits.md). Written by hand: the keys mirror the
 * publish body, `workers` is a plain `name: range` map, and files are found on disk (`agents/*.md`,
 * `skills/**.md`, `README.md`) rather than listed.
 */
export const KitManifestSchema = z.strictObject({
  /** `<handle>/<name>`, for example `acme/kanban-team`. */
  kit: z.string().refine((v) => {
    const [h, n, ...rest] = v.split('/');
    return rest.length === 0 && KitHandleSchema.safeParse(h).success && KitNameSchema.safeParse(n ?? '').success;
  }, { message: 'must be <handle>/<name>: handle ^[a-z0-9][a-z0-9-]{0,38}$, name ^[a-z0-9][a-z0-9-]{0,63}$' }),
  version: VersionSchema,
  description: z.string().max(1000).optional(),
  license: z.string().max(100).optional(),
  repo: z.string().max(500).optional(),
  tags: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, { message: 'must match ^[a-z0-9][a-z0-9-]{0,31}$' })).max(20).optional(),
  experimental: z.boolean().optional(),
  /** Release notes of this version (shown on the versions tab and in update plans). */
  notes: z.string().max(20_000).optional(),
  /** Release tag set on publish besides `latest` (for example `next`). */
  tag: KitTagNameSchema.optional(),
  /** Registry workers the agents need: `name: range` (`kanban: ^1.4`). */
  workers: z.record(z.string(), z.string()).default({}),
  /** README file to publish (default `README.md` when it exists). */
  readme: z.string().optional(),
});
export type KitManifest = z.output<typeof KitManifestSchema>;

/** JSON Schema (draft 2020-12) of `iii.kit.yaml`, for editors (`# yaml-language-server: $schema=...`). */
export function kitManifestJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://workers.iii.dev/schemas/iii.kit.schema.json',
    title: 'iii.kit.yaml',
    description: 'Kit manifest read by `iii-publish kit`: agent profiles (agents/*.md), skills (skills/**.md) and the registry workers they need.',
    ...toJsonSchema(KitManifestSchema),
  };
}
