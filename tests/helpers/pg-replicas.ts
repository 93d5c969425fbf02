import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAnswer } from '../registry-server/helpers';
import { E2E_ADMIN_KEY, startRegistryProcess, type RegistryProcess } from './registry-process';

/**
 * Registry replicas as the README starts them (`npm start` = node on the prebuilt registry-server/bin/registry-server.mjs bundle), all on one
 * PostgreSQL database, each with its own empty REGISTRY_DATA_DIR (which stays empty: nothing is kept on disk).
 */
export interface Replicas {
  procs: RegistryProcess[];
  dirs: string[];
  stop(): Promise<void>;
}

export async function startReplicas(databaseUrl: string, count: number, env: Record<string, string> = {}): Promise<Replicas> {
  const dirs = await Promise.all(Array.from({ length: count }, () => mkdtemp(join(tmpdir(), 'pg-replica-'))));
  const started = await Promise.allSettled(dirs.map((dir) => startRegistryProcess(dir, { REGISTRY_DATABASE_URL: databaseUrl, ...env }, 60_000)));
  const procs = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await stop();
    throw (failed as PromiseRejectedResult).reason;
  }
  return { procs, dirs, stop };
}

export const call = async (p: { url: string }, method: string, path: string, body?: unknown, key: string | null = E2E_ADMIN_KEY, timeoutMs = 15_000) => {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (key) headers['x-api-key'] = key;
  const res = await fetch(`${p.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  return readAnswer(res);
};

/** Polls `check` until it returns true; the bound is generous (visibility is measured by the bench, not here). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
