import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiReferenceResponseSchema } from '@iii-registry/schemas';
import { binary, expectError, expectOk, makeApp, type TestApp } from './helpers';

/** GET /workers/{name}/api-reference.json (issue 12): the raw API reference, exactly as published. */
let t: TestApp;
const functions = [{
  name: 'image_resize::resize', description: 'Resize one image.',
  request_schema: { type: 'object', additionalProperties: false, properties: { width: { type: 'integer', minimum: 1, examples: [200] } }, $defs: { X: { type: 'string' } } },
  response_schema: { type: 'object', properties: { ok: { type: 'boolean' } } },
  metadata: { internal: true, registry_name: 'resize' },
}];
const triggers = [{ name: 'on-resized', description: 'After each resize.', invocation_schema: { type: 'object' }, return_schema: {}, metadata: {} }];

beforeAll(async () => {
  t = await makeApp();
  await t.publish(binary('image-resize', '1.0.0', { functions: functions as never, triggers: triggers as never }));
  await t.publish(binary('image-resize', '1.1.0', { functions: [] }));
});
afterAll(async () => t.close());

describe('GET /workers/{name}/api-reference.json', () => {
  it('answers the functions and triggers of a version exactly as published', async () => {
    const body = await expectOk(t.get('/workers/image-resize/api-reference.json?version=1.0.0'));
    expect(ApiReferenceResponseSchema.safeParse(body).success).toBe(true);
    expect(body).toEqual({ name: 'image-resize', version: '1.0.0', functions, triggers });
  });

  it('defaults to latest and accepts a tag', async () => {
    expect((await expectOk(t.get('/workers/image-resize/api-reference.json'))).version).toBe('1.1.0');
    expect((await expectOk(t.get('/workers/image-resize/api-reference.json?version=latest'))).functions).toEqual([]);
  });

  it('has an ETag and answers 304 to If-None-Match; exact versions cache for a day', async () => {
    const first = await t.app.inject({ method: 'GET', url: '/workers/image-resize/api-reference.json?version=1.0.0' });
    expect(first.headers['content-type']).toContain('application/json');
    expect(first.headers['cache-control']).toBe('public, max-age=86400');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    const again = await t.app.inject({ method: 'GET', url: '/workers/image-resize/api-reference.json?version=1.0.0', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    const other = await t.app.inject({ method: 'GET', url: '/workers/image-resize/api-reference.json?version=1.1.0', headers: { 'if-none-match': etag } });
    expect(other.statusCode).toBe(200);
  });

  it('answers 404 in the error envelope for an unknown worker or version', async () => {
    expectError(await t.get('/workers/nope/api-reference.json'), 404, 'worker_not_found');
    expectError(await t.get('/workers/image-resize/api-reference.json?version=9.9.9'), 404, 'version_not_found');
  });

  it('is listed in /openapi.json', async () => {
    const doc = await expectOk(t.get('/openapi.json'));
    expect(doc.paths['/workers/{name}/api-reference.json'].get.responses['200'].content['application/json'].schema.properties).toHaveProperty('functions');
  });
});
