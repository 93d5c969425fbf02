import path from 'node:path';
import { ApiReferenceSchema, apiReferenceFromRegistrations, type ApiReference } from '@iii-registry/schemas';
import { CliError, EXIT } from '../errors';
import { readJsonFile } from '../json-file';
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

/** The reference from `--interface <file.json>`. */
const fromFile = (file: string): Promise<ApiReference> =>
  readJsonFile(file, ApiReferenceSchema, {
    unreadable: { exit: EXIT.capture, code: 'interface_unreadable' },
    invalid: 'interface_invalid',
    what: 'is not a valid API reference',
    fix: 'Pass a JSON file {"functions": [...], "triggers": [...]}: each function {name, description?, request_schema?, response_schema?, metadata?}; each trigger {name, description?, invocation_schema?, return_schema?, metadata?}; optionally registered_triggers [{function_id, type, config}].',
  });

/** The worker's API reference, by one of the three ways: a file, a live engine, or running the worker. */
export async function captureInterface(options: CaptureOptions): Promise<CapturedInterface> {
  let result: CapturedInterface;
  if (options.interfaceFile) {
    result = { ref: await fromFile(path.resolve(options.dir, options.interfaceFile)), source: 'file' };
  } else if (options.engine) {
    const cap = await captureFromEngine({ url: options.engine, workerName: options.workerName, timeoutMs: options.timeoutMs });
    result = { ref: apiReferenceFromRegistrations(cap.functions, cap.triggerTypes, cap.triggers), source: 'engine' };
  } else {
    if (!options.start)
      throw new CliError(
        EXIT.usage,
        'no_start_command',
        'no way to start the worker for interface capture',
        'Set scripts.start in iii.worker.yaml, pass --start "<command>", --engine ws://host:port or --interface <file.json>.',
      );
    const cap = await captureFromWorker({ cwd: options.dir, command: options.start, settleMs: options.settleMs, timeoutMs: options.timeoutMs });
    result = { ref: apiReferenceFromRegistrations(cap.functions, cap.triggerTypes, cap.triggers), source: 'worker', pid: cap.pid };
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
