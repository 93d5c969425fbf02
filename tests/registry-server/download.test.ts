import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binary, bundle, digestOf, engine, expectError, expectOk, image, makeApp, type TestApp } from './helpers';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
  await t.publish(binary('bin', '1.0.0', { config: { a: 1 } }));
  await t.publish(binary('bin', '1.1.0', { config: { a: 2 } }));
  await t.publish(image('img', '0.3.0'));
  await t.publish(bundle('bun', '0.1.0'));
  await t.publish(engine('eng', '0.21.4'));
});
afterEach(async () => t.close());

describe('GET /download/{name}', () => {
  it('answers each type with its variant and the latest version by default', async () => {
    expect(await expectOk(t.get('/download/bin'))).toMatchObject({ name: 'bin', type: 'binary', version: '1.1.0', config: { a: 2 } });
    expect(Object.keys((await t.get('/download/bin')).json.binaries)).toEqual(['aarch64-apple-darwin', 'x86_64-unknown-linux-gnu']);
    expect(await expectOk(t.get('/download/bin?version=1.0.0'))).toMatchObject({ version: '1.0.0', config: { a: 1 } });
    expect(await expectOk(t.get('/download/img'))).toEqual({ name: 'img', type: 'image', version: '0.3.0', image_url: `ghcr.io/iii/img@sha256:${digestOf('img@0.3.0')}` });
    expect(await expectOk(t.get('/download/bun'))).toEqual({ name: 'bun', type: 'bundle', version: '0.1.0', archive_url: 'https://example.com/bun-0.1.0.tar.gz', sha256: 'b'.repeat(64) });
    const eng = await t.get('/download/eng');
    expect(eng.status).toBe(204);
    expect(eng.body).toBe('');
  });

  it('counts every 200 and 204, with a separate CI counter', async () => {
    await t.get('/download/bin');
    await t.get('/download/bin?ci=true');
    await t.get('/download/bin?version=1.0.0&ci=true');
    await t.get('/download/eng');
    await t.get('/download/bin?version=9.0.0');
    const bin = (await t.get('/w/bin')).json.worker;
    expect(bin.total_downloads).toBe(3);
    expect(bin.download_counts).toEqual({ total: 3, ci: 2 });
    expect((await t.get('/w/eng')).json.worker.total_downloads).toBe(1);
  });

  it('answers 404 for an unknown worker and version_not_found for an unknown version', async () => {
    expectError(await t.get('/download/nope'), 404, 'worker_not_found');
    expectError(await t.get('/download/bin?version=9.0.0'), 422, 'version_not_found');
  });
});
