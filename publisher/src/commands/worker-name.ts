import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { CliError, EXIT } from '../errors';

/** The worker a registry command acts on: --name, else the `name` of ./iii.worker.yaml. */
export async function workerNameFor(dir: string, name?: string): Promise<string> {
  if (name) return name;
  try {
    const doc: unknown = parse(await readFile(path.join(dir, 'iii.worker.yaml'), 'utf8'));
    const found = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>).name : undefined;
    if (typeof found === 'string' && found) return found;
  } catch {
    // Fall through to the usage error.
  }
  throw new CliError(EXIT.usage, 'no_worker_name', 'which worker?', 'Run the command in the worker folder (next to iii.worker.yaml) or pass --name <worker>.');
}
