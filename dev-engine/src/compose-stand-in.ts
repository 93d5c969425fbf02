import { readFileSync, writeFileSync } from 'node:fs';
import { registerWorker, type IIIClient } from 'iii-sdk';
import { parse, stringify } from 'yaml';

/**
 * A stand-in for iii-compose's control functions, for development and tests only (production runs the real
 * `iii compose --up`, which pulls, starts and stops the workers). It registers compose::status, compose::add,
 * compose::remove and compose::operation on an engine and only edits the compose file: `add` declares each
 * worker as `package://<registry host>/<name>` with the requested range, `remove` drops containers. Operations
 * finish at once; workers named in `failWorkers` make the operation fail, as a broken pull would.
 */
export interface ComposeStandIn {
  client: IIIClient;
  failWorkers: Set<string>;
  /** Every call as "function_id json". */
  calls: string[];
  close(): Promise<void>;
}

export interface ComposeStandInOptions {
  engineUrl: string;
  composeFile: string;
  registryHost?: string;
}

type Containers = Record<string, { worker: string; version?: string }>;

export function startComposeStandIn({ engineUrl, composeFile, registryHost = 'api.workers.iii.dev' }: ComposeStandInOptions): ComposeStandIn {
  const client = registerWorker(engineUrl, { workerName: 'iii-compose-stand-in', otel: { enabled: false }, enableMetricsReporting: false });
  const failWorkers = new Set<string>();
  const calls: string[] = [];
  const operations = new Map<string, { status: string; phase: string; last_event: { detail: string } }>();
  const read = (): Containers => {
    try {
      return ((parse(readFileSync(composeFile, 'utf8')) as { containers?: Containers } | null)?.containers) ?? {};
    } catch {
      return {};
    }
  };
  const write = (containers: Containers) => writeFileSync(composeFile, stringify({ containers }));
  const finish = (id: string, failed?: string) => {
    operations.set(id, failed
      ? { status: 'failed', phase: 'pull', last_event: { detail: `could not pull ${failed}` } }
      : { status: 'succeeded', phase: 'done', last_event: { detail: 'workers up' } });
    return { operation_id: id };
  };
  const fn = (id: string, handler: (p: Record<string, unknown>) => unknown) =>
    client.registerFunction(id, async (payload: Record<string, unknown>) => {
      calls.push(`${id} ${JSON.stringify({ ...payload, _caller_worker_id: undefined })}`);
      return handler(payload);
    }, { description: `${id} (development stand-in)` });

  fn('compose::status', () => ({ running: true, file: composeFile, containers: Object.keys(read()) }));
  fn('compose::add', (p) => {
    const workers = (p.workers as Array<{ worker: string; version?: string }>) ?? [];
    const failed = workers.find((w) => failWorkers.has(w.worker))?.worker;
    if (!failed) {
      const containers = read();
      for (const w of workers) containers[w.worker] = { worker: `package://${registryHost}/${w.worker}`, ...(w.version ? { version: w.version } : {}) };
      write(containers);
    }
    return finish(String(p.operation_id), failed);
  });
  fn('compose::remove', (p) => {
    const containers = read();
    for (const name of (p.workers as string[]) ?? []) delete containers[name];
    write(containers);
    return finish(String(p.operation_id));
  });
  fn('compose::operation', (p) => {
    const op = operations.get(String(p.operation_id));
    if (!op) throw new Error(`operation ${String(p.operation_id)} not found`);
    return { operation_id: p.operation_id, ...op };
  });
  return { client, failWorkers, calls, close: () => client.shutdown() };
}
