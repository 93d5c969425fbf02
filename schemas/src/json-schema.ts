import { z } from 'zod';

/**
 * JSON Schema (draft 2020-12) of a zod schema, as the input side (what a writer may send). Used for bus
 * `request_format`/`response_format` and for /openapi.json.
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}
