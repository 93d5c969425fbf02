import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResolveResponseSchema } from '@iii-registry/schemas';
import { binary, bundle, digestOf, engine, expectError, expectOk, image, makeApp, type TestApp } from './helpers';

let t: TestApp;
beforeEach(async () => { t = await makeApp(); });
afterEach(async () => t.close());
const resolve = (body: unknown) => t.post('/resolve', body, null);

describe('POST /resolve', () => {
  it('answers the contract example: the whole pinned graph, leaves first, with edges', async () => {
    await t.publish(binary('helper', '1.0.0', { repo: 'https://example.com/helper' }));
    await t.publish(binary('hello-worker', '1.0.0', { repo: 'https://example.com/hello-worker', dependencies: { helper: '^1.0.0' } }));
    const body = await expectOk(resolve({ worker: 'hello-worker', version: 'latest', target: 'aarch64-apple-darwin' }));
    expect(ResolveResponseSchema.safeParse(body).success).toBe(true);
    expect(body.root).toEqual({ name: 'hello-worker', version: '1.0.0' });
    expect(body.target).toBe('aarch64-apple-darwin');
    expect(body.graph.map((n: { name: string }) => n.name)).toEqual(['helper', 'hello-worker']);
    expect(body.graph[1]).toMatchObject({ type: 'binary', version: '1.0.0', repo: 'https://example.com/hello-worker', config: {}, dependencies: { helper: '^1.0.0' } });
    expect(Object.keys(body.graph[1].binaries)).toEqual(['aarch64-apple-darwin']);
    expect(body.edges).toEqual([{ from: 'hello-worker', to: 'helper', range: '^1.0.0' }]);
  });

  it('walks transitive ranges to the highest stable match, and shapes each node type', async () => {
    await t.publish(engine('state', '0.21.3'));
    await t.publish(engine('state', '0.21.4'));
    await t.publish(engine('state', '0.22.0-rc.1'));
    await t.publish(image('llm', '0.3.0', { dependencies: { state: '~0.21' } }));
    await t.publish(bundle('todo', '0.1.0', { dependencies: { llm: '>=0.3, <1', state: '*' } }));
    const body = await expectOk(resolve({ worker: 'todo', version: '' }));
    const byName = Object.fromEntries(body.graph.map((n: { name: string }) => [n.name, n]));
    expect(byName.state).toEqual({ name: 'state', type: 'engine', version: '0.21.4', repo: '', config: {}, dependencies: {} });
    expect(byName.llm).toMatchObject({ type: 'image', image: `ghcr.io/iii/llm@sha256:${digestOf('llm@0.3.0')}`, dependencies: { state: '~0.21' } });
    expect(byName.todo).toMatchObject({ type: 'bundle', archive_url: 'https://example.com/todo-0.1.0.tar.gz', sha256: 'b'.repeat(64) });
    expect(body.graph.map((n: { name: string }) => n.name).indexOf('state')).toBeLessThan(body.graph.map((n: { name: string }) => n.name).indexOf('llm'));
    expect(body.edges).toHaveLength(3);
  });

  it('uses prereleases only when asked for exactly', async () => {
    await t.publish(binary('a', '1.0.0'));
    await t.publish(binary('a', '1.1.0-rc.1'));
    expect((await expectOk(resolve({ worker: 'a', version: '^1.0.0' }))).root.version).toBe('1.0.0');
    expect((await expectOk(resolve({ worker: 'a', version: '*' }))).root.version).toBe('1.0.0');
    expect((await expectOk(resolve({ worker: 'a', version: '1.1.0-rc.1' }))).root.version).toBe('1.1.0-rc.1');
    const err = expectError(await resolve({ worker: 'a', version: '^2.0.0' }), 422, 'version_not_found');
    expect(err.available).toEqual(['1.0.0']);
    expect(err.message).toContain('^2.0.0');
  });

  it('finds one version that satisfies every range reaching a worker, or names the conflict', async () => {
    await t.publish(binary('lib', '1.0.0'));
    await t.publish(binary('lib', '1.5.0'));
    await t.publish(binary('lib', '2.0.0'));
    await t.publish(binary('left', '1.0.0', { dependencies: { lib: '^1.0.0' } }));
    await t.publish(binary('right', '1.0.0', { dependencies: { lib: '<1.5.0' } }));
    await t.publish(binary('top', '1.0.0', { dependencies: { left: '1', right: '1' } }));
    const body = await expectOk(resolve({ worker: 'top' }));
    expect(body.graph.find((n: { name: string }) => n.name === 'lib').version).toBe('1.0.0');
    await t.publish(binary('wide', '1.0.0', { dependencies: { lib: '^2.0.0' } }));
    await t.publish(binary('bad', '1.0.0', { dependencies: { left: '1', wide: '1' } }));
    const err = expectError(await resolve({ worker: 'bad' }), 422, 'dependency_conflict');
    expect(err.message).toContain("'lib'");
  });

  it('refuses cycles, missing dependencies and unsupported targets with clear errors', async () => {
    await t.publish(binary('x', '1.0.0', { dependencies: { y: '^1' } }));
    await t.publish(binary('y', '1.0.0', { dependencies: { x: '^1' } }));
    const cycle = expectError(await resolve({ worker: 'x' }), 422, 'dependency_cycle');
    expect(cycle.message).toContain('x -> y -> x');
    await t.publish(binary('lonely', '1.0.0', { dependencies: { ghost: '^1' } }));
    const missing = expectError(await resolve({ worker: 'lonely' }), 422, 'dependency_not_found');
    expect(missing.message).toContain("'ghost'");
    await t.publish(binary('mac-only', '1.0.0'));
    const target = expectError(await resolve({ worker: 'mac-only', target: 'x86_64-pc-windows-msvc' }), 422, 'unsupported_target');
    expect(target.available).toEqual(['aarch64-apple-darwin', 'x86_64-unknown-linux-gnu']);
    expectError(await resolve({ worker: 'nobody' }), 404, 'worker_not_found');
    const bad = expectError(await resolve({ worker: 'Bad!', extra: 1 }), 422, 'validation_failed');
    expect(bad.problems?.map((p) => p.path)).toEqual(expect.arrayContaining(['worker', 'extra']));
  });
});
