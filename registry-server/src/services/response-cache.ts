import crypto from 'node:crypto';

export interface CachedBody {
  body: string;
  etag: string;
}

/**
 * Serialized responses kept with the stamp they were built under; a read checks the current stamp (one indexed
 * query) and reuses the bytes while it matches. Bounded: the oldest entry goes first.
 */
export class ResponseCache {
  private readonly entries = new Map<string, { stamp: string; value: CachedBody }>();
  constructor(private readonly max = 10_000) {}

  async get(key: string, stamp: string, build: () => Promise<unknown>): Promise<CachedBody> {
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp) return hit.value;
    const body = JSON.stringify(await build());
    const value = { body, etag: `"${crypto.createHash('sha1').update(body).digest('base64url')}"` };
    this.entries.delete(key);
    this.entries.set(key, { stamp, value });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }
}
