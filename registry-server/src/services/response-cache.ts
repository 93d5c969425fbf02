import crypto from 'node:crypto';
import { SecondAsk } from './second-ask';

export interface CachedBody {
  /** The serialized answer; cached answers hold the UTF-8 bytes so a hit sends them without re-encoding. */
  body: string | Buffer;
  etag: string;
}

/** What an entry costs (body bytes, key and bookkeeping); strings count two bytes a character, as V8 may hold them. */
const costOf = (key: string, body: string | Buffer): number => (typeof body === 'string' ? 2 * body.length : body.length) + 2 * key.length + 64;

/**
 * Serialized responses kept with the stamp they were built under; a read checks the current stamp (memoized, see
 * db/stamps.ts) and reuses the bytes while it matches. Bounded in entries and in bytes (a few large answers, such
 * as workers with long READMEs, cannot grow the process past `maxBytes`): the oldest entry goes first. Eviction is
 * insertion order, not LRU, so a hit stays one Map lookup with no bookkeeping.
 */
export class ResponseCache<V extends CachedBody = CachedBody> {
  private readonly entries = new Map<string, { stamp: string; value: V; cost: number }>();
  private total = 0;
  private readonly admission: SecondAsk | undefined;

  /**
   * `secondMiss`: keep an answer only when its key misses a second time (or had an entry under an older stamp), for
   * caches keyed by open-ended input (second-ask.ts). The hit path is unchanged.
   */
  constructor(private readonly max = 10_000, private readonly maxBytes = 8 * 1024 * 1024, secondMiss = false) {
    this.admission = secondMiss ? new SecondAsk(max) : undefined;
  }

  /** Bytes held (body, key and bookkeeping of every entry). */
  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

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
    if (this.admission && !this.admission.admit(key, this.entries.has(key))) return;
    const cost = costOf(key, value.body);
    this.drop(key);
    // An answer larger than the whole budget is served but not kept.
    if (cost > this.maxBytes) return;
    this.entries.set(key, { stamp, value, cost });
    this.total += cost;
    while (this.entries.size > this.max || this.total > this.maxBytes) this.drop(this.entries.keys().next().value as string);
  }

  private drop(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.total -= old.cost;
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
