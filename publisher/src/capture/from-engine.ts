import { registerWorker } from 'iii-sdk';
import type { FunctionRegistration, TriggerRegistration, TriggerTypeRegistration } from '@iii-registry/schemas';
import { CliError, EXIT } from '../errors';
import type { RegistrationCapture } from './run-worker';

export interface FromEngineOptions {
  /** ws://host:port of a running iii engine where the worker is connected. */
  url: string;
  /** The name the worker registered with (engine::workers::list); defaults to the manifest name. */
  workerName: string;
  timeoutMs: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const rows = (v: unknown, key: string): Record<string, unknown>[] =>
  isObject(v) && Array.isArray(v[key]) ? (v[key] as unknown[]).filter(isObject) : [];
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Reads a worker's interface from a live engine through its built-ins, the way the public CI does
 * (bus.md): wait until engine::workers::list shows the worker, then engine::functions::list
 * {include_internal: true} and ::info per function, engine::triggers::list and ::info per trigger type.
 */
export async function captureFromEngine(options: FromEngineOptions): Promise<RegistrationCapture> {
  // The SDK chats on console.log ("[iii] Worker registered ..."), which would corrupt --json on stdout.
  const restoreConsole = quietConsole();
  const iii = registerWorker(options.url, {
    workerName: 'iii-publish',
    workerDescription: 'iii-publish reading a worker interface',
    invocationTimeoutMs: Math.min(options.timeoutMs, 10_000),
    otel: { enabled: false },
    enableMetricsReporting: false,
  });
  const call = async (function_id: string, payload: Record<string, unknown>): Promise<unknown> =>
    iii.trigger({ function_id, payload });
  const deadline = Date.now() + options.timeoutMs;
  try {
    let worker: Record<string, unknown> | undefined;
    let lastError = '';
    while (!worker && Date.now() < deadline) {
      try {
        worker = rows(await call('engine::workers::list', {}), 'workers').find((w) => w.name === options.workerName);
      } catch (error) {
        lastError = (error as Error).message;
      }
      if (!worker) await sleep(200);
    }
    if (!worker)
      throw new CliError(
        EXIT.capture,
        'capture_failed',
        `no worker named '${options.workerName}' appeared on ${options.url} within ${options.timeoutMs} ms`,
        'Start the worker against that engine first, or pass --worker-name with the name it registers.',
        [],
        lastError ? [`last error: ${lastError}`] : [],
      );

    const listed = rows(await call('engine::functions::list', { include_internal: true }), 'functions').filter(
      (f) => f.worker_name === options.workerName && !String(f.function_id).startsWith('engine::'),
    );
    const functions: FunctionRegistration[] = [];
    const triggers: TriggerRegistration[] = [];
    for (const f of listed) {
      const info = await call('engine::functions::info', { function_id: String(f.function_id) });
      if (!isObject(info)) continue;
      // The engine lists each function's trigger bindings as registered_triggers [{id, trigger_type, config}].
      for (const t of rows(info, 'registered_triggers'))
        if (typeof t.trigger_type === 'string') triggers.push({ function_id: String(info.function_id ?? f.function_id), type: t.trigger_type, config: t.config });
      functions.push({
        id: String(info.function_id ?? f.function_id),
        description: str(info.description) ?? str(f.description),
        request_format: info.request_schema ?? undefined,
        response_format: info.response_schema ?? undefined,
        metadata: isObject(info.metadata) ? info.metadata : isObject(f.metadata) ? f.metadata : undefined,
      });
    }

    const triggerTypes: TriggerTypeRegistration[] = [];
    const types = rows(await call('engine::triggers::list', {}), 'triggers').filter(
      (t) => t.worker_name === options.workerName && !String(t.id).startsWith('engine::'),
    );
    for (const t of types) {
      const info = await call('engine::triggers::info', { id: String(t.id) });
      triggerTypes.push({
        id: String(t.id),
        description: str(isObject(info) ? info.description : undefined) ?? str(t.description),
        trigger_request_format: isObject(info) ? info.configuration_schema ?? undefined : undefined,
        call_request_format: isObject(info) ? info.request_schema ?? undefined : undefined,
      });
    }
    return { functions, triggerTypes, triggers, workers: [worker] };
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(
      EXIT.capture,
      'capture_failed',
      `reading the interface from ${options.url} failed: ${(error as Error).message}`,
      'Check that --engine points at a running iii engine.',
    );
  } finally {
    await iii.shutdown();
    restoreConsole();
  }
}

function quietConsole(): () => void {
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) console[m] = () => {};
  return () => methods.forEach((m, i) => (console[m] = saved[i]));
}
