import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binary, expectError, expectOk, makeApp, type TestApp } from '../helpers';

/**
 * real-clients.md: "A tag given at publish moves only that tag" and "Promotion sends expected_tag", replayed as
 * registry_release.py sends them: PUT /w/{w}/tags/latest {"version", "expected_tag": "next", "expected_current_version"?}.
 */

let t: TestApp;
beforeEach(async () => { t = await makeApp(); });
afterEach(async () => t.close());

const resolved = async (worker: string, selector: string) => {
  const res = await t.post('/resolve', { worker, version: selector }, null);
  return res.status === 200 ? (res.json.root.version as string) : (res.json.error.code as string);
};
/** registry_release.py promotion_payload(): expected_current_version only when latest resolved. */
const promotion = (version: string, currentLatest: string | null) => ({ version, expected_tag: 'next', ...(currentLatest === null ? {} : { expected_current_version: currentLatest }) });

describe('real clients: tags', () => {
  it('publishing with tag next leaves latest where it was', async () => {
    await expectOk(t.publish(binary('w', '1.0.0')));
    const body = await expectOk(t.publish(binary('w', '1.1.0', { tag: 'next' })));
    expect(body.version.version_tags).toEqual(['next']);
    expect(await resolved('w', 'latest')).toBe('1.0.0');
    expect(await resolved('w', 'next')).toBe('1.1.0');
    expect((await t.get('/w/w')).json.worker.version).toBe('1.0.0');
  });

  it('a first publish with tag next creates no latest, so resolving latest answers version_not_found', async () => {
    await expectOk(t.publish(binary('fresh', '1.0.0', { tag: 'next' })));
    expect(await resolved('fresh', 'latest')).toBe('version_not_found');
    const moved = await expectOk(t.put('/w/fresh/tags/latest', promotion('1.0.0', null)));
    expect(moved).toEqual({ tag: { name: 'latest', version: '1.0.0' }, changed: true });
    expect(await resolved('fresh', 'latest')).toBe('1.0.0');
  });

  it('expected_tag: the move succeeds only when version is what that tag points at now, else 409', async () => {
    await expectOk(t.publish(binary('w', '1.0.0')));
    await expectOk(t.publish(binary('w', '1.1.0', { tag: 'next' })));
    await expectOk(t.publish(binary('w', '1.2.0', { tag: 'next' })));
    const err = expectError(await t.put('/w/w/tags/latest', promotion('1.1.0', '1.0.0')), 409, 'tag_conflict');
    expect(err.available).toEqual(['1.2.0']);
    expect(await resolved('w', 'latest')).toBe('1.0.0');
    expect(await expectOk(t.put('/w/w/tags/latest', promotion('1.2.0', '1.0.0')))).toEqual({ tag: { name: 'latest', version: '1.2.0' }, changed: true });
  });

  it('an absent expected_current_version is an unconditional move; a stale one is 409', async () => {
    await expectOk(t.publish(binary('w', '1.0.0')));
    await expectOk(t.publish(binary('w', '2.0.0', { tag: 'beta' })));
    expectError(await t.put('/w/w/tags/latest', { version: '2.0.0', expected_current_version: '0.9.0' }), 409, 'tag_conflict');
    expect(await expectOk(t.put('/w/w/tags/latest', { version: '2.0.0' }))).toEqual({ tag: { name: 'latest', version: '2.0.0' }, changed: true });
  });

  it('a move to where the tag already points is 200 changed:false, never 409 (idempotent retry)', async () => {
    await expectOk(t.publish(binary('w', '1.0.0')));
    await expectOk(t.publish(binary('w', '1.1.0', { tag: 'next' })));
    await expectOk(t.put('/w/w/tags/latest', promotion('1.1.0', '1.0.0')));
    await expectOk(t.publish(binary('w', '1.2.0', { tag: 'next' })));
    // The retry carries the old expectations: next moved on, latest already moved. Still not a conflict.
    const retry = await t.put('/w/w/tags/latest', promotion('1.1.0', '1.0.0'));
    expect(retry.status, retry.body).toBe(200);
    expect(retry.json).toEqual({ tag: { name: 'latest', version: '1.1.0' }, changed: false });
  });

  it('a yank or restore never creates latest for a worker staged on next', async () => {
    await expectOk(t.publish(binary('staged', '1.0.0', { tag: 'next' })));
    await expectOk(t.publish(binary('staged', '0.9.0', { tag: 'old' })));
    await expectOk(t.post('/w/staged/versions/0.9.0/status', { status: 'deprecated', message: 'old' }));
    await expectOk(t.post('/w/staged/versions/0.9.0/status', { status: 'active' }));
    expect(await resolved('staged', 'latest')).toBe('version_not_found');
    expect((await expectOk(t.get('/w/staged/versions'))).versions.flatMap((v: { tags: string[] }) => v.tags).sort()).toEqual(['next', 'old']);
  });

  it('refuses an invalid expected_tag with its path', async () => {
    await expectOk(t.publish(binary('w', '1.0.0')));
    const err = expectError(await t.put('/w/w/tags/latest', { version: '1.0.0', expected_tag: 'Next!' }), 422, 'validation_failed');
    expect(err.problems?.map((p) => p.path)).toEqual(['expected_tag']);
  });
});
