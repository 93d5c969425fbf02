import crypto from 'node:crypto';

export interface CachedBody {
  /** The serialized answer; cached answers hold the UTF-8 bytes so a hit sends them without re-encoding. */
  body: string | Buffer;
  etag: string;
}

/**
 * Serialized responses kept with the stamp they were built under; a read checks the current stamp (memoized, see
 * db/stamps.ts) and reuses the bytes while it matches. Bounded: the oldest entry goes first.
 */
export class ResponseCache {
  private readonly entries = new Map<string, { stamp: string; value: CachedBody }>();
  constructor(private readonly max = 10_000) {}

  /** The cached answer for `key` when it was built under `stamp`, without building anything. */
  peek(key: string, stamp: string): CachedBody | undefined {
    const hit = this.entries.get(key);
    return hit !== undefined && hit.stamp === stamp ? hit.value : undefined;
  }

  async get(key: string, stamp: string, build: () => Promise<unknown>): Promise<CachedBody> {
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp) return hit.value;
    const value = cachedJson(await build());
    this.put(key, stamp, value);
    return value;
  }

  put(key: string, stamp: string, value: CachedBody): void {
    this.entries.delete(key);
    this.entries.set(key, { stamp, value });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** JSON bytes and their ETag, computed once per cached answer. */
export function cachedJson(value: unknown): CachedBody {
  const body = Buffer.from(JSON.stringify(value));
  return { body, etag: `"${crypto.createHash('sha1').update(body).digest('base64url')}"` };
}
