import { startRegistryProcess as startRegistry, type RegistryProcess } from '../../registry-server/src/child-process';

/** Real registry processes for e2e tests, with the tests' defaults: a known admin key, no seed, no rate limits. */

export const E2E_ADMIN_KEY = 'e2e-admin-key-0123456789abcdef';
export type { RegistryProcess };

/** Starts a registry on `dataDir` and waits (bounded) for GET /healthz to answer 200. */
export function startRegistryProcess(dataDir: string, env: Record<string, string> = {}, timeoutMs = 20_000): Promise<RegistryProcess> {
  return startRegistry({
    dataDir,
    apiKey: E2E_ADMIN_KEY,
    timeoutMs,
    pollMs: 50,
    env: { REGISTRY_SEED: '0', REGISTRY_READ_RATE_LIMIT: '0', REGISTRY_PUBLISH_RATE_LIMIT: '0', REGISTRY_AUTH_FAILURE_LIMIT: '0', LOG_LEVEL: 'warn', ...env },
  });
}
