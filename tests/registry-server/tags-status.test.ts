import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binary, expectError, expectOk, makeApp, type TestApp } from './helpers';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
  for (const v of ['1.2.3', '1.3.0', '1.3.0-rc.1']) await expectOk(t.publish(binary('resend', v)));
});
afterEach(async () => t.close());

describe('PUT /w/{slug}/tags/{tag}', () => {
  it('moves a tag when the expected version matches, and says whether it changed', async () => {
    const moved = await expectOk(t.put('/w/resend/tags/latest', { version: '1.2.3', expected_current_version: '1.3.0' }));
    expect(moved).toEqual({ tag: { name: 'latest', version: '1.2.3' }, changed: true });
    const again = await expectOk(t.put('/w/resend/tags/latest', { version: '1.2.3', expected_current_version: '1.2.3' }));
    expect(again).toEqual({ tag: { name: 'latest', version: '1.2.3' }, changed: false });
    expect((await t.get('/w/resend')).json.worker.version).toBe('1.2.3');
  });

  it('creates a tag only when null is expected and it does not exist yet', async () => {
    await expectOk(t.put('/w/resend/tags/next', { version: '1.3.0-rc.1', expected_current_version: null }));
    const err = expectError(await t.put('/w/resend/tags/next', { version: '1.3.0', expected_current_version: null }), 409, 'tag_conflict');
    expect(err.available).toEqual(['1.3.0-rc.1']);
    const versions = (await t.get('/w/resend/versions')).json.versions;
    expect(versions.find((v: { version: string }) => v.version === '1.3.0-rc.1').tags).toEqual(['next']);
  });

  it('answers 409 when the tag points elsewhere, 404 for an unknown version, 422 for a bad body, 401 without key', async () => {
    expectError(await t.put('/w/resend/tags/latest', { version: '1.2.3', expected_current_version: '1.2.3' }), 409, 'tag_conflict');
    expectError(await t.put('/w/resend/tags/latest', { version: '9.9.9', expected_current_version: '1.3.0' }), 404, 'version_not_found');
    const bad = expectError(await t.put('/w/resend/tags/Bad Tag', { version: 'x' }), 422, 'validation_failed');
    expect(bad.problems?.map((p) => p.path)).toEqual(expect.arrayContaining(['tag', 'version']));
    expectError(await t.put('/w/resend/tags/latest', { version: '1.2.3' }, null), 401, 'api_key_missing');
    expectError(await t.put('/w/ghost/tags/latest', { version: '1.2.3' }), 404, 'worker_not_found');
  });

  it('lets exactly one of two concurrent moves with the same expectation win', async () => {
    const [a, b] = await Promise.all([
      t.put('/w/resend/tags/latest', { version: '1.2.3', expected_current_version: '1.3.0' }),
      t.put('/w/resend/tags/latest', { version: '1.3.0-rc.1', expected_current_version: '1.3.0' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? '1.2.3' : '1.3.0-rc.1';
    expect((await t.get('/w/resend')).json.worker.version).toBe(winner);
  });
});

describe('yank and deprecate (POST /w/{slug}/versions/{version}/status)', () => {
  it('takes a yanked version out of latest and ranges but keeps the exact version installable', async () => {
    const res = await expectOk(t.post('/w/resend/versions/1.3.0/status', { status: 'yanked', message: 'leaks API keys in logs' }));
    expect(res.version).toMatchObject({ version: '1.3.0', status: 'yanked', status_message: 'leaks API keys in logs', tags: [] });
    expect((await t.get('/w/resend')).json.worker.version).toBe('1.2.3');
    const resolved = await expectOk(t.post('/resolve', { worker: 'resend', version: '^1.2.0' }, null));
    expect(resolved.root.version).toBe('1.2.3');
    const exact = await expectOk(t.post('/resolve', { worker: 'resend', version: '1.3.0' }, null));
    expect(exact.root.version).toBe('1.3.0');
    const detail = (await t.get('/w/resend?version=1.3.0')).json.worker;
    expect(detail).toMatchObject({ status: 'yanked', status_message: 'leaks API keys in logs' });
    const md = await t.get('/workers/resend.md?version=1.3.0');
    expect(md.body).toContain('leaks API keys in logs');
  });

  it('deprecates with a message and restores; latest comes back to the highest active version', async () => {
    await expectOk(t.post('/w/resend/versions/1.3.0/status', { status: 'deprecated', message: 'use 2.x' }));
    expect((await t.get('/w/resend')).json.worker.version).toBe('1.2.3');
    await expectOk(t.post('/w/resend/versions/1.3.0/status', { status: 'active' }));
    const back = (await t.get('/w/resend')).json.worker;
    expect(back).toMatchObject({ version: '1.3.0', status: 'active', status_message: null });
  });

  it('drops latest when no active stable version is left, and refuses yanked versions as latest', async () => {
    await expectOk(t.post('/w/resend/versions/1.3.0/status', { status: 'yanked' }));
    await expectOk(t.post('/w/resend/versions/1.2.3/status', { status: 'yanked' }));
    const err = expectError(await t.post('/resolve', { worker: 'resend', version: 'latest' }, null), 422, 'version_not_found');
    expect(err.available).toEqual(['1.3.0', '1.3.0-rc.1', '1.2.3']);
    expectError(await t.put('/w/resend/tags/latest', { version: '1.2.3' }), 422, 'version_yanked');
    expectError(await t.post('/w/resend/versions/1.2.3/status', { status: 'gone' }), 422, 'validation_failed');
  });
});
