/** The bench's child processes: CPU pinning, memory and CPU from /proc (spawning is registry-server/src/child-process). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

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

/** The `command` prefix that runs a server on `cpu` (taskset execs node in place, so the pid stays node's). */
export const pinnedTo = (cpu: number | undefined): string[] | undefined =>
  cpu === undefined ? undefined : ['taskset', '-c', String(cpu)];

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
