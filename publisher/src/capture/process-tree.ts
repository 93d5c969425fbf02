import { spawn, type ChildProcess } from 'node:child_process';

/** Whether any process of the group led by `pid` is still alive. */
export function groupAlive(pid: number): boolean {
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
