import { ErrorEnvelopeSchema } from '@iii-registry/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, binary, bundle, engine, expectError, expectOk, image, makeApp, type TestApp } from '../helpers';

/**
 * Publish payloads that break the contract: each answers 422 `validation_failed` listing every problem with its
 * JSON path (in `problems` and in the message), nothing is stored, and no 5xx ever appears.
 */

let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
});
afterAll(() => t.close());

type Err = ReturnType<typeof expectError>;
const paths = (err: Err) => (err.problems ?? []).map((p) => p.path);
const problem = (err: Err, path: string) => err.problems?.find((p) => p.path === path);
const storedVersions = () => t.count('SELECT COUNT(*) AS n FROM versions');

async function rejected(body: unknown, expectedPaths: string[]): Promise<Err> {
  const before = await storedVersions();
  const res = await t.post('/publish', body);
  const err = expectError(res, 422, 'validation_failed');
  expect(paths(err), JSON.stringify(err.problems)).toEqual(expect.arrayContaining(expectedPaths));
  // Every problem is also spelled out in the message, path first, so a person reading a log line sees them.
  for (const p of expectedPaths) expect(err.message).toContain(`${p}: `);
  expect(await storedVersions()).toBe(before);
  return err;
}

describe('POST /publish: one problem at a time', () => {
  it.each([
    ['upper case', 'Image-Resize'],
    ['leading dash', '-resize'],
    ['leading underscore', '_resize'],
    ['space', 'image resize'],
    ['slash', 'a/b'],
    ['dot', 'a.b'],
    ['unicode', 'résumé'],
    ['empty', ''],
    ['too long', 'a'.repeat(65)],
  ])('refuses a slug with %s', async (_what, name) => {
    const err = await rejected(binary('x', '1.0.0', { worker_name: name }), ['worker_name']);
    expect(err.problems).toHaveLength(1);
  });

  it.each([['1.2'], ['v1.2.3'], ['=1.2.3'], ['01.2.3'], ['1.2.3-'], ['1.2.3-01'], ['1.2.3+'], ['latest'], ['^1.2.3'], [' 1.2.3'], ['1.2.3 ']])(
    'refuses the version %j',
    async (version) => {
      const err = await rejected(binary('x', version), ['version']);
      expect(err.problems).toHaveLength(1);
    },
  );

  it('names the duplicate function and the first one it repeats', async () => {
    const fns = [{ name: 'a::x' }, { name: 'a::y' }, { name: 'a::x' }, { name: 'a::y' }];
    const err = await rejected(binary('x', '1.0.0', { functions: fns }), ['functions[2].name', 'functions[3].name']);
    expect(problem(err, 'functions[2].name')?.message).toBe('duplicate of functions[0]');
    expect(problem(err, 'functions[3].name')?.message).toBe('duplicate of functions[1]');
    expect(err.message).toContain('functions[2].name: duplicate of functions[0]');
  });

  it('names duplicate triggers and duplicate dependencies', async () => {
    const err = await rejected(
      binary('x', '1.0.0', {
        triggers: [{ name: 't' }, { name: 't' }],
        dependencies: [{ name: 'dep', version: '^1.0.0' }, { name: 'dep', version: '^2.0.0' }],
      }),
      ['triggers[1].name', 'dependencies[1].name'],
    );
    expect(problem(err, 'triggers[1].name')?.message).toBe('duplicate of triggers[0]');
    expect(problem(err, 'dependencies[1].name')?.message).toBe('duplicate of dependencies[0]');
  });

  it('lists each unknown field, top level and nested, by its own path', async () => {
    const body = {
      ...binary('x', '1.0.0', { functions: [{ name: 'f', surprise: 1 } as never] }),
      worker: 'x',
      Version: '1.0.0',
    };
    await rejected(body, ['worker', 'Version', 'functions[0].surprise']);
  });

  it('refuses a dependency on the worker itself (list and map forms)', async () => {
    const list = await rejected(binary('selfish', '1.0.0', { dependencies: [{ name: 'other', version: '' }, { name: 'selfish', version: '^1.0.0' }] }), ['dependencies[1].name']);
    expect(problem(list, 'dependencies[1].name')?.message).toMatch(/itself/);
    await rejected(binary('selfish', '1.0.0', { dependencies: { selfish: '*' } }), ['dependencies[0].name']);
  });

  it('refuses a bad dependency range with its path', async () => {
    await rejected(binary('x', '1.0.0', { dependencies: [{ name: 'dep', version: 'not a range' }] }), ['dependencies[0].version']);
  });

  it.each([
    ['binary without binaries', { ...binary('x', '1.0.0'), binaries: undefined }, 'binaries'],
    ['binary with an empty binaries map', binary('x', '1.0.0', { binaries: {} }), 'binaries'],
    ['image without image_tag', { ...image('x', '1.0.0'), image_tag: undefined }, 'image_tag'],
    ['bundle with archive_url but no sha256', { ...bundle('x', '1.0.0'), sha256: undefined }, 'sha256'],
    ['bundle with sha256 but no archive_url', { ...bundle('x', '1.0.0'), archive_url: undefined }, 'archive_url'],
    ['engine with binaries', { ...engine('x', '1.0.0'), binaries: binary('x', '1.0.0').binaries }, 'binaries'],
    ['binary with an image_tag', binary('x', '1.0.0', { image_tag: 'ghcr.io/x/y:1' }), 'image_tag'],
    ['unknown type', { ...binary('x', '1.0.0'), type: 'wasm' }, 'type'],
  ])('refuses a %s', async (_what, body, path) => {
    await rejected(JSON.parse(JSON.stringify(body)), [path]);
  });

  it('refuses wrong JSON types field by field', async () => {
    await rejected(
      { ...binary('x', '1.0.0'), readme: 42, experimental: 'yes', tags: 'a,b', config: [1], functions: {} },
      ['readme', 'experimental', 'tags', 'config', 'functions'],
    );
  });

  it('refuses a body that is not an object, with a path, never a 5xx', async () => {
    for (const body of [[], 'text', 42, null, true]) {
      const res = await t.app.inject({ method: 'POST', url: '/publish', headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_KEY }, payload: JSON.stringify(body) });
      expect(res.statusCode, `${JSON.stringify(body)} -> ${res.body}`).toBe(422);
      const parsed = ErrorEnvelopeSchema.parse(res.json());
      expect(parsed.error.problems?.length).toBeGreaterThan(0);
    }
  });
});

describe('POST /publish: many problems in one body are all reported at once', () => {
  it('reports bad slug, bad semver, duplicate function, unknown field, missing artifact and self-dependency together', async () => {
    const body = {
      worker_name: 'Bad Slug',
      version: 'v1.0',
      type: 'bundle',
      archive_url: 'https://example.com/b.tar.gz',
      functions: [{ name: 'f' }, { name: 'g' }, { name: 'f' }],
      dependencies: [{ name: 'Bad Slug', version: '^1.0.0' }],
      surprise: true,
    };
    const err = await rejected(body, ['worker_name', 'version', 'functions[2].name', 'surprise', 'sha256', 'dependencies[0].name']);
    expect(problem(err, 'functions[2].name')?.message).toBe('duplicate of functions[0]');
  });

  it('reports duplicates and the missing artifact even when the name and version are valid', async () => {
    const body = { ...binary('ok-name', '1.0.0', { functions: [{ name: 'f' }, { name: 'f' }], dependencies: [{ name: 'ok-name', version: '' }] }), binaries: undefined, extra: 1 };
    const err = await rejected(JSON.parse(JSON.stringify(body)), ['functions[1].name', 'dependencies[0].name', 'binaries', 'extra']);
    expect(problem(err, 'functions[1].name')?.message).toBe('duplicate of functions[0]');
  });
});

describe('POST /publish: keys, ownership, size and immutability', () => {
  it('answers 401 without a key, with an empty key and with a wrong key, storing nothing', async () => {
    const before = await storedVersions();
    expectError(await t.publish(binary('auth-a', '1.0.0'), null), 401, 'api_key_missing');
    expectError(await t.publish(binary('auth-a', '1.0.0'), ' '), 401, 'api_key_missing');
    expectError(await t.publish(binary('auth-a', '1.0.0'), `${ADMIN_KEY}x`), 401, 'api_key_invalid');
    expect(await storedVersions()).toBe(before);
  });

  it('answers 401 before validating: a bad body without a key is still a 401', async () => {
    expectError(await t.post('/publish', { nonsense: true }, null), 401, 'api_key_missing');
  });

  it('answers 403 when a second non-admin key publishes a worker another key owns, and keeps the owner', async () => {
    const alice = (await t.post('/admin/keys', { name: 'alice' })).json.key.key as string;
    const bob = (await t.post('/admin/keys', { name: 'bob' })).json.key.key as string;
    await expectOk(t.publish(binary('owned', '1.0.0'), alice));
    const err = expectError(await t.publish(binary('owned', '1.1.0'), bob), 403, 'not_owner');
    expect(err.message).toContain('owned');
    expect((await t.get('/w/owned/versions')).json.versions.map((v: { version: string }) => v.version)).toEqual(['1.0.0']);
    // Bob may not move its tags, set its skills or yank it either.
    expectError(await t.put('/w/owned/tags/latest', { version: '1.0.0', expected_current_version: '1.0.0' }, bob), 403, 'not_owner');
    expectError(await t.post('/w/owned/skills', { version: '1.0.0', skills: {} }, bob), 403, 'not_owner');
    expectError(await t.post('/w/owned/versions/1.0.0/status', { status: 'yanked', message: 'x' }, bob), 403, 'not_owner');
  });

  it('answers 409 for an existing version, with the envelope and a suggestion', async () => {
    await expectOk(t.publish(binary('immutable', '1.0.0')));
    const err = expectError(await t.publish(binary('immutable', '1.0.0')), 409, 'version_exists');
    expect(err.available).toEqual(['1.0.1']);
  });

  it('answers 413 for a body over the limit and stores nothing', async () => {
    const small = await makeApp({ REGISTRY_BODY_LIMIT: String(64 * 1024) });
    try {
      const res = await small.publish(binary('big', '1.0.0', { readme: 'x'.repeat(65 * 1024) }));
      expectError(res, 413, 'payload_too_large');
      expectError(await small.get('/w/big'), 404, 'worker_not_found');
      await expectOk(small.publish(binary('big', '1.0.0', { readme: 'x'.repeat(60 * 1024) })));
    } finally {
      await small.close();
    }
  });
});
