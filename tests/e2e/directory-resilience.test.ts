import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IIIClient } from 'iii-sdk';
import type { DirectoryInfoResponse, DirectoryListResponse } from '@iii-registry/schemas';
import {
  callerClient, freePort, publish, startEngineProcess, startRegistry, startWorkerProcess, until, waitForDirectory,
  type Proc, type Registry,
} from './directory-harness';

/** Restarts of the engine and outages of the registry, with real processes. */
let port: number;
let engine: Proc;
let registry: Registry;
let worker: Proc;
let caller: IIIClient;
const PROBE = 'e2e-dir-resilience';

const list = (payload: Record<string, unknown>) =>
  caller.trigger<unknown, DirectoryListResponse>({ function_id: 'directory::registry::workers::list', payload, timeoutMs: 10_000 });
const info = (payload: Record<string, unknown>) =>
  caller.trigger<unknown, DirectoryInfoResponse>({ function_id: 'directory::registry::workers::info', payload, timeoutMs: 10_000 });

beforeAll(async () => {
  port = await freePort();
  [engine, registry] = await Promise.all([startEngineProcess(port), startRegistry()]);
  await publish(registry, { worker_name: PROBE, version: '1.0.0', description: 'Resilience probe' });
  // A 1 ms TTL: every answer is expired by the next call, so whatever comes back during an outage is stale-served.
  worker = startWorkerProcess(`ws://127.0.0.1:${port}`, registry.url, ['--cache-ttl-ms', '1']);
  caller = callerClient(`ws://127.0.0.1:${port}`);
  await waitForDirectory(caller);
});

afterAll(async () => {
  await caller?.shutdown();
  await Promise.all([worker?.stop(), engine?.stop(), registry?.dispose()]);
});

/**
 * Runs `during` while keeping the caller SDK's expected outage chatter (`[iii] Reconnecting...`, `[iii] WebSocket
 * error ...`, printed with console.debug / console.error) out of the test output; anything else still prints.
 * Returns the lines it kept back, so the test can check the reconnection it caused really happened.
 */
async function withOutageChatter(during: () => Promise<void>): Promise<string[]> {
  const kept: string[] = [];
  const expected = /^\[iii\] (Reconnecting in \d+ms|WebSocket error)/;
  const spies = (['debug', 'error'] as const).map((level) => {
    const original = console[level].bind(console);
    return vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      if (typeof args[0] === 'string' && expected.test(args[0])) kept.push(args[0]);
      else original(...args);
    });
  });
  try {
    await during();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return kept;
}

describe('iii-directory resilience', () => {
  it('reconnects after the engine is killed and restarted on the same port, without restarting itself', async () => {
    expect((await info({ name: PROBE })).worker.version).toBe('1.0.0');
    const workerPid = worker.child.pid;
    const chatter = await withOutageChatter(async () => {
      await engine.stop('SIGKILL');
      engine = await startEngineProcess(port);
      // The SDKs back off 1 s, 2 s, 4 s...; both the worker and the caller come back within a few attempts.
      await waitForDirectory(caller, 30_000);
    });
    expect(chatter.some((l) => l.startsWith('[iii] Reconnecting'))).toBe(true);
    expect((await info({ name: PROBE })).worker.version).toBe('1.0.0');
    expect(worker.child.pid).toBe(workerPid);
    expect(worker.child.exitCode).toBeNull();
  }, 60_000);

  it('serves cached answers while the registry is down, fails uncached ones clearly, and is fresh again after', async () => {
    const cachedList = await list({ search: 'resilience probe' });
    const cachedInfo = await info({ name: PROBE });
    expect(cachedList.workers.map((w) => w.name)).toContain(PROBE);

    await registry.stop();
    expect(await list({ search: 'resilience probe' })).toEqual(cachedList);
    expect(await info({ name: PROBE })).toEqual(cachedInfo);
    expect(worker.output()).toMatch(/stale answer/);
    const err = await info({ name: 'never-asked-before' }).catch((e) => e);
    expect(err.code).toBe('invocation_failed');
    expect(err.message).toContain(`The iii registry at ${registry.url} cannot be reached`);
    expect(err.message).toContain('No cached answer');

    await registry.start();
    await publish(registry, { worker_name: PROBE, version: '1.1.0', description: 'Resilience probe' });
    const fresh = await until(async () => {
      const answer = await info({ name: PROBE });
      return answer.worker.version === '1.1.0' && answer;
    }, 'a fresh answer after the registry came back');
    expect(fresh.worker.version).toBe('1.1.0');
  }, 60_000);
});
