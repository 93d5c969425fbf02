import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PublishPayloadIn } from '@iii-registry/schemas';
import { E2E_ADMIN_KEY, startRegistryProcess, type RegistryProcess } from '../helpers/registry-process';

export { E2E_ADMIN_KEY };

export const tmpDir = (prefix = 'iii-upstream-') => mkdtemp(path.join(os.tmpdir(), prefix));

/** A registry process that plays the upstream (no seed), and a helper to talk to any registry over HTTP. */
export async function startUpstream(): Promise<RegistryProcess> {
  return startRegistryProcess(await tmpDir());
}

/** A registry process whose upstream is `upstreamUrl`. */
export async function startProxy(upstreamUrl: string, env: Record<string, string> = {}): Promise<RegistryProcess> {
  return startRegistryProcess(await tmpDir(), { REGISTRY_UPSTREAM_URL: upstreamUrl, REGISTRY_UPSTREAM_TIMEOUT_MS: '2000', ...env });
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function call(base: string, method: 'GET' | 'POST' | 'PUT', p: string, body?: unknown, key: string | null = E2E_ADMIN_KEY): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (key) headers['x-api-key'] = key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

const SHA = 'b'.repeat(64);

export function binaryPayload(name: string, version: string, extra: Partial<PublishPayloadIn> = {}): PublishPayloadIn {
  return {
    worker_name: name,
    version,
    type: 'binary',
    readme: `# ${name}\n\n${name} ${version} readme.`,
    repo: `https://example.com/${name}`,
    description: `The ${name} worker`,
    config: {},
    functions: [{ name: `${name.replace(/-/g, '_')}::run`, description: 'Runs it.', request_schema: { type: 'object' }, response_schema: { type: 'object' }, metadata: {} }],
    triggers: [],
    binaries: { 'x86_64-unknown-linux-gnu': { url: `https://example.com/${name}-${version}.tar.gz`, sha256: SHA } },
    dependencies: {},
    ...extra,
  } as PublishPayloadIn;
}

export async function publish(base: string, payload: PublishPayloadIn, key: string | null = E2E_ADMIN_KEY): Promise<Reply> {
  return call(base, 'POST', '/publish', payload, key);
}

/** A non-admin key made through the admin API. */
export async function userKey(base: string, name = 'team'): Promise<string> {
  const r = await call(base, 'POST', '/admin/keys', { name });
  if (r.status !== 201) throw new Error(`key create failed: ${r.status} ${r.text}`);
  return r.json.key.key as string;
}
