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
export class ResponseCache<V extends CachedBody = CachedBody> {
  private readonly entries = new Map<string, { stamp: string; value: V }>();
  constructor(private readonly max = 10_000) {}

  /** The cached answer for `key` when it was built under `stamp`, without building anything. */
  peek(key: string, stamp: string): V | undefined {
    const hit = this.entries.get(key);
    return hit !== undefined && hit.stamp === stamp ? hit.value : undefined;
  }

  /** The answer `build` serializes as JSON, cached under `stamp`. */
  async get(this: ResponseCache, key: string, stamp: string, build: () => Promise<unknown>): Promise<CachedBody> {
    return this.prepared(key, stamp, async () => cachedJson(await build()));
  }

  /** An answer `build` prepares itself (bytes, ETag and whatever the caller keeps with them), cached under `stamp`. */
  async prepared(key: string, stamp: string, build: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp) return hit.value;
    const value = await build();
    this.put(key, stamp, value);
    return value;
  }

  put(key: string, stamp: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { stamp, value });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** JSON bytes and their ETag, computed once per cached answer. */
export function cachedJson(value: unknown): CachedBody {
  return cachedText(JSON.stringify(value));
}

/** Text (JSON already serialized, markdown) as bytes with their ETag. */
export function cachedText(text: string): CachedBody {
  const body = Buffer.from(text);
  return { body, etag: `"${crypto.createHash('sha1').update(body).digest('base64url')}"` };
}
