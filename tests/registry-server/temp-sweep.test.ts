import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { sweepArchiveTemp } from '../../registry-server/src/storage/archive-store';
import { processAlive } from '../../registry-server/src/storage/process-alive';

const linux = process.platform === 'linux';
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/**
 * A real zombie: `sh` starts a short `sleep` in the background, prints its pid, then becomes a long `sleep`, which
 * never waits for children, so the short one exits and stays a zombie until the long one dies. (The short one
 * outlives the exec, so the shell never reaps it itself.)
 */
async function startZombie(): Promise<{ zombie: number; parent: number }> {
  const child = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  const zombie = Number(line.trim());
  for (let i = 0; i < 500; i++) {
    const stat = await readFile(`/proc/${zombie}/stat`, 'utf8').catch(() => '');
    if (/\) Z /.test(stat)) return { zombie, parent: child.pid! };
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`process ${zombie} never became a zombie`);
}

describe.runIf(linux)('start-up temp sweep: process liveness', () => {
  it('treats a zombie as dead (kill(pid, 0) alone says alive) and its live parent as alive', async () => {
    const { zombie, parent } = await startZombie();
    expect(() => process.kill(zombie, 0)).not.toThrow();
    expect(processAlive(zombie)).toBe(false);
    expect(processAlive(parent)).toBe(true);
    expect(processAlive(process.pid)).toBe(true);
  });

  it('removes the temp file of a zombie uploader and keeps the one of a live uploader', async () => {
    const { zombie, parent } = await startZombie();
    const dir = await mkdtemp(join(tmpdir(), 'sweep-'));
    try {
      await mkdir(join(dir, 'tmp'));
      await writeFile(join(dir, 'tmp', `${zombie}-aaaa`), 'partial upload of a dead process');
      await writeFile(join(dir, 'tmp', `${parent}-bbbb`), 'upload in progress');
      expect(await sweepArchiveTemp(dir)).toBe(1);
      expect(await readdir(join(dir, 'tmp'))).toEqual([`${parent}-bbbb`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
