/**
 * The registry (or any HTTP server with GET /healthz) as a child process: spawned from the repo root whatever the
 * caller's cwd, on a free or fixed 127.0.0.1 port, and awaited (bounded) until /healthz answers 200. The demo,
 * the bench and the e2e tests all start servers through here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repo root: `--import tsx` resolves from the child's cwd, so children run there. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** What `npm start` runs: the prebuilt bundle, built first when the sources changed (build/build-server.mjs). */
const START = fileURLToPath(new URL('../bin/registry-server.mjs', import.meta.url));
const OUTPUT_TAIL = 20_000;
/** Another process may take a free port between freePort() and the child's listen(); try that many times. */
const ATTEMPTS = 3;

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface HealthyProcessOptions {
  /** Arguments to node after `nodeArgs`, e.g. ['--import', 'tsx', 'bench/bare-server.ts'] (paths from the repo root). */
  args: string[];
  /** 0 or undefined: a free port, chosen again if the child hits EADDRINUSE. */
  port?: number;
  /** Added to this process's environment; PORT and HOST are always set by this module. */
  env?: Record<string, string>;
  /** Node flags placed first, e.g. ['--cpu-prof']. */
  nodeArgs?: string[];
  /** A prefix that execs node in place, e.g. ['taskset', '-c', '0'] (so `pid` is still node's). */
  command?: string[];
  /** Whole start-up budget, retries included. */
  timeoutMs?: number;
  /** Interval between /healthz polls; small values make `startMs` tight. */
  pollMs?: number;
  /** Names the process in errors. */
  name?: string;
}

export interface HealthyProcess {
  readonly url: string;
  readonly port: number;
  /** The current child (a restart replaces it). */
  readonly child: ChildProcess;
  readonly pid: number;
  /** Spawn to the first 200 from /healthz of the latest start, ms. */
  readonly startMs: number;
  /** The last stdout and stderr of the current child, for error messages. */
  output(): string;
  /** SIGTERM (graceful close, lets --cpu-prof write), then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
  /** Stops the child if it runs, then starts it again on the same port with the same options. */
  restart(): Promise<void>;
}

/** A failed spawn leaves no pid (and emits 'error', not 'exit'), so it counts as gone. */
const isRunning = (child: ChildProcess): boolean => child.pid !== undefined && child.exitCode === null && child.signalCode === null;

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (!isRunning(child)) return resolve();
    child.once('exit', () => resolve());
  });

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (!isRunning(child)) return;
  const gone = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false; // not listening yet
  }
}

interface Spawned {
  child: ChildProcess;
  output(): string;
}

function spawnOnce(options: HealthyProcessOptions, port: number): Spawned {
  const argv = [...(options.nodeArgs ?? []), ...options.args];
  const [cmd, ...prefix] = options.command && options.command.length > 0 ? [...options.command, process.execPath] : [process.execPath];
  const child = spawn(cmd, [...prefix, ...argv], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env, PORT: String(port), HOST: '127.0.0.1' },
  });
  let out = '';
  const keep = (d: Buffer) => { out = (out + d.toString()).slice(-OUTPUT_TAIL); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (err) => keep(Buffer.from(`spawn ${cmd}: ${err.message}\n`)));
  return { child, output: () => out };
}

/** Spawns until /healthz answers 200; on a fixed port an EADDRINUSE is retried on that port after a pause. */
async function startHealthy(options: HealthyProcessOptions, fixedPort: number | undefined): Promise<{ run: Spawned; port: number; startMs: number }> {
  const name = options.name ?? options.args.join(' ');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pollMs = options.pollMs ?? 25;
  const deadline = performance.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    const url = `http://127.0.0.1:${port}`;
    const started = performance.now();
    const run = spawnOnce(options, port);
    let ok = false;
    while (performance.now() < deadline && isRunning(run.child)) {
      if ((ok = await healthy(url))) break;
      await new Promise((r) => setTimeout(r, pollMs));
    }
    if (ok && isRunning(run.child)) return { run, port, startMs: performance.now() - started };
    const died = !isRunning(run.child);
    await stopChild(run.child, 0);
    const tail = run.output().slice(-4_000);
    if (died && attempt < ATTEMPTS && /EADDRINUSE/.test(tail) && performance.now() < deadline) {
      if (fixedPort !== undefined) await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    const why = died ? `exited (code ${run.child.exitCode ?? run.child.signalCode ?? 'spawn error'})` : `was not healthy within ${timeoutMs} ms`;
    throw new Error(`${name} on port ${port} ${why}:\n${tail}`);
  }
}

/** Starts any server that reads PORT/HOST and answers GET /healthz. */
export async function startHealthyProcess(options: HealthyProcessOptions): Promise<HealthyProcess> {
  const first = await startHealthy(options, options.port || undefined);
  let run = first.run;
  let startMs = first.startMs;
  const port = first.port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get child() { return run.child; },
    get pid() { return run.child.pid as number; },
    get startMs() { return startMs; },
    output: () => run.output(),
    stop: (graceMs = 5_000) => stopChild(run.child, graceMs),
    kill: () => stopChild(run.child, 0),
    async restart() {
      await stopChild(run.child, 5_000);
      const next = await startHealthy(options, port);
      run = next.run;
      startMs = next.startMs;
    },
  };
}

export interface RegistryProcessOptions extends Omit<HealthyProcessOptions, 'args'> {
  /** REGISTRY_DATA_DIR; kept across restarts. */
  dataDir: string;
  /** REGISTRY_API_KEY (the admin key); random when not given. */
  apiKey?: string;
}

export interface RegistryProcess extends HealthyProcess {
  readonly apiKey: string;
  readonly dataDir: string;
}

/** The registry as `npm start` runs it (registry-server/bin/registry-server.mjs) on `dataDir`, healthy on return. */
export async function startRegistryProcess(options: RegistryProcessOptions): Promise<RegistryProcess> {
  const apiKey = options.apiKey ?? randomBytes(16).toString('hex');
  const proc = await startHealthyProcess({
    name: `registry on ${options.dataDir}`,
    ...options,
    args: [START],
    env: { ...options.env, REGISTRY_DATA_DIR: options.dataDir, REGISTRY_API_KEY: apiKey },
  });
  // Assigning onto `proc` (not spreading it) keeps the live `child`, `pid` and `startMs` getters.
  return Object.assign(proc, { apiKey, dataDir: options.dataDir });
}
