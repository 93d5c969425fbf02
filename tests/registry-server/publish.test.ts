import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkerDetailSchema } from '@iii-registry/schemas';
import { binary, expectError, expectOk, image, makeApp, type TestApp } from './helpers';

let t: TestApp;
beforeEach(async () => { t = await makeApp(); });
afterEach(async () => t.close());

const CONTRACT_EXAMPLE = {
  worker_name: 'image-resize', version: '0.1.2', tag: 'latest', type: 'binary', readme: '# image-resize\n...',
  repo: 'https://github.com/iii-hq/workers', description: 'Resize images through channel I/O', license: 'Apache-2.0',
  tags: ['image', 'resize'], experimental: false, dependencies: [{ name: 'configuration', version: '^0.21.6' }],
  config: { width: 200, height: 200, strategy: 'scale-to-fit' },
  functions: [{ name: 'image_resize::resize', description: 'Resize one image',
    request_schema: { type: 'object', properties: { width: { type: 'integer' } } }, response_schema: { type: 'object' }, metadata: {} }],
  triggers: [{ name: 'image_resize::on-done', description: 'Fires after a resize', invocation_schema: {}, return_schema: {}, metadata: {} }],
  binaries: { 'x86_64-unknown-linux-gnu': { url: 'https://example.com/image-resize-x86_64-unknown-linux-gnu.tar.gz', sha256: '37c9'.repeat(16) } },
};

describe('POST /publish', () => {
  it('accepts the contract example and answers {version: {version, ...}}', async () => {
    const body = await expectOk(t.publish(CONTRACT_EXAMPLE as never));
    expect(body.version.version).toBe('0.1.2');
    expect(WorkerDetailSchema.safeParse(body.version).success).toBe(true);
    expect(body.version.supported_targets).toEqual(['x86_64-unknown-linux-gnu']);
    expect(body.version.functions[0].request_schema.properties.width.type).toBe('integer');
    expect(body.version.version_tags).toEqual(['latest']);
  });

  it('answers with the same detail a read of the stored version shows (the answer is built without reading it back)', async () => {
    const body = await expectOk(t.publish({ ...CONTRACT_EXAMPLE, readme: '# image-resize\n'.repeat(3000) } as never));
    const read = await t.app.inject('/w/image-resize');
    expect(read.statusCode).toBe(200);
    expect(body.version).toEqual(read.json().worker);
  });

  it('accepts dependencies as a map and stores them as the list', async () => {
    const body = await expectOk(t.publish(binary('a', '1.0.0', { dependencies: { configuration: '^0.21.6', state: '*' } })));
    expect(body.version.dependencies).toEqual([{ name: 'configuration', version: '^0.21.6' }, { name: 'state', version: '*' }]);
  });

  it('treats null schemas as {} and lower-cases, trims and de-duplicates tags', async () => {
    const body = await expectOk(t.publish(binary('a', '1.0.0', {
      tags: [' Image', 'image', 'RESIZE '],
      functions: [{ name: 'a::x', request_schema: null, response_schema: undefined } as never],
    })));
    expect(body.version.tags).toEqual(['image', 'resize']);
    expect(body.version.functions[0]).toMatchObject({ name: 'a::x', description: '', request_schema: {}, response_schema: {}, metadata: {} });
  });

  it('answers 409 for an existing version, whatever the content, and suggests the next patch', async () => {
    await expectOk(t.publish(binary('a', '1.0.0')));
    const err = expectError(await t.publish(binary('a', '1.0.0', { description: 'changed' })), 409, 'version_exists');
    expect(err.fix).toContain('1.0.1');
    const detail = await expectOk(t.get('/w/a?version=1.0.0'));
    expect(detail.worker.description).toBe('The a worker');
  });

  it('reports every problem with its JSON path in one 422 and stores nothing', async () => {
    const bad = { ...binary('Bad Name', '1.2', { functions: [{ name: 'f' }, { name: 'f' }] as never }), binaries: undefined, surprise: true };
    const err = expectError(await t.publish(bad as never), 422, 'validation_failed');
    const paths = err.problems?.map((p) => p.path) ?? [];
    expect(paths).toEqual(expect.arrayContaining(['worker_name', 'version', 'functions[1].name', 'binaries', 'surprise']));
    expect(err.problems?.find((p) => p.path === 'functions[1].name')?.message).toBe('duplicate of functions[0]');
    expect(err.message).toContain('functions[1].name: duplicate of functions[0]');
    expect((await t.get('/w')).json.workers).toEqual([]);
  });

  it('requires the artifact of each type', async () => {
    expectError(await t.publish({ ...image('i', '1.0.0'), image_tag: undefined } as never), 422, 'validation_failed');
    const err = expectError(await t.publish({ worker_name: 'b', version: '1.0.0', type: 'bundle', archive_url: 'https://x.test/b.tgz' } as never), 422, 'validation_failed');
    expect(err.problems?.map((p) => p.path)).toContain('sha256');
    const noArchive = expectError(await t.publish({ worker_name: 'b', version: '1.0.0', type: 'bundle' } as never), 422, 'archive_missing');
    expect(noArchive.fix).toContain('POST /w/b/archive?version=1.0.0');
  });

  it('needs a valid key (401) and lets only the owner or an admin publish (403)', async () => {
    expectError(await t.publish(binary('a', '1.0.0'), null), 401, 'api_key_missing');
    expectError(await t.publish(binary('a', '1.0.0'), 'wrong'), 401, 'api_key_invalid');
    const alice = (await t.post('/admin/keys', { name: 'alice' })).json.key.key as string;
    const bob = (await t.post('/admin/keys', { name: 'bob' })).json.key.key as string;
    await expectOk(t.publish(binary('a', '1.0.0'), alice));
    expectError(await t.publish(binary('a', '1.1.0'), bob), 403, 'not_owner');
    await expectOk(t.publish(binary('a', '1.1.0'), alice));
    await expectOk(t.publish(binary('a', '1.2.0')));
    const item = (await t.get('/w/a')).json.worker;
    expect(item.author).toEqual({ name: 'alice', pfp: null, verified: false });
  });

  it('moves latest only to the highest stable version unless a tag is given', async () => {
    await expectOk(t.publish(binary('a', '1.0.0')));
    await expectOk(t.publish(binary('a', '2.0.0-rc.1')));
    expect((await t.get('/w/a')).json.worker.version).toBe('1.0.0');
    await expectOk(t.publish(binary('a', '0.9.0')));
    expect((await t.get('/w/a')).json.worker.version).toBe('1.0.0');
    await expectOk(t.publish(binary('a', '2.0.0-rc.2', { tag: 'next' })));
    const versions = (await t.get('/w/a/versions')).json.versions;
    expect(versions.map((v: { version: string }) => v.version)).toEqual(['2.0.0-rc.2', '2.0.0-rc.1', '1.0.0', '0.9.0']);
    expect(versions[0].tags).toEqual(['next']);
    expect(versions[2].tags).toEqual(['latest']);
    await expectOk(t.publish(binary('a', '3.0.0-beta.1', { tag: 'latest' })));
    expect((await t.get('/w/a')).json.worker.version).toBe('3.0.0-beta.1');
  });

  it('answers 413 for a body over the limit and 400 for broken JSON, in the envelope', async () => {
    const small = await makeApp({ REGISTRY_BODY_LIMIT: '2048' });
    expectError(await small.publish(binary('a', '1.0.0', { readme: 'x'.repeat(4096) })), 413, 'payload_too_large');
    await small.close();
    const res = await t.app.inject({ method: 'POST', url: '/publish', headers: { 'content-type': 'application/json', 'x-api-key': 'k' }, payload: '{"worker_name": ' });
    expectError({ status: res.statusCode, json: res.json() }, 400, 'invalid_json');
  });
});
