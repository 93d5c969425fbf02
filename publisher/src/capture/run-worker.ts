import type { FunctionRegistration, TriggerRegistration, TriggerTypeRegistration } from '@iii-registry/schemas';
import { startDevEngine } from '@iii-registry/dev-engine';
import { CliError, EXIT } from '../errors';
import { killTree, spawnGroup, Tail } from './process-tree';

export interface RunWorkerOptions {
  cwd: string;
  /** Shell command that starts the worker (manifest scripts.start or --start). */
  command: string;
  /** Quiet time after engine::workers::register before the capture is complete. */
  settleMs: number;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

export interface RegistrationCapture {
  functions: FunctionRegistration[];
  triggerTypes: TriggerTypeRegistration[];
  /** registerTrigger calls (a function bound to a trigger type: an HTTP route, a cron schedule...). */
  triggers: TriggerRegistration[];
  /** The engine::workers::register payloads received ({name, runtime, version, pid, ...}). */
  workers: Record<string, unknown>[];
  /** The pid of the process group leader we spawned, so callers (and tests) can check it is gone. */
  pid?: number;
}

const pickFunction = (f: FunctionRegistration): FunctionRegistration => ({
  id: f.id,
  description: f.description,
  request_format: f.request_format,
  response_format: f.response_format,
  metadata: f.metadata,
});

const pickTriggerType = (t: TriggerTypeRegistration): TriggerTypeRegistration => ({
  id: t.id,
  description: t.description,
  trigger_request_format: t.trigger_request_format,
  call_request_format: t.call_request_format,
});

/**
 * Runs the worker against a development engine on an ephemeral 127.0.0.1 port and records what it
 * registers. Done once engine::workers::register arrived (the SDK sends it after every trigger type and
 * function) and nothing more came for `settleMs`. The worker's process group is always killed and the
 * engine always closed, whatever happens.
 */
export async function captureFromWorker(options: RunWorkerOptions): Promise<RegistrationCapture> {
  const engine = await startDevEngine({ port: 0, host: '127.0.0.1' });
  const functions = new Map<string, FunctionRegistration>();
  const triggerTypes = new Map<string, TriggerTypeRegistration>();
  // Keyed by the trigger's id; an unregistertrigger is rare during start-up and not tracked.
  const triggers = new Map<string, TriggerRegistration>();
  const workers: Record<string, unknown>[] = [];
  const stderr = new Tail();
  const stdout = new Tail();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Telemetry of a worker under capture is noise; an author can still force it on.
    OTEL_ENABLED: process.env.OTEL_ENABLED ?? 'false',
    ...options.env,
    III_URL: engine.url,
    III_ENGINE_URL: engine.url,
  };
  const child = spawnGroup(options.command, options.cwd, env);
  child.stderr?.on('data', (c: Buffer) => stderr.push(c));
  child.stdout?.on('data', (c: Buffer) => stdout.push(c));
  const lastLines = () => {
    const lines = stderr.get();
    if (lines.length > 0) return ['worker stderr (last lines):', ...lines];
    const out = stdout.get();
    return out.length > 0 ? ['worker stdout (last lines; stderr was empty):', ...out] : ['(the worker wrote nothing to stderr)'];
  };

  try {
    await new Promise<void>((resolve, reject) => {
      let registered = false;
      let settle: NodeJS.Timeout | undefined;
      const fail = (message: string, fix: string) =>
        reject(new CliError(EXIT.capture, 'capture_failed', message, fix, [], lastLines()));
      const timeout = setTimeout(
        () =>
          fail(
            registered
              ? `the worker kept registering for ${options.timeoutMs} ms`
              : `the worker did not register within ${options.timeoutMs} ms (no engine::workers::register call)`,
            `Check that \`${options.command}\` connects to the engine at $III_URL (iii-sdk: registerWorker(process.env.III_URL)), or raise --timeout-ms.`,
          ),
        options.timeoutMs,
      );
      const finish = () => {
        clearTimeout(timeout);
        clearTimeout(settle);
        resolve();
      };
      const bump = () => {
        if (!registered) return;
        clearTimeout(settle);
        settle = setTimeout(finish, options.settleMs);
      };
      engine.on('registerfunction', (_id, frame) => {
        functions.set(frame.id, pickFunction(frame));
        bump();
      });
      engine.on('registertriggertype', (_id, frame) => {
        triggerTypes.set(frame.id, pickTriggerType(frame));
        bump();
      });
      engine.on('registertrigger', (_id, frame) => {
        triggers.set(frame.id, { function_id: frame.function_id, type: frame.trigger_type, config: frame.config });
        bump();
      });
      engine.on('workerregistered-call', (_id, payload) => {
        workers.push(payload);
        registered = true;
        bump();
      });
      child.on('error', (error) => {
        clearTimeout(timeout);
        fail(`could not start \`${options.command}\`: ${error.message}`, 'Check scripts.start in iii.worker.yaml or --start.');
      });
      child.on('exit', (code, signal) => {
        if (registered) return finish();
        clearTimeout(timeout);
        fail(
          `the worker exited (${signal ?? `code ${code}`}) before it registered`,
          `Run \`${options.command}\` yourself with III_URL set to see why it stops.`,
        );
      });
    });
  } finally {
    if (child.pid !== undefined) await killTree(child.pid);
    await engine.close();
  }
  return { functions: [...functions.values()], triggerTypes: [...triggerTypes.values()], triggers: [...triggers.values()], workers, pid: child.pid };
}
