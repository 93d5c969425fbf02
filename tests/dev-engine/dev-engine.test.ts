import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvocationError, TriggerAction, type IIIClient } from 'iii-sdk';
import { startDevEngine, type DevEngine } from '../../dev-engine/src/index';
import { raw, sdk, until } from './helpers';

let engine: DevEngine;
const clients: IIIClient[] = [];
const client = (name: string) => {
  const c = sdk(engine.url, name);
  clients.push(c);
  return c;
};
const hasFunction = (id: string) => () => engine.functions().some((f) => f.id === id);

beforeEach(async () => {
  engine = await startDevEngine({ port: 0 });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.shutdown()));
  await engine.close();
});

describe('dev engine', () => {
  it('starts on an ephemeral port and reports its url', () => {
    expect(engine.port).toBeGreaterThan(0);
    expect(engine.url).toBe(`ws://127.0.0.1:${engine.port}`);
  });

  it('greets each connection with workerregistered carrying a worker id and reattach token', async () => {
    const sock = await raw(engine.url);
    const first = await sock.next();
    expect(first.type).toBe('workerregistered');
    expect(first.worker_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.reattach_token).toMatch(/^[0-9a-f-]{36}$/);
    sock.ws.close();
  });

  it('routes a call to the owner and its result back, adding _caller_worker_id', async () => {
    const worker = client('adder');
    const seen: unknown[] = [];
    worker.registerFunction('demo::add', async (d: { a: number; b: number }) => {
      seen.push(d);
      return { sum: d.a + d.b };
    });
    const caller = client('caller');
    await until(hasFunction('demo::add'), 'demo::add');
    const results = await Promise.all([1, 2, 3].map((a) => caller.trigger({ function_id: 'demo::add', payload: { a, b: 10 } })));
    expect(results).toEqual([{ sum: 11 }, { sum: 12 }, { sum: 13 }]);
    expect(seen[0]).toMatchObject({ a: 1, b: 10, _caller_worker_id: expect.any(String) });
  });

  it('delivers a thrown error as invocation_failed and a null result as undefined', async () => {
    const worker = client('w');
    worker.registerFunction('demo::fail', async () => { throw new Error('nope, bad input'); });
    worker.registerFunction('demo::null', async () => null);
    const caller = client('caller');
    await until(hasFunction('demo::null'), 'demo::null');
    const err = await caller.trigger({ function_id: 'demo::fail', payload: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(InvocationError);
    expect(err.code).toBe('invocation_failed');
    expect(err.message).toContain('nope, bad input');
    expect(await caller.trigger({ function_id: 'demo::null', payload: {} })).toBeUndefined();
  });

  it('answers an unknown function with function_not_found', async () => {
    const err = await client('caller').trigger({ function_id: 'nobody::home', payload: {} }).catch((e) => e);
    expect(err.code).toBe('function_not_found');
    expect(err.message).toContain('nobody::home');
  });

  it('forwards void calls without an invocation id and sends no reply', async () => {
    const worker = client('w');
    const got: unknown[] = [];
    worker.registerFunction('demo::note', async (d) => { got.push(d); return { ignored: true }; });
    worker.registerFunction('demo::echo', async (d: { n: number }) => ({ n: d.n }));
    await until(hasFunction('demo::echo'), 'demo::echo');
    const sock = await raw(engine.url);
    await sock.next(); // workerregistered
    sock.ws.send(JSON.stringify({ type: 'invokefunction', function_id: 'demo::note', data: { x: 1 }, action: { type: 'void' } }));
    sock.ws.send(JSON.stringify({ type: 'invokefunction', invocation_id: 'i-2', function_id: 'demo::echo', data: { n: 2 } }));
    // Frames on one socket keep their order, so had the void call been answered, its reply would come first.
    expect(await sock.next()).toEqual({ type: 'invocationresult', invocation_id: 'i-2', function_id: 'demo::echo', result: { n: 2 } });
    expect(got).toEqual([{ x: 1, _caller_worker_id: expect.any(String) }]);
    sock.ws.close();
  });

  it('keeps two callers apart when they reuse the same invocation id', async () => {
    const worker = client('w');
    const held: Array<() => void> = [];
    worker.registerFunction('demo::held', (d: { n: number }) =>
      new Promise((resolve) => {
        held.push(() => resolve({ n: d.n }));
        if (held.length === 2) held.forEach((release) => release());
      }));
    await until(hasFunction('demo::held'), 'demo::held');
    const [a, b] = await Promise.all([raw(engine.url), raw(engine.url)]);
    await Promise.all([a.next(), b.next()]);
    a.ws.send(JSON.stringify({ type: 'invokefunction', invocation_id: 'same', function_id: 'demo::held', data: { n: 1 } }));
    b.ws.send(JSON.stringify({ type: 'invokefunction', invocation_id: 'same', function_id: 'demo::held', data: { n: 2 } }));
    expect(await a.next()).toMatchObject({ invocation_id: 'same', result: { n: 1 } });
    expect(await b.next()).toMatchObject({ invocation_id: 'same', result: { n: 2 } });
    a.ws.close();
    b.ws.close();
  });

  it('drops undecodable frames and invocations without data, like the real engine', async () => {
    const sock = await raw(engine.url);
    await sock.next();
    sock.ws.send('not json');
    sock.ws.send(JSON.stringify({ type: 'invokefunction', invocation_id: 'i-1', function_id: 'engine::workers::list' }));
    sock.ws.send(JSON.stringify({ type: 'invokefunction', invocation_id: 'i-2', function_id: 'engine::workers::list', data: {} }));
    expect(await sock.next()).toMatchObject({ invocation_id: 'i-2', result: { workers: [] } });
    sock.ws.close();
  });

  it('shares an id registered by two workers, and a closing connection only removes its own registration', async () => {
    const owners = () => engine.functions().find((f) => f.id === 'shared::fn')?.owners ?? [];
    const first = client('first');
    first.registerFunction('shared::fn', async () => ({ from: 'first' }));
    await until(() => owners().length === 1, 'first registration');
    const second = client('second');
    second.registerFunction('shared::fn', async () => ({ from: 'second' }));
    await until(() => owners().length === 2, 'second registration');
    const caller = client('caller');
    const call = () => caller.trigger({ function_id: 'shared::fn', payload: {} });
    const shared = [await call(), await call(), await call(), await call()];
    expect(shared.filter((r) => r.from === 'first')).toHaveLength(2);
    expect(shared.filter((r) => r.from === 'second')).toHaveLength(2);
    const secondId = owners()[1];
    await first.shutdown();
    await until(() => owners().length === 1, 'first disconnect');
    expect(owners()).toEqual([secondId]);
    expect([await call(), await call()]).toEqual([{ from: 'second' }, { from: 'second' }]);
    await second.shutdown();
    await until(() => owners().length === 0, 'second disconnect');
    expect((await call().catch((e) => e)).code).toBe('function_not_found');
  });

  it('ignores a result from a worker the call was not sent to', async () => {
    const worker = client('slowpoke');
    let release: () => void = () => {};
    worker.registerFunction('demo::late', () => new Promise((resolve) => (release = () => resolve({ from: 'worker' }))));
    await until(hasFunction('demo::late'), 'demo::late');
    const caller = await raw(engine.url);
    const intruder = await raw(engine.url);
    await Promise.all([caller.next(), intruder.next()]);
    const probe = client('probe');
    caller.ws.send(JSON.stringify({ type: 'invokefunction', invocation_id: 'c-1', function_id: 'demo::late', data: {} }));
    await until(async () => (await probe.trigger<unknown, { workers: Array<{ active_invocations: number }> }>(
      { function_id: 'engine::workers::list', payload: {} })).workers.some((w) => w.active_invocations === 1), 'the call in flight');
    intruder.ws.send(JSON.stringify({ type: 'invocationresult', invocation_id: 'c-1', function_id: 'demo::late', result: { from: 'intruder' } }));
    release();
    expect(await caller.next()).toMatchObject({ invocation_id: 'c-1', result: { from: 'worker' } });
    caller.ws.close();
    intruder.ws.close();
  });

  it('fails calls in flight with invocation_stopped when the target goes away', async () => {
    const worker = client('slow');
    worker.registerFunction('demo::hang', () => new Promise(() => {}));
    const caller = client('caller');
    await until(hasFunction('demo::hang'), 'demo::hang');
    const pending = caller.trigger({ function_id: 'demo::hang', payload: {} }).catch((e) => e);
    await until(async () => {
      const { workers } = await caller.trigger<unknown, { workers: Array<{ active_invocations: number }> }>(
        { function_id: 'engine::workers::list', payload: {} });
      return workers.some((w) => w.active_invocations === 1);
    }, 'the call to be in flight');
    await worker.shutdown();
    expect((await pending).code).toBe('invocation_stopped');
  });

  it('engine::functions::info and ::list describe registered functions', async () => {
    const worker = client('described');
    const request_format = { type: 'object' as const, properties: { q: { type: 'string' } }, required: ['q'] };
    worker.registerFunction('svc::find', async () => ({}), {
      description: 'Find things', request_format, response_format: { type: 'object' }, metadata: { tier: 'gold' } });
    worker.registerFunction('other::x', async () => ({}));
    await until(hasFunction('other::x'), 'registrations');
    const caller = client('caller');
    const info = await caller.trigger({ function_id: 'engine::functions::info', payload: { function_id: 'svc::find' } });
    expect(info).toEqual({ function_id: 'svc::find', worker_name: 'described', description: 'Find things', request_schema: request_format,
      response_schema: { type: 'object' }, metadata: { tier: 'gold' }, registered_triggers: [] });
    const many = await caller.trigger({ function_id: 'engine::functions::info', payload: { function_ids: ['svc::find', 'other::x'] } });
    expect(many.functions.map((f: { function_id: string }) => f.function_id)).toEqual(['svc::find', 'other::x']);
    const listed = await caller.trigger({ function_id: 'engine::functions::list', payload: { prefix: 'svc::' } });
    expect(listed).toEqual({ functions: [{ function_id: 'svc::find', worker_name: 'described', description: 'Find things', metadata: { tier: 'gold' } }] });
    const internal = await caller.trigger({ function_id: 'engine::functions::list', payload: { include_internal: true } });
    expect(internal.functions.map((f: { function_id: string }) => f.function_id)).toContain('engine::functions::info');
    const missing = await caller.trigger({ function_id: 'engine::functions::info', payload: { function_id: 'no::such' } }).catch((e) => e);
    expect(missing.code).toBe('function_not_found');
  });

  it('engine::workers::list shows a worker only after engine::workers::register, and emits the hooks', async () => {
    const events: string[] = [];
    engine.on('registerfunction', (id, frame) => events.push(`fn ${frame.id} ${typeof id}`));
    engine.on('registertriggertype', (_id, frame) => events.push(`tt ${frame.id} ${frame.description}`));
    engine.on('registertrigger', (_id, frame) => events.push(`trigger ${frame.trigger_type} ${frame.function_id} ${JSON.stringify(frame.config)}`));
    engine.on('workerregistered-call', (_id, payload) => events.push(`meta ${String(payload.name)} ${String(payload.runtime)}`));
    engine.on('disconnect', () => events.push('disconnect'));
    const sock = await raw(engine.url);
    await sock.next();
    sock.ws.send(JSON.stringify({ type: 'invokefunction', invocation_id: 'l1', function_id: 'engine::workers::list', data: {} }));
    expect((await sock.next()).result).toEqual({ workers: [] });
    const worker = client('listed');
    worker.registerTriggerType({ id: 'tick', description: 'Ticks' }, { registerTrigger: async () => {}, unregisterTrigger: async () => {} });
    worker.registerFunction('listed::fn', async () => ({}));
    worker.registerTrigger({ type: 'http', function_id: 'listed::fn', config: { api_path: '/listed', http_method: 'GET' } });
    await until(() => events.includes('meta listed node'), 'worker metadata');
    sock.ws.send(JSON.stringify({ type: 'invokefunction', invocation_id: 'l2', function_id: 'engine::workers::list', data: { search: 'list' } }));
    const { workers } = (await sock.next()).result as { workers: Array<Record<string, unknown>> };
    expect(workers).toHaveLength(1);
    expect(workers[0]).toMatchObject({ name: 'listed', runtime: 'node', status: 'connected', function_count: 1, ip_address: '127.0.0.1' });
    sock.ws.send(JSON.stringify({ type: 'invokefunction', invocation_id: 'l3', function_id: 'engine::triggers::info', data: { id: 'tick' } }));
    expect((await sock.next()).result).toMatchObject({ id: 'tick', worker_name: 'listed', description: 'Ticks' });
    await worker.shutdown();
    await until(() => events.includes('disconnect'), 'disconnect');
    expect(events).toEqual(
      expect.arrayContaining(['fn listed::fn string', 'tt tick Ticks', 'trigger http listed::fn {"api_path":"/listed","http_method":"GET"}']),
    );
    sock.ws.close();
  });

  it('recognises a reconnecting worker by its reattach token', async () => {
    const reattached: Array<[string, string]> = [];
    engine.on('reattach', (id, prev) => reattached.push([id, prev]));
    const a = await raw(engine.url);
    const hello = await a.next();
    a.ws.close();
    const b = await raw(engine.url);
    const hello2 = await b.next();
    b.ws.send(JSON.stringify({ type: 'reattach', previous_worker_id: hello.worker_id, reattach_token: 'wrong' }));
    b.ws.send(JSON.stringify({ type: 'reattach', previous_worker_id: hello.worker_id, reattach_token: hello.reattach_token }));
    await until(() => reattached.length === 1, 'reattach');
    expect(reattached).toEqual([[hello2.worker_id, hello.worker_id]]);
    b.ws.close();
  });

  it('accepts the SDK telemetry socket at /otel and ignores it', async () => {
    const otel = await raw(`${engine.url}/otel`);
    otel.ws.send(Buffer.from('traces{}'));
    const worker = client('with-otel-neighbour');
    worker.registerFunction('o::fn', async () => ({ ok: true }));
    await until(hasFunction('o::fn'), 'o::fn');
    expect(await client('c').trigger({ function_id: 'o::fn', payload: {} })).toEqual({ ok: true });
    expect(otel.frames).toEqual([]);
    expect(otel.ws.readyState).toBe(otel.ws.OPEN);
    otel.ws.close();
  });

  it('refuses queues it does not have with enqueue_error', async () => {
    const worker = client('w');
    worker.registerFunction('q::fn', async () => ({}));
    await until(hasFunction('q::fn'), 'q::fn');
    const err = await client('c').trigger({ function_id: 'q::fn', payload: {}, action: TriggerAction.Enqueue({ queue: 'jobs' }) }).catch((e) => e);
    expect(err.code).toBe('enqueue_error');
  });
});
