import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binary, bundle, digestOf, expectError, expectOk, image, makeApp, type TestApp } from '../helpers';
import { cliRefusal } from './lockfile-rules';

/**
 * real-clients.md "Artifacts": what `iii worker add` writes into iii.lock (lockfile.rs) and what iii-compose turns
 * into install paths must be refused at publish, in the envelope, with the JSON path and the form the clients need.
 */

let t: TestApp;
beforeEach(async () => { t = await makeApp(); });
afterEach(async () => t.close());

const stored = () => t.count('SELECT COUNT(*) AS n FROM versions');

async function refused(body: unknown, path: string) {
  const before = await stored();
  const err = expectError(await t.post('/publish', body), 422, 'validation_failed');
  const problem = err.problems?.find((p) => p.path === path);
  expect(problem, JSON.stringify(err.problems)).toBeDefined();
  expect(await stored()).toBe(before);
  return { err, problem: problem as { path: string; message: string; fix?: string } };
}

describe('real clients: artifacts', () => {
  it('refuses an image that is not pinned by digest, naming image_tag and the digest form', async () => {
    for (const tag of ['ghcr.io/iii-hq/resize:0.1.2', 'ghcr.io/iii-hq/resize@sha256:abc', 'ghcr.io/iii-hq/resize@sha256:' + 'A'.repeat(64)]) {
      const { err, problem } = await refused(image('resize', '0.1.2', { image_tag: tag }), 'image_tag');
      expect(problem.message).toContain('pinned by digest');
      expect(err.fix).toContain('pin it by digest: ghcr.io/x/y@sha256:<64 hex>');
    }
    // Pinned forms install: with and without a tag before the digest.
    const digest = digestOf('resize');
    await expectOk(t.publish(image('resize', '0.1.2', { image_tag: `ghcr.io/iii-hq/resize@sha256:${digest}` })));
    await expectOk(t.publish(image('resize', '0.1.3', { image_tag: `ghcr.io/iii-hq/resize:0.1.3@sha256:${digest}` })));
    const res = await t.post('/resolve', { worker: 'resize', version: 'latest' }, null);
    expect(cliRefusal(res.body)).toBeNull();
    expect(res.json.graph[0].image).toBe(`ghcr.io/iii-hq/resize:0.1.3@sha256:${digest}`);
  });

  it('refuses a binary or bundle sha256 that is not exactly 64 lower-case hex characters', async () => {
    for (const sha of ['abc123', 'A'.repeat(64), 'a'.repeat(63), 'a'.repeat(65), 'g'.repeat(64)]) {
      const bin = binary('bin', '1.0.0', { binaries: { 'x86_64-unknown-linux-gnu': { url: 'https://example.com/bin.tar.gz', sha256: sha } } });
      const { problem } = await refused(bin, 'binaries["x86_64-unknown-linux-gnu"].sha256');
      expect(problem.message).toContain('64 lower-case hex');
      await refused(bundle('bun', '1.0.0', { sha256: sha }), 'sha256');
    }
    await expectOk(t.publish(binary('bin', '1.0.0')));
    expect(cliRefusal((await t.post('/resolve', { worker: 'bin', version: '1.0.0' }, null)).body)).toBeNull();
  });

  it('refuses build metadata in a version with the reason iii-compose refuses it', async () => {
    const { err, problem } = await refused(binary('built', '1.0.0+build.5'), 'version');
    expect(problem.message).toContain('build metadata');
    expect(problem.message).toContain('iii-compose');
    expect(err.fix).toContain('publish 1.0.0');
    expectError(await t.get('/w/built'), 404, 'worker_not_found');
  });

  it('reports every artifact problem of one payload at once and stores nothing', async () => {
    const body = { ...image('multi', '1.0.0+x', { image_tag: 'ghcr.io/a/b:1' }), dependencies: { other: '>=1 <2' } };
    const before = await stored();
    const err = expectError(await t.post('/publish', body), 422, 'validation_failed');
    expect(err.problems?.map((p) => p.path).sort()).toEqual(['dependencies.other', 'image_tag', 'version']);
    expect(await stored()).toBe(before);
  });
});
