import { readFileSync } from 'node:fs';

/**
 * Whether a process id names a running process. `kill(pid, 0)` succeeds for a zombie (exited, not yet reaped by
 * its parent), which holds no files and will never finish an upload, so on Linux the state letter in
 * /proc/<pid>/stat decides: Z (zombie) and X (dead) are not alive. Elsewhere kill(0) is all there is.
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = procState(pid);
  return state === undefined || (state !== 'Z' && state !== 'X' && state !== 'x');
}

/** The state letter of /proc/<pid>/stat, or undefined without procfs. The name in parentheses may hold spaces. */
function procState(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (e) {
    // The process went away between kill(0) and the read: dead. No procfs at all: trust kill(0).
    return (e as NodeJS.ErrnoException).code === 'ENOENT' && readableProc() ? 'X' : undefined;
  }
  return /\) (\S)/.exec(stat.slice(stat.lastIndexOf(')')))?.[1];
}

const readableProc = (): boolean => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
};
