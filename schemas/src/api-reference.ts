import { z } from 'zod';

/**
 * Deepest nesting accepted in stored JSON (config, schemas, metadata). Real schemas stay far below it; the cap keeps
 * every later reader (SQLite's JSON functions stop at 1000, recursive renderers) safe from hostile documents.
 */
export const MAX_JSON_DEPTH = 64;

/** True when `value` nests objects/arrays deeper than `max`; iterative, stops at the first level past the cap. */
export function jsonTooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v as object)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

export const JsonObjectSchema = z
  .record(z.string(), z.unknown())
  .refine((v) => !jsonTooDeep(v), { message: `nests deeper than ${MAX_JSON_DEPTH} levels` });
export type JsonObject = z.infer<typeof JsonObjectSchema>;

/** A JSON Schema object. A missing or null schema means {} ("value unknown"). */
export const JsonSchemaObjectSchema = z
  .union([JsonObjectSchema, z.null()])
  .optional()
  .transform((s) => s ?? {});

export const FunctionEntrySchema = z.strictObject({
  name: z.string().min(1).max(256),
  description: z.string().max(10_000).optional().default(''),
  request_schema: JsonSchemaObjectSchema,
  response_schema: JsonSchemaObjectSchema,
  metadata: JsonSchemaObjectSchema,
});
export type FunctionEntry = z.infer<typeof FunctionEntrySchema>;

export const TriggerEntrySchema = z.strictObject({
  name: z.string().min(1).max(256),
  description: z.string().max(10_000).optional().default(''),
  invocation_schema: JsonSchemaObjectSchema,
  return_schema: JsonSchemaObjectSchema,
  metadata: JsonSchemaObjectSchema,
});
export type TriggerEntry = z.infer<typeof TriggerEntrySchema>;

export const ApiReferenceSchema = z.strictObject({
  functions: z.array(FunctionEntrySchema).default([]),
  triggers: z.array(TriggerEntrySchema).default([]),
});
export type ApiReference = z.infer<typeof ApiReferenceSchema>;

/** GET /workers/{name}/api-reference.json: one version's functions and trigger types exactly as published. */
export const ApiReferenceResponseSchema = z.object({
  name: z.string(),
  version: z.string(),
  functions: z.array(FunctionEntrySchema),
  triggers: z.array(TriggerEntrySchema),
});
export type ApiReferenceResponse = z.infer<typeof ApiReferenceResponseSchema>;

/** What a worker sends in a `registerfunction` frame (bus.md). */
export interface FunctionRegistration {
  id: string;
  description?: string;
  request_format?: unknown;
  response_format?: unknown;
  metadata?: Record<string, unknown>;
}

/** What a worker sends in a `registertriggertype` frame (bus.md). */
export interface TriggerTypeRegistration {
  id: string;
  description?: string;
  trigger_request_format?: unknown;
  call_request_format?: unknown;
}

const asSchema = (v: unknown): JsonObject =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {};

/** Public naming rule: metadata.registry_name, else metadata.name, else the function id. */
export function functionEntryFromRegistration(reg: FunctionRegistration): FunctionEntry {
  const metadata = asSchema(reg.metadata);
  const named = [metadata.registry_name, metadata.name].find((n) => typeof n === 'string' && n.length > 0);
  return {
    name: (named as string | undefined) ?? reg.id,
    description: reg.description ?? '',
    request_schema: asSchema(reg.request_format),
    response_schema: asSchema(reg.response_format),
    metadata,
  };
}

export function triggerEntryFromRegistration(reg: TriggerTypeRegistration): TriggerEntry {
  return {
    name: reg.id,
    description: reg.description ?? '',
    invocation_schema: asSchema(reg.trigger_request_format),
    return_schema: asSchema(reg.call_request_format),
    metadata: {},
  };
}

/** Builds the API reference from recorded registrations: engine built-ins dropped, sorted by name. */
export function apiReferenceFromRegistrations(
  functions: FunctionRegistration[],
  triggerTypes: TriggerTypeRegistration[],
): ApiReference {
  const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return {
    functions: functions
      .filter((f) => !f.id.startsWith('engine::'))
      .map(functionEntryFromRegistration)
      .sort(byName),
    triggers: triggerTypes
      .filter((t) => !t.id.startsWith('engine::'))
      .map(triggerEntryFromRegistration)
      .sort(byName),
  };
}

/** A schema of {} tells a reader nothing: the publisher warns about these. */
export function unknownSchemas(ref: ApiReference): string[] {
  const empty = (s: JsonObject) => Object.keys(s).length === 0;
  const out: string[] = [];
  ref.functions.forEach((f, i) => {
    if (empty(f.request_schema)) out.push(`functions[${i}].request_schema (${f.name})`);
    if (empty(f.response_schema)) out.push(`functions[${i}].response_schema (${f.name})`);
  });
  return out;
}
