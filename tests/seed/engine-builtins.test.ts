import { describe, expect, it } from 'vitest';
import { loadSeedCatalog } from '@iii-registry/seed';

/**
 * The engine built-ins in the seed carry the interface the iii engine registers (iii-hq/iii engine/src/workers/*:
 * #[function(id = ...)] and TriggerType::new), not invented ids under the engine's names.
 */
const catalog = loadSeedCatalog();
const latest = (name: string) => catalog.publishes.filter((p) => p.worker_name === name).at(-1);
const ids = (name: string) => (latest(name)?.functions ?? []).map((f) => f.name);
const triggers = (name: string) => (latest(name)?.triggers ?? []).map((t) => t.name);

describe('engine built-ins in the seed', () => {
  it('lists the nine built-ins as engine workers', () => {
    for (const name of ['iii-state', 'iii-stream', 'iii-queue', 'iii-cron', 'iii-http', 'iii-pubsub', 'configuration', 'iii-observability', 'iii'])
      expect(latest(name)?.type, name).toBe('engine');
  });

  it('carries the function ids the engine registers', () => {
    expect(ids('iii-state')).toEqual(['state::set', 'state::get', 'state::delete', 'state::update', 'state::list', 'state::list_groups']);
    expect(ids('iii-stream')).toEqual(expect.arrayContaining(['stream::set', 'stream::get', 'stream::delete', 'stream::list', 'stream::send', 'stream::update']));
    expect(ids('iii-queue')).toEqual(expect.arrayContaining(['iii::durable::publish', 'iii::queue::redrive', 'engine::queue::list_topics']));
    expect(ids('iii-pubsub')).toEqual(['publish']);
    expect(ids('configuration')).toEqual(['configuration::register', 'configuration::set', 'configuration::get', 'configuration::list', 'configuration::schema']);
    expect(ids('iii-observability')).toEqual(expect.arrayContaining(['engine::log::info', 'engine::traces::list', 'engine::metrics::list', 'engine::health::check']));
    expect(ids('iii')).toEqual(expect.arrayContaining(['engine::functions::list', 'engine::functions::info', 'engine::workers::list', 'engine::workers::register', 'engine::triggers::list']));
    expect(ids('iii-cron')).toEqual([]);
    expect(ids('iii-http')).toEqual([]);
  });

  it('carries the trigger types the engine registers, with their configuration schemas', () => {
    expect(triggers('iii-state')).toEqual(['state']);
    expect(triggers('iii-stream')).toEqual(['stream:join', 'stream:leave', 'stream']);
    expect(triggers('iii-queue')).toEqual(['durable:subscriber']);
    expect(triggers('iii-cron')).toEqual(['cron']);
    expect(triggers('iii-http')).toEqual(['http']);
    expect(triggers('iii-pubsub')).toEqual(['subscribe']);
    expect(triggers('iii-observability')).toEqual(['log', 'trace']);
    const http = latest('iii-http')?.triggers?.[0];
    expect(http?.invocation_schema).toMatchObject({ required: ['api_path'], properties: { api_path: { type: 'string' } } });
    expect((http?.invocation_schema as { properties: { http_method: { enum: string[] } } }).properties.http_method.enum).toContain('POST');
    const set = latest('iii-state')?.functions?.find((f) => f.name === 'state::set');
    expect(set?.request_schema).toMatchObject({ required: ['scope', 'key', 'value'] });
  });

  it('has no invented ids under names real iii workers use', () => {
    const all = catalog.publishes.flatMap((p) => [...(p.functions ?? []), ...(p.triggers ?? [])].map((f) => f.name));
    expect(all.filter((n) => /^(iii_state|iii_http|iii_stream|iii_queue|iii_cron|todo_worker)::/.test(n))).toEqual([]);
    expect(catalog.publishes.map((p) => p.worker_name)).not.toContain('todo-worker');
    expect(new Set(catalog.publishes.filter((p) => p.worker_name === 'image-resize').flatMap((p) => (p.functions ?? []).map((f) => f.name)))).toEqual(new Set(['image_resize::resize']));
  });

  it('writes every README call in iii.trigger({ function_id, payload }) form', () => {
    for (const p of catalog.publishes.filter((x) => x.type === 'engine')) expect(p.readme ?? '', p.worker_name).not.toContain('iii.call');
  });
});
