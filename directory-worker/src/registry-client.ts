import {
  describeProblems,
  ErrorEnvelopeSchema,
  SkillsResponseSchema,
  validate,
  PublicWorkerDetailResponseSchema,
  WorkerListResponseSchema,
  type SkillsResponse,
  type PublicWorkerDetail,
  type WorkerListResponse,
} from '@iii-registry/schemas';
import type { z } from 'zod';

/**
 * The registry could not give an answer at all (refused, timed out, 5xx, 429). Only this kind of failure lets
 * the cache serve an expired answer: a 404 or a validation error is an answer, and stale data would hide it.
 */
export class RegistryUnavailableError extends Error {
  constructor(
    readonly registryUrl: string,
    reason: string,
  ) {
    super(`The iii registry at ${registryUrl} cannot be reached: ${reason}`);
    this.name = 'RegistryUnavailableError';
  }
}

/** The registry answered with an error a retry will not fix (unknown worker or version, bad query). */
export class RegistryAnswerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'RegistryAnswerError';
  }
}

export interface ListQuery {
  search?: string;
  cursor?: string;
  limit?: number;
}

export interface RegistryClient {
  readonly baseUrl: string;
  listWorkers(query: ListQuery): Promise<WorkerListResponse>;
  /** `ref` is a tag or an exact version (the registry accepts either in `?version=`). */
  getWorker(name: string, ref: string): Promise<PublicWorkerDetail>;
  /** null when the version has no skills snapshot (404). */
  getSkills(name: string, ref: string): Promise<SkillsResponse | null>;
}

export interface RegistryClientOptions {
  baseUrl: string;
  timeoutMs: number;
}

export function createRegistryClient({ baseUrl, timeoutMs }: RegistryClientOptions): RegistryClient {
  const root = baseUrl.replace(/\/+$/, '');

  async function getJson(path: string): Promise<{ status: number; body: unknown }> {
    let res: Response;
    let text: string;
    try {
      // The timeout covers the body too: a registry that stalls mid-answer is as unreachable as a silent one.
      res = await fetch(`${root}${path}`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const reason = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message);
      throw new RegistryUnavailableError(root, `GET ${path} failed (${reason})`);
    }
    if (res.status >= 500 || res.status === 429)
      throw new RegistryUnavailableError(root, `GET ${path} answered ${res.status}`);
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      if (res.ok) throw new RegistryAnswerError('bad_registry_response', `The registry at ${root} answered GET ${path} with a body that is not JSON`, res.status);
    }
    return { status: res.status, body };
  }

  /** Non-2xx: the registry's own envelope (message, fix, alternatives) is the clearest thing to hand an agent. */
  function answerError(path: string, status: number, body: unknown, name?: string, ref?: string): RegistryAnswerError {
    const env = validate(ErrorEnvelopeSchema, body);
    const code = env.ok ? env.value.error.code : status === 404 && name ? 'worker_not_found' : 'registry_error';
    const fix = env.ok && env.value.error.fix ? ` ${env.value.error.fix}` : '';
    const available = env.ok && env.value.error.available.length > 0
      ? ` Available: ${env.value.error.available.slice(0, 10).join(', ')}.` : '';
    if (name && code === 'worker_not_found')
      return new RegistryAnswerError(code, `Worker '${name}' not found in the registry at ${root}.${fix}`, status);
    if (name && code === 'version_not_found')
      return new RegistryAnswerError(code, `Worker '${name}' has no version or tag '${ref}' in the registry at ${root}.${available || fix}`, status);
    const message = env.ok ? env.value.error.message : `The registry at ${root} answered GET ${path} with ${status}.`;
    return new RegistryAnswerError(code, `${message}${fix}`, status);
  }

  function parse<S extends z.ZodType>(schema: S, path: string, body: unknown): z.output<S> {
    const v = validate(schema, body);
    if (v.ok) return v.value;
    throw new RegistryAnswerError('bad_registry_response',
      `The registry at ${root} answered GET ${path} with an unexpected body: ${describeProblems(v.problems.slice(0, 5))}`, 200);
  }

  const slug = (name: string): string => encodeURIComponent(name);

  return {
    baseUrl: root,
    async listWorkers(query) {
      const qs = new URLSearchParams();
      if (query.search) qs.set('search', query.search);
      if (query.cursor) qs.set('cursor', query.cursor);
      if (query.limit !== undefined) qs.set('limit', String(query.limit));
      const path = `/w${qs.size > 0 ? `?${qs}` : ''}`;
      const { status, body } = await getJson(path);
      if (status !== 200) throw answerError(path, status, body);
      return parse(WorkerListResponseSchema, path, body);
    },
    async getWorker(name, ref) {
      const path = `/w/${slug(name)}?version=${encodeURIComponent(ref)}`;
      const { status, body } = await getJson(path);
      if (status !== 200) throw answerError(path, status, body, name, ref);
      return parse(PublicWorkerDetailResponseSchema, path, body).worker;
    },
    async getSkills(name, ref) {
      const path = `/w/${slug(name)}/skills?version=${encodeURIComponent(ref)}`;
      const { status, body } = await getJson(path);
      if (status === 404) return null;
      if (status !== 200) throw answerError(path, status, body, name, ref);
      return parse(SkillsResponseSchema, path, body);
    },
  };
}
