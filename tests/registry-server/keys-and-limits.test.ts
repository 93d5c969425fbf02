import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY, binary, expectError, expectOk, makeApp, type TestApp } from './helpers';

let t: TestApp | undefined;
afterEach(async () => t?.close());

describe('API keys', () => {
  it('stores only hashes, creates and revokes keys through the admin endpoints', async () => {
    t = await makeApp();
    const created = (await t.post('/admin/keys', { name: 'ci-bot' })).json.key;
    expect(created.key).toMatch(/^iiireg_/);
    const rows = await t.backend.query<{ hash: string }>('SELECT hash FROM api_keys');
    expect(rows.some((r) => r.hash.includes(created.key) || r.hash === ADMIN_KEY)).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);
    await expectOk(t.publish(binary('a', '1.0.0'), created.key));
    expectError(await t.get('/admin/keys'), 401, 'api_key_missing');
    const listed = (await t.app.inject({ url: '/admin/keys', headers: { 'x-api-key': ADMIN_KEY } })).json();
    expect(listed.keys.map((k: { name: string }) => k.name)).toEqual(['bootstrap-admin', 'ci-bot']);
    expect(JSON.stringify(listed)).not.toContain('hash');
    expectError(await t.post('/admin/keys', { name: 'x' }, created.key), 403, 'admin_required');
    expect((await t.del(`/admin/keys/${created.id}`)).status).toBe(200);
    expectError(await t.publish(binary('a', '1.0.1'), created.key), 401, 'api_key_invalid');
    expectError(await t.del('/admin/keys/999'), 404, 'key_not_found');
  });

  it('generates a bootstrap key when none is configured, only on the first start', async () => {
    const { buildApp } = await import('../../registry-server/src/app');
    const { loadConfig } = await import('../../registry-server/src/config');
    const first = await buildApp(loadConfig({ REGISTRY_DATA_DIR: ':memory:', REGISTRY_SEED: '0' }));
    expect(first.generatedKey).toMatch(/^iiireg_/);
    const res = await first.app.inject({ method: 'POST', url: '/publish', payload: binary('a', '1.0.0'), headers: { 'x-api-key': first.generatedKey as string } });
    expect(res.statusCode).toBe(200);
    await first.app.close();
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After in the envelope past the per-IP read limit', async () => {
    t = await makeApp({ REGISTRY_READ_RATE_LIMIT: '3' });
    for (let i = 0; i < 3; i++) expect((await t.get('/w')).status).toBe(200);
    const limited = await t.get('/w');
    const err = expectError(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(err.fix).toContain('Retry-After');
  });

  it('limits publishes per key, independently of other keys', async () => {
    t = await makeApp({ REGISTRY_PUBLISH_RATE_LIMIT: '2' });
    const other = (await t.post('/admin/keys', { name: 'other' })).json.key.key as string;
    await expectOk(t.publish(binary('a', '1.0.0')));
    await expectOk(t.publish(binary('a', '1.0.1')));
    expectError(await t.publish(binary('a', '1.0.2')), 429, 'rate_limited');
    await expectOk(t.publish(binary('b', '1.0.0'), other));
  });
});
