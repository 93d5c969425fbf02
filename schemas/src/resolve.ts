import { z } from 'zod';
import { BinariesSchema, TargetTripleSchema } from './artifacts';
import { JsonObjectSchema } from './api-reference';
import { SlugSchema } from './names';

export const ResolveRequestSchema = z.strictObject({
  worker: SlugSchema,
  version: z.string().max(256).optional().default(''),
  target: TargetTripleSchema.optional(),
});
export type ResolveRequest = z.infer<typeof ResolveRequestSchema>;

const NodeBase = {
  name: z.string(),
  version: z.string(),
  repo: z.string(),
  config: JsonObjectSchema,
  dependencies: z.record(z.string(), z.string()),
};

export const GraphNodeSchema = z.discriminatedUnion('type', [
  z.object({ ...NodeBase, type: z.literal('binary'), binaries: BinariesSchema }),
  z.object({ ...NodeBase, type: z.literal('image'), image: z.string() }),
  z.object({ ...NodeBase, type: z.literal('bundle'), archive_url: z.string().optional(), sha256: z.string().optional() }),
  z.object({ ...NodeBase, type: z.literal('engine') }),
]);
export type GraphNode = z.infer<typeof GraphNodeSchema>;

export const EdgeSchema = z.object({ from: z.string(), to: z.string(), range: z.string() });
export type Edge = z.infer<typeof EdgeSchema>;

export const ResolveResponseSchema = z.object({
  root: z.object({ name: z.string(), version: z.string() }),
  target: z.string().nullable().optional(),
  graph: z.array(GraphNodeSchema),
  edges: z.array(EdgeSchema),
});
export type ResolveResponse = z.infer<typeof ResolveResponseSchema>;
