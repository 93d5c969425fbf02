import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerWorker, type IIIClient } from 'iii-sdk';
import { freePort, REPO_ROOT as ROOT, startRegistryProcess } from '../../registry-server/src/child-process';

/** Real processes for the directory e2e tests: the dev engine, the registry and the iii-directory worker. */
export { freePort };
export const DIRECTORY_IDS = ['directory::registry::workers::info', 'directory::registry::workers::list'];

/** Thrown from an `until` check to stop waiting at once (a process died). */
export class Fatal extends Error {}

/** Polls until `check` holds; bounded so a broken part fails the test instead of hanging it. */
export async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string,
  timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      if (err instanceof Fatal) throw err;
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

export interface Proc {
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs `node <args>` from the repo root, keeping its output for failure messages. */
function spawnProc(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export const spawnNode = (args: string[], env: Record<string, string> = {}): Proc =>
  spawnProc(['--import', 'tsx', ...args], env);

export async function startEngineProcess(port: number): Promise<Proc> {
  const proc = spawnNode(['dev-engine/src/main.ts', '--port', String(port)]);
  await until(() => {
    if (proc.child.exitCode !== null) throw new Fatal(`dev engine exited: ${proc.output()}`);
    return proc.output().includes('listening on');
  }, `the dev engine on port ${port}`);
  return proc;
}

export interface Registry {
  url: string;
  apiKey: string;
  output(): string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the process and removes its data directory. */
  dispose(): Promise<void>;
}

/** The real registry as a child process, seeded, on a free port, with a temp data dir kept across restarts. */
export async function startRegistry(): Promise<Registry> {
  const dataDir = mkdtempSync(join(tmpdir(), 'iii-directory-e2e-'));
  const proc = await startRegistryProcess({ dataDir, timeoutMs: 45_000,
    env: { REGISTRY_READ_RATE_LIMIT: '0', REGISTRY_PUBLISH_RATE_LIMIT: '0', LOG_LEVEL: 'warn' } });
  return {
    url: proc.url,
    apiKey: proc.apiKey,
    output: () => proc.output(),
    // Same port and data dir, so the worker's configured registry URL works again.
    start: () => proc.restart(),
    stop: () => proc.stop(),
    async dispose() {
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Publishes an image worker (no artifact to host) through POST /publish. */
export async function publish(registry: Registry, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${registry.url}/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': registry.apiKey },
    body: JSON.stringify({ type: 'image', image_tag: `ghcr.io/iii-e2e/${String(body.worker_name)}:${String(body.version)}@sha256:${'e'.repeat(64)}`, ...body }),
  });
  if (res.status !== 200) throw new Error(`publish ${String(body.worker_name)}@${String(body.version)}: ${res.status} ${await res.text()}`);
}

/** The worker through its `iii-directory` bin, exactly as `npx iii-directory` runs it. */
export const startWorkerProcess = (engineUrl: string, registryUrl: string, extra: string[] = [], env: Record<string, string> = {}): Proc =>
  spawnProc([join(ROOT, 'directory-worker/bin/iii-directory.mjs'), '--url', engineUrl, '--registry', registryUrl, ...extra], env);

/** A second, unmodified iii-sdk client that plays the agent. */
export function callerClient(engineUrl: string): IIIClient {
  return registerWorker(engineUrl, { workerName: 'e2e-caller', otel: { enabled: false }, enableMetricsReporting: false });
}

/**
 * Waits until the engine lists every directory function under the worker's name (after a start or a reconnect).
 * The name arrives with the SDK's fire-and-forget engine::workers::register, which can land after the functions.
 */
export async function waitForDirectory(caller: IIIClient, timeoutMs = 20_000): Promise<void> {
  await until(async () => {
    const { functions } = await caller.trigger<unknown, { functions: Array<{ function_id: string; worker_name: string }> }>({
      function_id: 'engine::functions::list', payload: { prefix: 'directory::' }, timeoutMs: 2_000 });
    const ids = functions.filter((f) => f.worker_name === 'iii-directory').map((f) => f.function_id);
    return DIRECTORY_IDS.every((id) => ids.includes(id));
  }, 'the directory functions on the engine', timeoutMs);
}
