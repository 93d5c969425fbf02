import { describe, expect, it } from 'vitest';
import {
  ApiReferenceSchema,
  PublishPayloadSchema,
  apiReferenceFromRegistrations,
  bindingLabel,
  renderAgentContext,
  validate,
  type RegisteredTrigger,
} from '@iii-registry/schemas';
import { makeWorker } from './agent-context-factory';

const t = (type: string, config: Record<string, unknown>, function_id = 'f'): RegisteredTrigger => ({ function_id, type, config });

describe('bindingLabel', () => {
  it('reads an HTTP trigger as its route, the way iii-http does (method upper-cased, GET by default, leading /)', () => {
    expect(bindingLabel(t('http', { api_path: '/todos', http_method: 'POST' }))).toBe('POST /todos');
    expect(bindingLabel(t('http', { api_path: 'todos/:id', http_method: 'delete' }))).toBe('DELETE /todos/:id');
    expect(bindingLabel(t('http', { api_path: '/health' }))).toBe('GET /health');
  });

  it('reads a cron trigger as its schedule and anything else as its type and config', () => {
    expect(bindingLabel(t('cron', { expression: '*/5 * * * * *' }))).toBe('cron */5 * * * * *');
    expect(bindingLabel(t('queue', { queue: 'jobs' }))).toBe('queue {"queue":"jobs"}');
    expect(bindingLabel(t('state', {}))).toBe('state');
    // An HTTP trigger without api_path is shown as it is, not as a made-up route.
    expect(bindingLabel(t('http', { http_method: 'GET' }))).toBe('http {"http_method":"GET"}');
    expect(bindingLabel(t('x', { blob: 'y'.repeat(500) })).length).toBeLessThan(200);
    expect(bindingLabel(t('http', { api_path: `/${'p'.repeat(5000)}`, http_method: 'GET' })).length).toBeLessThanOrEqual(240);
  });
});

describe('registered_triggers in the publish payload', () => {
  const base = { worker_name: 'w', version: '1.0.0', type: 'engine' };

  it('is optional: the public CI payload without it stays valid and gains nothing', () => {
    const checked = validate(PublishPayloadSchema, base);
    expect(checked.ok).toBe(true);
    expect(checked.ok && 'registered_triggers' in checked.value).toBe(false);
  });

  it('keeps each {function_id, type, config}; a null config is {}', () => {
    const checked = validate(PublishPayloadSchema, {
      ...base,
      registered_triggers: [{ function_id: 'a', type: 'http', config: { api_path: '/a', http_method: 'GET' } }, { function_id: 'b', type: 'cron', config: null }],
    });
    expect(checked.ok && checked.value.registered_triggers).toEqual([
      { function_id: 'a', type: 'http', config: { api_path: '/a', http_method: 'GET' } },
      { function_id: 'b', type: 'cron', config: {} },
    ]);
  });

  it('refuses a malformed binding with its path', () => {
    const checked = validate(PublishPayloadSchema, { ...base, registered_triggers: [{ function_id: '', type: 'http', extra: 1 }] });
    expect(checked.ok).toBe(false);
    const paths = checked.ok ? [] : checked.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['registered_triggers[0].function_id', 'registered_triggers[0].extra']));
  });
});

describe('apiReferenceFromRegistrations', () => {
  it('records each distinct registerTrigger once, in a stable order, and fills an empty description from the trigger', () => {
    const http = { function_id: 'api::post::/todos', type: 'http', config: { api_path: '/todos', http_method: 'POST', description: 'Create a todo' } };
    const ref = apiReferenceFromRegistrations(
      [{ id: 'api::post::/todos' }, { id: 'todos::export', description: 'Export' }],
      [],
      [{ function_id: 'todos::export', type: 'cron', config: { expression: '0 * * * * *' } }, http, { ...http }], // the SDK re-sends on reconnect
    );
    expect(ref.registered_triggers).toEqual([http, { function_id: 'todos::export', type: 'cron', config: { expression: '0 * * * * *' } }]);
    expect(ref.functions.map((f) => [f.name, f.description])).toEqual([
      ['api::post::/todos', 'Create a todo'],
      ['todos::export', 'Export'],
    ]);
    expect(validate(ApiReferenceSchema, ref).ok).toBe(true);
  });

  it('leaves the field out when the worker registered no trigger', () => {
    expect('registered_triggers' in apiReferenceFromRegistrations([{ id: 'a' }], [])).toBe(false);
  });
});

describe('agent context', () => {
  it('adds one triggers line per bound function, and lists bindings of unknown function ids', () => {
    const worker = makeWorker({
      registered_triggers: [
        { function_id: 'image_resize::resize', type: 'http', config: { api_path: '/resize', http_method: 'POST' } },
        { function_id: 'image_resize::resize', type: 'cron', config: { expression: '0 0 * * * *' } },
        { function_id: 'gone::fn', type: 'http', config: { api_path: '/gone' } },
      ],
    });
    const md = renderAgentContext({ worker, other_versions: [], skills: [] });
    expect(md).toContain('- triggers: `POST /resize`, `cron 0 0 * * * *`\n');
    expect(md).toContain('Other trigger bindings: `GET /gone` → `gone::fn`');
    expect(renderAgentContext({ worker: makeWorker(), other_versions: [], skills: [] })).not.toContain('triggers:');
  });
});
