import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiReferenceSchema, apiReferenceFromRegistrations, validate, type ApiReference } from '@iii-registry/schemas';
import { CliError, EXIT } from '../errors';
import { captureFromWorker } from './run-worker';
import { captureFromEngine } from './from-engine';

export interface CaptureOptions {
  dir: string;
  workerName: string;
  /** scripts.start of the manifest, overridden by --start. */
  start?: string;
  engine?: string;
  interfaceFile?: string;
  settleMs: number;
  timeoutMs: number;
}

export interface CapturedInterface {
  ref: ApiReference;
  source: 'worker' | 'engine' | 'file';
  /** pid of the worker process group leader when we started one (it is gone by the time this returns). */
  pid?: number;
}

async function fromFile(file: string): Promise<ApiReference> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CliError(EXIT.capture, 'interface_unreadable', `cannot read ${file}: ${(error as Error).message}`, 'Pass a JSON file {"functions": [...], "triggers": [...]}.');
  }
  const checked = validate(ApiReferenceSchema, data);
  if (!checked.ok)
    throw new CliError(
      EXIT.validation,
      'interface_invalid',
      `${file} is not a valid API reference`,
      'Each function needs {name, description?, request_schema?, response_schema?, metadata?}; each trigger {name, description?, invocation_schema?, return_schema?, metadata?}.',
      checked.problems,
    );
  return checked.value;
}

/** The worker's API reference, by one of the three ways: a file, a live engine, or running the worker. */
export async function captureInterface(options: CaptureOptions): Promise<CapturedInterface> {
  let result: CapturedInterface;
  if (options.interfaceFile) {
    result = { ref: await fromFile(path.resolve(options.dir, options.interfaceFile)), source: 'file' };
  } else if (options.engine) {
    const cap = await captureFromEngine({ url: options.engine, workerName: options.workerName, timeoutMs: options.timeoutMs });
    result = { ref: apiReferenceFromRegistrations(cap.functions, cap.triggerTypes), source: 'engine' };
  } else {
    if (!options.start)
      throw new CliError(
        EXIT.usage,
        'no_start_command',
        'no way to start the worker for interface capture',
        'Set scripts.start in iii.worker.yaml, pass --start "<command>", --engine ws://host:port or --interface <file.json>.',
      );
    const cap = await captureFromWorker({ cwd: options.dir, command: options.start, settleMs: options.settleMs, timeoutMs: options.timeoutMs });
    result = { ref: apiReferenceFromRegistrations(cap.functions, cap.triggerTypes), source: 'worker', pid: cap.pid };
  }
  if (result.ref.functions.length === 0 && result.ref.triggers.length === 0)
    throw new CliError(
      EXIT.capture,
      'nothing_registered',
      'the worker registered no functions and no trigger types',
      'Register at least one function (iii.registerFunction(id, handler, {description, request_format, response_format})) before publishing.',
    );
  return result;
}
