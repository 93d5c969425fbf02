import { describe, expect, it } from 'vitest';
import { cacheKey, createCache, NoCachedAnswerError } from '../../directory-worker/src/cache';

class Down extends Error {}

function setup(ttlMs: number) {
  let clock = 1_000;
  const stale: Array<{ key: string; ageMs: number }> = [];
  const cache = createCache<string>({
    ttlMs,
    serveStaleOn: (err) => err instanceof Down,
    onStale: (key, ageMs) => stale.push({ key, ageMs }),
    now: () => clock,
  });
  return { cache, stale, advance: (ms: number) => (clock += ms) };
}

describe('cache', () => {
  it('serves a fresh answer without loading again, and reloads once the TTL has passed', async () => {
    const { cache, advance } = setup(100);
    let loads = 0;
    const load = async () => `v${++loads}`;
    expect(await cache.get('k', load)).toBe('v1');
    advance(99);
    expect(await cache.get('k', load)).toBe('v1');
    advance(1);
    expect(await cache.get('k', load)).toBe('v2');
    expect(loads).toBe(2);
  });

  it('keys by inputs: different keys load separately', async () => {
    const { cache } = setup(1_000);
    expect(await cache.get(cacheKey('list', 'a'), async () => 'a')).toBe('a');
    expect(await cache.get(cacheKey('list', 'b'), async () => 'b')).toBe('b');
    expect(cacheKey('list', undefined)).toBe(cacheKey('list', null));
    expect(cache.size).toBe(2);
  });

  it('TTL 0 disables storing: every call loads', async () => {
    const { cache } = setup(0);
    let loads = 0;
    await cache.get('k', async () => `v${++loads}`);
    await cache.get('k', async () => `v${++loads}`);
    expect(loads).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('concurrent identical calls share one load', async () => {
    const { cache } = setup(0);
    let loads = 0;
    let release: (v: string) => void = () => {};
    const load = () => {
      loads++;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const calls = [cache.get('k', load), cache.get('k', load), cache.get('k', load)];
    release('shared');
    expect(await Promise.all(calls)).toEqual(['shared', 'shared', 'shared']);
    expect(loads).toBe(1);
  });

  it('serves an expired answer when the registry is down, and reports its age', async () => {
    const { cache, stale, advance } = setup(100);
    await cache.get('k', async () => 'old');
    advance(5_000);
    expect(await cache.get('k', async () => Promise.reject(new Down('refused')))).toBe('old');
    expect(stale).toEqual([{ key: 'k', ageMs: 5_000 }]);
  });

  it('with nothing cached, a down registry gives a clear error that keeps the cause', async () => {
    const { cache } = setup(100);
    const err = await cache.get('k', async () => Promise.reject(new Down('registry at http://r cannot be reached'))).catch((e) => e);
    expect(err).toBeInstanceOf(NoCachedAnswerError);
    expect(err.message).toContain('registry at http://r cannot be reached');
    expect(err.message).toContain('No cached answer');
  });

  it('errors that are answers (not outages) are never hidden behind a stale entry', async () => {
    const { cache, advance } = setup(100);
    await cache.get('k', async () => 'old');
    advance(500);
    await expect(cache.get('k', async () => Promise.reject(new Error('worker not found')))).rejects.toThrow('worker not found');
  });

  it('a failed load is not remembered as in flight', async () => {
    const { cache } = setup(100);
    await expect(cache.get('k', async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await cache.get('k', async () => 'ok')).toBe('ok');
  });
});
