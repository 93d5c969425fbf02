import { afterEach, describe, expect, it } from 'vitest';
import { AuthLimiter } from '../../registry-server/src/services/auth-limiter';
import { ADMIN_KEY, binary, expectError, makeApp, type TestApp } from './helpers';

let t: TestApp | undefined;
afterEach(async () => t?.close());

const guess = (i: number) => `iiireg_${String(i).padStart(9, '0')}guessguessguessguess`;

async function publishAs(app: TestApp, key: string, address: string, version: string) {
  const res = await app.app.inject({ method: 'POST', url: '/publish', remoteAddress: address, headers: { 'x-api-key': key }, payload: binary('guarded', version) });
  return { status: res.statusCode, json: res.json(), headers: res.headers, body: res.body };
}

describe('failed authentications are rate limited', () => {
  it('answers 429 with Retry-After in the envelope after 10 wrong keys from one address (40 guesses)', async () => {
    t = await makeApp({ REGISTRY_AUTH_FAILURE_LIMIT: '10' });
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof publishAs>> | undefined;
    for (let i = 0; i < 40; i++) {
      const res = await publishAs(t, guess(i), '10.0.0.1', '1.0.0');
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(30).fill(429));
    const err = expectError(limited!, 429, 'auth_rate_limited');
    const retryAfter = Number(limited!.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(err.fix).toContain('Retry-After');
    // Another address is not limited by this one's failures.
    expectError(await publishAs(t, 'iiireg_otherprefix-wrong', '10.0.0.2', '1.0.0'), 401, 'api_key_invalid');
  });

  it('keeps accepting a working key from the limited address', async () => {
    t = await makeApp({ REGISTRY_AUTH_FAILURE_LIMIT: '5' });
    expect((await publishAs(t, ADMIN_KEY, '10.0.0.9', '1.0.0')).status).toBe(200);
    for (let i = 0; i < 8; i++) await publishAs(t, guess(i), '10.0.0.9', '1.0.1');
    expectError(await publishAs(t, guess(99), '10.0.0.9', '1.0.1'), 429, 'auth_rate_limited');
    expect((await publishAs(t, ADMIN_KEY, '10.0.0.9', '1.0.1')).status).toBe(200);
    // A missing key is not a guess: it answers 401 and costs nothing.
    const missing = await t.app.inject({ method: 'POST', url: '/publish', remoteAddress: '10.0.0.9', payload: binary('guarded', '1.0.2') });
    expect(missing.statusCode).toBe(401);
  });

  it('limits guesses that share a key prefix across addresses', async () => {
    t = await makeApp({ REGISTRY_AUTH_FAILURE_LIMIT: '5' });
    const prefix = 'iiireg_leakedpre';
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await publishAs(t, `${prefix}${i}xxxxxxxx`, `10.1.0.${i}`, '1.0.0')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });
});

describe('AuthLimiter', () => {
  it('lifts a limit when its window ends, and forgets a key that stopped working', () => {
    let now = 1_000_000;
    const limiter = new AuthLimiter({ max: 2, windowMs: 60_000, now: () => now });
    limiter.failed('a', 'iiireg_aaaaaaaaaaaa');
    limiter.failed('a', 'iiireg_bbbbbbbbbbbb');
    expect(() => limiter.check('a', 'iiireg_cccccccccccc')).toThrow(/Too many failed/);
    now += 59_000;
    expect(() => limiter.check('a', 'iiireg_cccccccccccc')).toThrow();
    now += 1_000;
    expect(() => limiter.check('a', 'iiireg_cccccccccccc')).not.toThrow();
    limiter.succeeded('hash-1');
    expect(limiter.isKnownGood('hash-1')).toBe(true);
    limiter.forget('hash-1');
    expect(limiter.isKnownGood('hash-1')).toBe(false);
    now += 25 * 3600_000;
    limiter.succeeded('hash-2');
    now += 25 * 3600_000;
    expect(limiter.isKnownGood('hash-2')).toBe(false);
  });

  it('does nothing when disabled (limit 0)', () => {
    const limiter = new AuthLimiter({ max: 0, windowMs: 60_000 });
    for (let i = 0; i < 100; i++) limiter.failed('a', 'k');
    expect(() => limiter.check('a', 'k')).not.toThrow();
  });
});
