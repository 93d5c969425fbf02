export interface CacheOptions {
  /** How long an answer stays fresh. 0 disables the cache (no storing, no stale answers). */
  ttlMs: number;
  /** Which load failures may be answered with an expired entry (the registry is down, not "no such worker"). */
  serveStaleOn: (err: unknown) => boolean;
  /** Told when an expired answer is served, so staleness is never silent. */
  onStale?: (key: string, ageMs: number, err: unknown) => void;
  /** Bound on stored answers; the oldest goes first. */
  maxEntries?: number;
  now?: () => number;
}

export interface Cache<T> {
  /** The answer for `key`: fresh from the store, shared with an identical call in flight, or loaded. */
  get(key: string, load: () => Promise<T>): Promise<T>;
  readonly size: number;
  clear(): void;
}

/** Thrown when the registry is unavailable and no answer, fresh or stale, is stored for the request. */
export class NoCachedAnswerError extends Error {
  constructor(cause: unknown) {
    super(`${cause instanceof Error ? cause.message : String(cause)}. No cached answer exists for this request; try again when the registry is back.`);
    this.name = 'NoCachedAnswerError';
  }
}

/**
 * A TTL cache keyed by the request's inputs, with in-flight de-duplication (concurrent identical calls share one
 * registry request) and stale-on-error (an expired answer beats an error when the registry cannot be reached).
 */
export function createCache<T>(options: CacheOptions): Cache<T> {
  const { ttlMs, serveStaleOn, onStale, maxEntries = 1000, now = Date.now } = options;
  const store = new Map<string, { value: T; storedAt: number }>();
  const inFlight = new Map<string, Promise<T>>();

  async function loadAndStore(key: string, load: () => Promise<T>): Promise<T> {
    try {
      const value = await load();
      if (ttlMs > 0) {
        store.delete(key); // re-insert so Map order stays oldest-first for eviction
        store.set(key, { value, storedAt: now() });
        const oldest = store.keys().next();
        if (store.size > maxEntries && !oldest.done) store.delete(oldest.value);
      }
      return value;
    } catch (err) {
      if (!serveStaleOn(err)) throw err;
      const stale = store.get(key);
      if (!stale) throw new NoCachedAnswerError(err);
      onStale?.(key, now() - stale.storedAt, err);
      return stale.value;
    }
  }

  return {
    get(key, load) {
      const hit = store.get(key);
      if (hit && now() - hit.storedAt < ttlMs) return Promise.resolve(hit.value);
      const running = inFlight.get(key);
      if (running) return running;
      const promise = loadAndStore(key, load).finally(() => inFlight.delete(key));
      inFlight.set(key, promise);
      return promise;
    },
    get size() {
      return store.size;
    },
    clear() {
      store.clear();
    },
  };
}

/** A stable key from a request's normalised inputs (absent and null are the same input). */
export const cacheKey = (...parts: Array<string | number | undefined | null>): string =>
  JSON.stringify(parts.map((p) => p ?? null));
