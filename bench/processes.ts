/** Child processes for the bench: free ports, spawn-until-healthy timing, memory from /proc, clean stop. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Child {
  proc: ChildProcess;
  url: string;
  /** Spawn to the first 200 from /healthz, ms. */
  startMs: number;
  /** Last lines the child wrote to stderr, for error messages. */
  stderr(): string;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * CPU pinning: with at least two CPUs and `taskset` present, servers run on CPU 0 and the load generator (this
 * process) on the others, so the client never preempts the server it measures. On a small shared box this
 * removes most of the run-to-run swing. BENCH_PIN=0 turns it off.
 */
export function pinning(): boolean {
  if (process.env.BENCH_PIN === '0' || cpus().length < 2) return false;
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Moves every thread of this process to `cpus` (a taskset list such as '1' or '0-1'). */
export function pinSelf(cpuList: string): void {
  execFileSync('taskset', ['-a', '-cp', cpuList, String(process.pid)], { stdio: 'ignore' });
}

export const allCpus = (): string => `0-${cpus().length - 1}`;

/** Spawns `node <args>` from the repo root and polls /healthz every 5 ms so the start-up time is tight. */
export async function spawnUntilHealthy(args: string[], env: Record<string, string>, timeoutMs = 30_000, pinCpu?: number): Promise<Child> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  // taskset execs node in place, so the pid (for /proc and signals) is node's own.
  const [cmd, argv] = pinCpu === undefined ? [process.execPath, args] : ['taskset', ['-c', String(pinCpu), process.execPath, ...args]];
  const proc = spawn(cmd, argv, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
  });
  let tail = '';
  proc.stderr?.on('data', (chunk: Buffer) => { tail = (tail + chunk.toString()).slice(-4000); });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => { exitCode = code; });
  while (performance.now() - started < timeoutMs) {
    if (exitCode !== undefined) throw new Error(`${args.join(' ')} exited with ${exitCode} before it was healthy:\n${tail}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.status === 200, () => false);
    if (ok) return { proc, url, startMs: performance.now() - started, stderr: () => tail };
    await new Promise((r) => setTimeout(r, 5));
  }
  proc.kill('SIGKILL');
  throw new Error(`${args.join(' ')} was not healthy within ${timeoutMs} ms:\n${tail}`);
}

export interface Memory {
  rss_mb: number;
  /** Peak RSS over the process's life (VmHWM). */
  peak_rss_mb: number;
}

export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss_mb: Math.round(kb('VmRSS') / 102.4) / 10, peak_rss_mb: Math.round(kb('VmHWM') / 102.4) / 10 };
}

/** User + system CPU the process has used so far, ms (from /proc/<pid>/stat; clock ticks are 10 ms on Linux). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is parenthesised and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** SIGTERM (so --cpu-prof can write its profile), SIGKILL after a grace period. */
export async function stop(child: Child | undefined, graceMs = 10_000): Promise<void> {
  if (!child || child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.proc.once('exit', () => resolve()));
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
