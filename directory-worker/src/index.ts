import { registerWorker, type IIIClient } from 'iii-sdk';
import type { DirectoryConfig } from './config';
import type { DirectoryDeps } from './deps';
import { createDeps, registerDirectory } from './register';
import { registerKits, type KitsSurface } from './register-kits';

export { DEFAULTS, loadConfig, ConfigError, type DirectoryConfig } from './config';
export { createDeps, registerDirectory } from './register';
export { handleWorkersList, WORKERS_LIST_ID } from './workers-list';
export { handleWorkersInfo, WORKERS_INFO_ID } from './workers-info';
export type { DirectoryDeps } from './deps';

export const WORKER_NAME = 'iii-directory';
export const WORKER_DESCRIPTION = 'Searches the iii workers registry, installs kits with reviewed plans, downloads worker skills.';

export interface DirectoryWorker {
  iii: IIIClient;
  deps: DirectoryDeps;
  kits: KitsSurface;
  close(): Promise<void>;
}

export interface StartOptions extends DirectoryConfig {
  log?: (line: string) => void;
  /** OpenTelemetry export over the engine's /otel socket; the SDK default (on, env OTEL_ENABLED) when absent. */
  otel?: boolean;
}

/** Connects to the engine and registers the directory's functions; the SDK reconnects and re-registers on its own. */
export function startDirectoryWorker(options: StartOptions): DirectoryWorker {
  const log = options.log ?? ((line: string) => process.stderr.write(`[iii-directory] ${line}\n`));
  const deps = createDeps({ ...options, log });
  const iii = registerWorker(options.url, {
    workerName: WORKER_NAME,
    workerDescription: WORKER_DESCRIPTION,
    enableMetricsReporting: options.otel ?? true,
    ...(options.otel === undefined ? {} : { otel: { enabled: options.otel } }),
  });
  registerDirectory(iii, deps);
  const kits = registerKits(iii, deps.registry, {
    ...options, log,
    updatesDelayMs: options.kitUpdatesDelayMs ?? 15_000,
    updatesIntervalMs: options.kitUpdatesIntervalMs ?? 6 * 60 * 60_000,
  });
  return { iii, deps, kits, close: async () => { kits.scheduler.stop(); await iii.shutdown(); } };
}
