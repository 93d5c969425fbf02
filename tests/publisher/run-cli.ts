import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { run } from '../../publisher/src/cli';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs iii-publish in process with captured output; env replaces process.env for the CLI's own reads. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}, tty = false): Promise<CliRun> {
  const stdout = new Capture(tty);
  const stderr = new Capture(tty);
  const code = await run(args, { stdout, stderr, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export const FIXTURES = new URL('../fixtures/workers/', import.meta.url).pathname;

/** A worker folder in a fresh temp dir holding `files` (path relative to the folder: content). */
export async function workerDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'iii-publish-worker-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}
