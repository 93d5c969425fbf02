import { RegistryError } from '../errors';

/**
 * Failed authentications per client address and per key prefix, in fixed windows. Past `max` failures a
 * bucket refuses unknown keys with 429 until its window ends, without looking them up, so guessing stops being
 * answered. Keys that authenticated successfully recently ("known good", any address) are still checked and
 * accepted from a limited address or prefix: a publisher behind the same NAT as a guesser keeps working. A valid
 * key that has not been used since the process started waits at most one window. Memory is bounded.
 */
export interface AuthLimiterOptions {
  /** Failures allowed per window per address and per key prefix; 0 disables the limiter. */
  max: number;
  windowMs: number;
  now?: () => number;
}

/** Characters of a presented key that form its bucket: `iiireg_` plus 9 random characters (54 bits). */
export const KEY_PREFIX_LENGTH = 16;
const MAX_BUCKETS = 50_000;
const MAX_KNOWN_GOOD = 10_000;
const KNOWN_GOOD_MS = 24 * 60 * 60 * 1000;

interface Bucket {
  failures: number;
  resetAt: number;
}

export class AuthLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly knownGood = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: AuthLimiterOptions) {
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.options.max > 0;
  }

  /** Whether this key hash authenticated successfully within the last day. */
  isKnownGood(hash: string): boolean {
    const at = this.knownGood.get(hash);
    if (at === undefined) return false;
    if (this.now() - at < KNOWN_GOOD_MS) return true;
    this.knownGood.delete(hash);
    return false;
  }

  succeeded(hash: string): void {
    if (!this.enabled) return;
    this.knownGood.delete(hash);
    this.knownGood.set(hash, this.now());
    if (this.knownGood.size > MAX_KNOWN_GOOD) this.knownGood.delete(this.knownGood.keys().next().value as string);
  }

  forget(hash: string): void {
    this.knownGood.delete(hash);
  }

  /** Throws the 429 when the address or the key's prefix used up its failures in the current window. */
  check(address: string, presented: string): void {
    if (!this.enabled) return;
    const wait = Math.max(this.waitMs(`ip:${address}`), this.waitMs(`key:${presented.slice(0, KEY_PREFIX_LENGTH)}`));
    if (wait > 0) throw authRateLimited(Math.ceil(wait / 1000), this.options.max, this.options.windowMs);
  }

  failed(address: string, presented: string): void {
    if (!this.enabled) return;
    this.count(`ip:${address}`);
    this.count(`key:${presented.slice(0, KEY_PREFIX_LENGTH)}`);
  }

  private waitMs(id: string): number {
    const b = this.buckets.get(id);
    if (!b) return 0;
    const left = b.resetAt - this.now();
    if (left <= 0) {
      this.buckets.delete(id);
      return 0;
    }
    return b.failures >= this.options.max ? left : 0;
  }

  private count(id: string): void {
    const now = this.now();
    let b = this.buckets.get(id);
    if (!b || b.resetAt <= now) {
      this.buckets.delete(id);
      b = { failures: 0, resetAt: now + this.options.windowMs };
      this.buckets.set(id, b);
      // Oldest first in insertion order: expired or not, the oldest buckets go first when memory is tight.
      if (this.buckets.size > MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value as string);
    }
    b.failures++;
  }
}

export const authRateLimited = (retryAfterS: number, max: number, windowMs: number) =>
  new RegistryError(
    429,
    'auth_rate_limited',
    `Too many failed authentications from this address or for this key prefix: at most ${max} per ${Math.round(windowMs / 1000)} s.`,
    `Check the X-API-Key header (a key that works is not affected), then retry after ${retryAfterS} s (Retry-After).`,
    [],
    undefined,
    { 'retry-after': String(retryAfterS) },
  );
