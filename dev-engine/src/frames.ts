import type { FunctionRegistration, TriggerTypeRegistration } from '@iii-registry/schemas';

/**
 * The engine frames of bus.md, as the development engine reads them. Only the fields the engine acts on are
 * typed; everything else a worker sends is kept as-is (frames are forwarded or recorded verbatim).
 */
export type ErrorBody = { code: string; message: string; stacktrace?: string };

export type RegisterFunctionFrame = FunctionRegistration & { type: 'registerfunction'; [key: string]: unknown };
export type RegisterTriggerTypeFrame = TriggerTypeRegistration & {
  type: 'registertriggertype';
  [key: string]: unknown;
};

export type RegisterTriggerFrame = { type: 'registertrigger'; id: string; trigger_type: string; function_id: string; config?: unknown };

export type InvokeFrame = {
  type: 'invokefunction';
  invocation_id?: string;
  function_id: string;
  data: unknown;
  action?: { type: 'void' } | { type: 'enqueue'; queue: string };
  metadata?: unknown;
  traceparent?: string;
  baggage?: string;
};

export type ResultFrame = {
  type: 'invocationresult';
  invocation_id: string;
  function_id: string;
  result?: unknown;
  error?: ErrorBody;
};

export type Frame =
  | RegisterFunctionFrame
  | RegisterTriggerTypeFrame
  | InvokeFrame
  | ResultFrame
  | { type: 'unregisterfunction'; id: string }
  | { type: 'unregistertriggertype'; id: string }
  | RegisterTriggerFrame
  | { type: 'unregistertrigger'; id: string; trigger_type?: string }
  | { type: 'reattach'; previous_worker_id: string; reattach_token: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const str = (v: unknown): boolean => typeof v === 'string' && v.length > 0;

/** Required string fields per frame type. A frame missing one is undecodable, and dropped like the real engine does. */
const REQUIRED: Record<string, string[]> = {
  registerfunction: ['id'],
  unregisterfunction: ['id'],
  registertriggertype: ['id'],
  unregistertriggertype: ['id'],
  registertrigger: ['id', 'trigger_type', 'function_id'],
  unregistertrigger: ['id'],
  invokefunction: ['function_id'],
  invocationresult: ['invocation_id'],
  reattach: ['previous_worker_id', 'reattach_token'],
};

/** Parses one text frame; null for anything the real engine would drop (bad JSON, unknown type, missing fields). */
export function parseFrame(raw: string): Frame | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(value) || typeof value.type !== 'string') return null;
  const required = REQUIRED[value.type];
  if (!required || !required.every((k) => str(value[k]))) return null;
  // The engine requires `data` on every invocation (bus.md); a frame without it fails to decode.
  if (value.type === 'invokefunction' && !('data' in value)) return null;
  return value as Frame;
}

export { isObject };
