import { FunctionInfoRequestSchema, FunctionInfoResponseSchema, type FunctionInfoResponse } from '@iii-registry/schemas';
import type { IIIClient } from 'iii-sdk';
import { bind, parseInput } from './kits/bind';

export const ENGINE_FUNCTION_INFO_ID = 'directory::engine::functions::info';

/** A thin proxy of `engine::functions::info` (10 s), no registry calls. */
export async function handleFunctionInfo(iii: Pick<IIIClient, 'trigger'>, payload: unknown): Promise<FunctionInfoResponse> {
  const { function_id } = parseInput(FunctionInfoRequestSchema, payload);
  const out = await iii.trigger<unknown, Record<string, unknown>>({ function_id: 'engine::functions::info', payload: { function_id }, timeoutMs: 10_000 });
  const triggers = Array.isArray(out.registered_triggers) ? (out.registered_triggers as Array<Record<string, unknown>>) : [];
  return {
    function_id: typeof out.function_id === 'string' ? out.function_id : function_id,
    worker_name: typeof out.worker_name === 'string' && out.worker_name ? out.worker_name : (function_id.split('::')[0] ?? function_id),
    description: typeof out.description === 'string' ? out.description : null,
    request_schema: out.request_format ?? out.request_schema ?? null,
    response_schema: out.response_format ?? out.response_schema ?? null,
    metadata: out.metadata ?? null,
    registered_triggers: triggers.map((t) => ({ id: String(t.id ?? ''), trigger_type: String(t.trigger_type ?? ''), config: t.config ?? null })),
  };
}

export function register(iii: Pick<IIIClient, 'registerFunction' | 'trigger'>): void {
  bind(iii, {
    id: ENGINE_FUNCTION_INFO_ID, request: FunctionInfoRequestSchema, response: FunctionInfoResponseSchema,
    description: 'What the engine knows about one function: its worker, description, request and response schemas, ' +
      'and the triggers registered for it. `function_id` like "directory::kits::list".',
    handler: (p) => handleFunctionInfo(iii, p),
  });
}
