import { z } from '@iii-registry/schemas';
import type { UpstreamCacheEntry, UpstreamCacheRepository } from '../db/upstream-cache-repository';
import { RegistryError } from '../errors';
import { boundedFetch, UpstreamFault, type FetchLimits } from './bounded-fetch';
import { noteUpstream } from './request-state';

export interface UpstreamOptions extends FetchLimits {
  /** Base URL of the upstream registry, without a trailing slash. */
  url: string;
  /** How long a cached answer is served without asking the upstream. */
  ttlMs: number;
  now?: () => number;
}

/** An upstream answer: a body that passed its schema, a 204, or the upstream's own error envelope (4xx). */
export type UpstreamAnswer<T> =
  | { status: 200; value: T }
  | { status: 204 }
  | { status: number; error: { code: string; message: string; fix: string; available: string[] } };

/** The error envelope as another registry may send it: `fix` and `available` may be missing there. */
const UpstreamErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), fix: z.string().optional().default(''), available: z.array(z.string()).optional().default([]) }),
});

const CACHEABLE_ERRORS = new Set([400, 404, 410, 422]);

/** The error for a failing upstream with nothing cached: the fault kind becomes a stable code. */
export function upstreamError(upstreamUrl: string, fault: UpstreamFault): RegistryError {
  const status = fault.kind === 'timeout' ? 504 : 502;
  return new RegistryError(status, `upstream_${fault.kind}`, `The upstream registry failed: ${fault.message}`,
    `Retry later; ${upstreamUrl} is failing and nothing is cached for this request. For offline use, mirror it: npm run mirror -- --from ${upstreamUrl}.`);
}

export interface UpstreamClient {
  readonly url: string;
  /**
   * GET through the cache: within the TTL the stored answer; after it, the upstream (conditionally, with the
   * stored ETag); when the upstream fails, the stored answer marked stale, else a RegistryError.
   * `always` asks the upstream first even within the TTL (downloads, which the upstream must count).
   */
  get<T>(path: string, schema: z.ZodType<T>, options?: { always?: boolean; cacheKey?: string }): Promise<UpstreamAnswer<T>>;
}

export function createUpstreamClient(options: UpstreamOptions, cache: UpstreamCacheRepository): UpstreamClient {
  const now = options.now ?? Date.now;

  const decode = <T>(entry: UpstreamCacheEntry, schema: z.ZodType<T>): UpstreamAnswer<T> => {
    if (entry.status === 204) return { status: 204 };
    const json: unknown = JSON.parse(entry.body);
    if (entry.status === 200) return { status: 200, value: schema.parse(json) };
    return { status: entry.status, error: UpstreamErrorSchema.parse(json).error };
  };

  /** Only a body that parses and passes its schema (or the error envelope) is ever stored. */
  const check = <T>(status: number, text: string, schema: z.ZodType<T>, url: string): UpstreamCacheEntry['status'] => {
    if (status === 204) return 204;
    if (status !== 200 && !CACHEABLE_ERRORS.has(status)) throw new UpstreamFault('bad_status', `${url} answered HTTP ${status}.`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UpstreamFault('invalid_body', `${url} answered HTTP ${status} with a body that is not JSON.`);
    }
    const parsed = status === 200 ? schema.safeParse(json) : UpstreamErrorSchema.safeParse(json);
    if (!parsed.success) throw new UpstreamFault('invalid_body', `${url} answered HTTP ${status} with a body of the wrong shape.`);
    return status;
  };

  return {
    url: options.url,
    async get(path, schema, { always = false, cacheKey = path } = {}) {
      const stored = await cache.get(cacheKey);
      if (stored && !always && now() - stored.fetched_at < options.ttlMs) {
        noteUpstream('cached');
        return decode(stored, schema);
      }
      const url = `${options.url}${path}`;
      try {
        const headers: Record<string, string> = { accept: 'application/json' };
        if (stored?.etag && !always) headers['if-none-match'] = stored.etag;
        const res = await boundedFetch(url, options, { headers });
        if (res.status === 304 && stored) {
          await cache.touch(cacheKey, now());
          noteUpstream('fresh');
          return decode(stored, schema);
        }
        const text = res.body.toString('utf8');
        const status = check(res.status, text, schema, url);
        const entry: UpstreamCacheEntry = { status, body: status === 204 ? '' : text, etag: res.headers.get('etag'), fetched_at: now() };
        await cache.put(cacheKey, entry);
        noteUpstream('fresh');
        return decode(entry, schema);
      } catch (err) {
        if (!(err instanceof UpstreamFault)) throw err;
        if (stored) {
          noteUpstream('stale');
          return decode(stored, schema);
        }
        throw upstreamError(options.url, err);
      }
    },
  };
}
