import type { RegisterFunctionFrame, RegisterTriggerTypeFrame } from './frames';
import { isObject } from './frames';

/** What the built-ins can see of the engine's state. */
export interface EngineView {
  workers: Map<string, WorkerRecord>;
  /** Every live registration of each function id, newest last (workers that register the same id share it). */
  functions: Map<string, FunctionRegistration[]>;
  triggerTypes: Map<string, { owner: string; frame: RegisterTriggerTypeFrame }>;
  triggers: Map<string, { owner: string; trigger_type: string; function_id: string; config?: unknown }>;
  activeInvocations(workerId: string): number;
}

export interface FunctionRegistration {
  owner: string;
  frame: RegisterFunctionFrame;
}

/** The newest registration describes a function (its description and schemas). */
export const newest = (regs: FunctionRegistration[]): FunctionRegistration => regs[regs.length - 1];

export interface WorkerRecord {
  id: string;
  connectedAtMs: number;
  ip: string;
  /** The payload of the worker's `engine::workers::register` call, once made. */
  meta?: Record<string, unknown>;
}

/** A built-in that refuses its input; the engine answers it with this code. */
export class BuiltinError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const BUILTIN_IDS = [
  'engine::workers::register',
  'engine::workers::list',
  'engine::functions::list',
  'engine::functions::info',
  'engine::triggers::list',
  'engine::triggers::info',
] as const;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

function workerName(view: EngineView, workerId: string): string {
  const name = view.workers.get(workerId)?.meta?.name;
  return typeof name === 'string' ? name : workerId;
}

function functionsList(view: EngineView, p: Record<string, unknown>) {
  const search = text(p.search)?.toLowerCase();
  const prefix = text(p.prefix);
  const names = new Set([text(p.worker), ...(Array.isArray(p.workers) ? p.workers.map(text) : [])].filter(Boolean));
  const rows: Array<Record<string, unknown>> = [];
  if (p.include_internal === true)
    for (const id of BUILTIN_IDS) rows.push({ function_id: id, worker_name: 'engine' });
  for (const [id, regs] of view.functions) {
    const { owner, frame } = newest(regs);
    const row: Record<string, unknown> = { function_id: id, worker_name: workerName(view, owner) };
    if (frame.description !== undefined) row.description = frame.description;
    if (frame.metadata !== undefined) row.metadata = frame.metadata;
    rows.push(row);
  }
  const functions = rows.filter((r) => {
    const id = String(r.function_id);
    if (prefix && !id.startsWith(prefix)) return false;
    if (names.size > 0 && !names.has(String(r.worker_name))) return false;
    if (search && !`${id} ${String(r.description ?? '')}`.toLowerCase().includes(search)) return false;
    return true;
  });
  return { functions };
}

function functionInfo(view: EngineView, id: string) {
  const regs = view.functions.get(id);
  if (!regs) throw new BuiltinError('function_not_found', `Function ${id} not found`);
  const { frame, owner } = newest(regs);
  const registered_triggers = [...view.triggers.entries()]
    .filter(([, t]) => t.function_id === id)
    .map(([triggerId, t]) => ({ id: triggerId, trigger_type: t.trigger_type, config: t.config ?? null }));
  return {
    function_id: id,
    worker_name: workerName(view, owner),
    description: frame.description ?? null,
    request_schema: frame.request_format ?? null,
    response_schema: frame.response_format ?? null,
    metadata: frame.metadata ?? null,
    registered_triggers,
  };
}

function functionsInfo(view: EngineView, p: Record<string, unknown>) {
  if (Array.isArray(p.function_ids)) {
    if (p.function_ids.length > 32) throw new BuiltinError('invalid_request', 'at most 32 function_ids');
    return { functions: p.function_ids.map((id) => functionInfo(view, String(id))) };
  }
  const id = text(p.function_id);
  if (!id) throw new BuiltinError('invalid_request', 'function_id or function_ids is required');
  return functionInfo(view, id);
}

function workersList(view: EngineView, p: Record<string, unknown>) {
  const search = text(p.search)?.toLowerCase();
  const runtime = text(p.runtime);
  const status = text(p.status);
  const workers = [...view.workers.values()]
    .filter((w) => w.meta)
    .map((w) => {
      const meta = w.meta ?? {};
      return {
        name: workerName(view, w.id),
        description: meta.description ?? null,
        version: meta.version ?? null,
        id: w.id,
        runtime: meta.runtime ?? null,
        os: meta.os ?? null,
        status: 'connected',
        function_count: [...view.functions.values()].filter((regs) => regs.some((r) => r.owner === w.id)).length,
        connected_at_ms: w.connectedAtMs,
        active_invocations: view.activeInvocations(w.id),
        isolation: meta.isolation ?? null,
        ip_address: w.ip,
      };
    })
    .filter((w) => (!search || `${w.name} ${String(w.description ?? '')}`.toLowerCase().includes(search)) &&
      (!runtime || w.runtime === runtime) && (!status || w.status === status));
  return { workers };
}

function triggersList(view: EngineView) {
  const triggers = [...view.triggerTypes.entries()].map(([id, t]) => ({
    id,
    worker_name: workerName(view, t.owner),
    description: t.frame.description ?? '',
  }));
  return { triggers };
}

function triggerInfo(view: EngineView, p: Record<string, unknown>) {
  const id = text(p.id);
  const entry = id ? view.triggerTypes.get(id) : undefined;
  if (!id || !entry) throw new BuiltinError('trigger_type_not_found', `Trigger type ${id ?? '(none)'} not found`);
  return {
    id,
    worker_name: workerName(view, entry.owner),
    description: entry.frame.description ?? '',
    configuration_schema: entry.frame.trigger_request_format ?? null,
    request_schema: entry.frame.call_request_format ?? null,
  };
}

export const isBuiltin = (functionId: string): boolean => (BUILTIN_IDS as readonly string[]).includes(functionId);

/**
 * Runs one built-in for `callerId`. `engine::workers::register` mutates the caller's record; the rest only read.
 * Unknown keys (such as `_caller_worker_id`) are ignored, as the real engine does.
 */
export function runBuiltin(view: EngineView, callerId: string, functionId: string, data: unknown): unknown {
  const p = isObject(data) ? data : {};
  switch (functionId) {
    case 'engine::workers::register': {
      const worker = view.workers.get(callerId);
      if (worker) worker.meta = { ...p };
      return null;
    }
    case 'engine::workers::list':
      return workersList(view, p);
    case 'engine::functions::list':
      return functionsList(view, p);
    case 'engine::functions::info':
      return functionsInfo(view, p);
    case 'engine::triggers::list':
      return triggersList(view);
    case 'engine::triggers::info':
      return triggerInfo(view, p);
    default:
      throw new BuiltinError('function_not_found', `Function ${functionId} not found`);
  }
}
