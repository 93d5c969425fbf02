import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binary, expectError, expectOk, makeApp, type TestApp } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
  await t.publish(binary('image-resize', '0.1.1'));
  await t.publish(binary('image-resize', '0.1.2', {
    description: 'Resize images', license: 'Apache-2.0', config: { width: 200 }, dependencies: { configuration: '^0.21.6' },
    functions: [{ name: 'image_resize::resize', description: 'Resize one image',
      request_schema: { type: 'object', properties: { width: { type: 'integer', minimum: 1 } }, required: ['width'] }, response_schema: { type: 'object' } }] as never,
    readme: '# image-resize\n\nLong readme.\n\n' + 'Paragraph of detail. '.repeat(400),
  }));
  await t.post('/w/image-resize/skills', { version: '0.1.2', skills: { 'SKILL.md': '---\ndescription: how to resize\n---\n# Skill' } });
});
afterAll(async () => t.close());

describe('GET /workers/{name}.md', () => {
  it('serves the agent context of the resolved version as markdown with an ETag', async () => {
    const res = await t.get('/workers/image-resize.md');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/markdown');
    expect(res.body.split('\n')[0]).toBe('# image-resize 0.1.2');
    for (const text of ['iii worker add image-resize@0.1.2', 'image_resize::resize', 'Resize one image', 'width', 'configuration', '^0.21.6', 'SKILL.md', 'how to resize', '0.1.1'])
      expect(res.body).toContain(text);
    expect(res.body.indexOf('image_resize::resize')).toBeLessThan(res.body.indexOf('Paragraph of detail'));
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.headers.etag).toMatch(/^"/);
  });

  it('is byte-identical for the same version, cacheable for long when exact, and answers 304 on If-None-Match', async () => {
    const a = await t.get('/workers/image-resize.md?version=0.1.2');
    const b = await t.get('/workers/image-resize.md?version=0.1.2');
    expect(a.body).toBe(b.body);
    expect(a.headers.etag).toBe(b.headers.etag);
    expect(a.headers['cache-control']).toBe('public, max-age=86400');
    const cond = await t.app.inject({ url: '/workers/image-resize.md?version=0.1.2', headers: { 'if-none-match': String(a.headers.etag) } });
    expect(cond.statusCode).toBe(304);
    const old = await t.get('/workers/image-resize.md?version=0.1.1');
    expect(old.body.split('\n')[0]).toBe('# image-resize 0.1.1');
    expect(old.headers.etag).not.toBe(a.headers.etag);
  });

  it('trims the README first under a token budget and keeps the API reference', async () => {
    const full = await t.get('/workers/image-resize.md?version=0.1.2');
    const small = await t.get('/workers/image-resize.md?version=0.1.2&tokens=600');
    expect(small.body.length).toBeLessThan(full.body.length);
    expect(small.body).toContain('image_resize::resize');
    const only = await t.get('/workers/image-resize.md?version=0.1.2&sections=functions');
    expect(only.body).toContain('image_resize::resize');
    expect(only.body).not.toContain('Paragraph of detail');
    expectError(await t.get('/workers/image-resize.md?sections=bogus'), 422, 'validation_failed');
    expectError(await t.get('/workers/ghost.md'), 404, 'worker_not_found');
    // A name the .md route cannot match (found by the fuzz test) still answers as the agent endpoint does.
    const odd = await t.get('/workers/%0A.md');
    expect(odd.headers['content-type']).toMatch(/^application\/json/);
    expectError(odd, 404, 'worker_not_found');
    expectError(await t.get('/workers/image-resize.md?version=7.0.0'), 404, 'version_not_found');
  });
});

describe('llms.txt, openapi.json, healthz', () => {
  it('lists every worker with a link to its .md', async () => {
    const res = await t.get('/llms.txt');
    expect(res.status).toBe(200);
    expect(res.body).toContain('- [image-resize](http://registry.test/workers/image-resize.md): Resize images (latest 0.1.2)');
  });

  it('documents every endpoint in OpenAPI 3.1 generated from the schemas', async () => {
    const doc = await expectOk(t.get('/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/publish', '/resolve', '/download/{name}', '/w', '/w/{slug}', '/w/{slug}/versions', '/w/{slug}/tags/{tag}', '/w/{slug}/skills', '/workers/{name}.md'])
      expect(doc.paths).toHaveProperty([p]);
    const publishBody = doc.paths['/publish'].post.requestBody.content['application/json'].schema;
    expect(publishBody.required).toEqual(expect.arrayContaining(['worker_name', 'version', 'type']));
    expect(publishBody.properties.type.enum).toEqual(['binary', 'image', 'bundle', 'engine']);
  });

  it('reports health and answers unknown routes in the envelope', async () => {
    expect(await expectOk(t.get('/healthz'))).toMatchObject({ status: 'ok', database: 'ok', workers_indexed: 1 });
    expectError(await t.get('/nope/nothing'), 404, 'route_not_found');
  });
});
