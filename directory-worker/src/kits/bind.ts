import { toJsonSchema, validate } from '@iii-registry/schemas';
import type { IIIClient } from 'iii-sdk';
import type { z } from 'zod';
import { invalidInput } from '../deps';

/** Validates the payload with the same zod schema that gives `request_format` (unknown keys such as `_caller_worker_id` dropped). */
export function parseInput<S extends z.ZodType>(schema: S, payload: unknown): z.output<S> {
  const input = validate(schema, payload ?? {});
  if (!input.ok) throw invalidInput(input.problems);
  return input.value;
}

export interface FunctionSpec<S extends z.ZodType> {
  id: string;
  description: string;
  request: S;
  response: z.ZodType;
  handler: (payload: unknown) => Promise<unknown>;
}

export function bind<S extends z.ZodType>(iii: Pick<IIIClient, 'registerFunction'>, spec: FunctionSpec<S>): void {
  iii.registerFunction(spec.id, spec.handler, {
    description: spec.description,
    request_format: toJsonSchema(spec.request),
    response_format: toJsonSchema(spec.response, 'output'),
  });
}
