import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Linux: the state and process group of a pid from /proc, or undefined when it does not exist. */
function procStat(pid: string): { state: string; pgrp: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses; the fields after the last ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/**
 * Whether any process of the group led by `pid` is still running. Zombies do not count: a killed
 * grandchild is reparented to init, which may take a second or more to reap it, and it runs nothing.
 */
export function groupAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      return readdirSync('/proc').some((entry) => {
        if (!/^\d+$/.test(entry)) return false;
        const st = procStat(entry);
        return st !== undefined && st.pgrp === pid && st.state !== 'Z' && st.state !== 'X';
      });
    } catch {
      // No /proc: fall back to the signal probe below.
    }
  }
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but is not ours; treat that as alive so we do not claim a clean stop.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Stops the whole process group: SIGTERM, a short grace period (a worker under capture has nothing worth a
 * slow graceful shutdown; the SDK takes about 2 s), then SIGKILL. The worker was spawned detached,
 * so its pid leads a group holding the shell, the runtime and anything they started (npm run dev, tsx...).
 */
export async function killTree(pid: number, graceMs = 500): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // ESRCH: already gone.
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await sleep(25);
  if (groupAlive(pid)) {
    signal('SIGKILL');
    const hard = Date.now() + 2000;
    while (groupAlive(pid) && Date.now() < hard) await sleep(25);
  }
}

/** Runs `command` through the shell as the leader of a new process group, with piped output. */
export function spawnGroup(command: string, cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(command, { cwd, env, shell: true, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Keeps the last `max` lines of a stream, for error messages. */
export class Tail {
  private lines: string[] = [];
  private partial = '';

  constructor(private readonly max = 20) {}

  push(chunk: Buffer | string): void {
    const parts = (this.partial + chunk.toString()).split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > this.max) this.lines = this.lines.slice(-this.max);
  }

  get(): string[] {
    const all = this.partial ? [...this.lines, this.partial] : [...this.lines];
    return all.slice(-this.max).filter((l, i, a) => l.trim() !== '' || i < a.length - 1);
  }
}
