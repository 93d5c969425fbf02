import type { DirectoryInfoResponse, DirectoryListResponse } from '@iii-registry/schemas';
import type { IIIClient } from 'iii-sdk';
import { createCache } from './cache';
import type { DirectoryDeps } from './deps';
import { createRegistryClient, RegistryUnavailableError } from './registry-client';
import { register as registerInfo } from './workers-info';
import { register as registerList } from './workers-list';

export interface DepsOptions {
  registryUrl: string;
  downloadTimeoutMs: number;
  cacheTtlMs: number;
  log: (line: string) => void;
}

export function createDeps({ registryUrl, downloadTimeoutMs, cacheTtlMs, log }: DepsOptions): DirectoryDeps {
  const registry = createRegistryClient({ baseUrl: registryUrl, timeoutMs: downloadTimeoutMs });
  const cacheOptions = {
    ttlMs: cacheTtlMs,
    serveStaleOn: (err: unknown) => err instanceof RegistryUnavailableError,
    onStale: (key: string, ageMs: number, err: unknown) =>
      log(`serving a stale answer for ${key} (${Math.round(ageMs / 1000)} s old): ${(err as Error).message}`),
  };
  return {
    registry,
    listCache: createCache<DirectoryListResponse>(cacheOptions),
    infoCache: createCache<DirectoryInfoResponse>(cacheOptions),
  };
}

/** The whole bus surface of iii-directory. */
export function registerDirectory(iii: Pick<IIIClient, 'registerFunction'>, deps: DirectoryDeps): void {
  registerList(iii, deps);
  registerInfo(iii, deps);
}
