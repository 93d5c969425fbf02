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

/**
 * One `registerTrigger` call of the worker: a function bound to a trigger type with its configuration, e.g.
 * `{function_id: 'todos::create', type: 'http', config: {api_path: '/todos', http_method: 'POST'}}`. An
 * extension of ours (the public CI publishes trigger types only); `function_id` is the id the worker
 * registered, which is the function row's name unless metadata renamed it.
 */
export const RegisteredTriggerSchema = z.strictObject({
  function_id: z.string().min(1).max(256),
  type: z.string().min(1).max(256),
  config: z
    .union([JsonObjectSchema, z.null()])
    .optional()
    .transform((c) => c ?? {}),
});
export type RegisteredTrigger = z.infer<typeof RegisteredTriggerSchema>;
export const RegisteredTriggersSchema = z.array(RegisteredTriggerSchema).max(1000);

export const ApiReferenceSchema = z.strictObject({
  functions: z.array(FunctionEntrySchema).default([]),
  triggers: z.array(TriggerEntrySchema).default([]),
  registered_triggers: RegisteredTriggersSchema.optional(),
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

/** What a worker sends in a `registertrigger` frame (bus.md), the trigger type under `type` as the SDK names it. */
export interface TriggerRegistration {
  function_id: string;
  type: string;
  config?: unknown;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The worker's registerTrigger calls in a stable order (by function, type, config), each distinct binding
 * once: the SDK re-sends every trigger on reconnect.
 */
export function registeredTriggersFrom(triggers: TriggerRegistration[]): RegisteredTrigger[] {
  const seen = new Set<string>();
  const out: RegisteredTrigger[] = [];
  for (const t of triggers) {
    const row = { function_id: t.function_id, type: t.type, config: asSchema(t.config) };
    const key = JSON.stringify(row);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(row);
  }
  return out.sort((a, b) => cmp(a.function_id, b.function_id) || cmp(a.type, b.type) || cmp(JSON.stringify(a.config), JSON.stringify(b.config)));
}

/** Builds the API reference from recorded registrations: engine built-ins dropped, sorted by name. */
export function apiReferenceFromRegistrations(
  functions: FunctionRegistration[],
  triggerTypes: TriggerTypeRegistration[],
  triggers: TriggerRegistration[] = [],
): ApiReference {
  const byName = <T extends { name: string }>(a: T, b: T) => cmp(a.name, b.name);
  const registered = registeredTriggersFrom(triggers);
  // Workers like iii-hq/workers todo-worker put a function's description in its HTTP trigger's config only.
  const triggerDescription = (id: string): string | undefined =>
    registered.map((t) => (t.function_id === id && typeof t.config.description === 'string' ? t.config.description.trim() : '')).find((d) => d !== '');
  return {
    functions: functions
      .filter((f) => !f.id.startsWith('engine::'))
      .map((f) => (f.description?.trim() ? f : { ...f, description: triggerDescription(f.id) ?? f.description }))
      .map(functionEntryFromRegistration)
      .sort(byName),
    triggers: triggerTypes
      .filter((t) => !t.id.startsWith('engine::'))
      .map(triggerEntryFromRegistration)
      .sort(byName),
    ...(registered.length > 0 ? { registered_triggers: registered } : {}),
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
