import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, buildWebApp } from './web-app';

let web: Awaited<ReturnType<typeof buildWebApp>>;

const FUNCTIONS = [
  { name: 'api::post::/todos', description: 'Create a new todo', request_schema: {}, response_schema: {}, metadata: {} },
  { name: 'todos::export', description: 'Export every todo', request_schema: {}, response_schema: {}, metadata: {} },
  { name: 'todos::renamed', description: 'Published under its registry_name', request_schema: {}, response_schema: {}, metadata: { registry_name: 'todos::renamed' } },
];
const REGISTERED = [
  { function_id: 'api::post::/todos', type: 'http', config: { api_path: '/todos', http_method: 'POST', description: 'Create a new todo' } },
  { function_id: 'todos::export', type: 'http', config: { api_path: 'todos/<export>' } },
  { function_id: 'todos::export', type: 'cron', config: { expression: '0 0 * * * *' } },
  { function_id: 'todos::raw-id', type: 'queue', config: { queue: 'jobs' } },
];

beforeAll(async () => {
  web = await buildWebApp();
  await web.services.publish(ADMIN, {
    worker_name: 'http-todos',
    version: '1.0.0',
    type: 'engine',
    functions: FUNCTIONS,
    registered_triggers: REGISTERED,
  });
  // The public CI's payload has no registered_triggers: still valid, and the detail carries no such field.
  await web.services.publish(ADMIN, { worker_name: 'plain', version: '1.0.0', type: 'engine', functions: [FUNCTIONS[1]] });
});

afterAll(() => web.close());

describe('registered triggers (registerTrigger calls) in the stored version', () => {
  it('come back in the worker detail as an extension field, function rows exactly as published', async () => {
    const detail = await web.services.detail('http-todos');
    expect(detail.registered_triggers).toEqual(REGISTERED);
    expect(detail.functions).toEqual(FUNCTIONS);
    const plain = await web.services.detail('plain');
    expect('registered_triggers' in plain).toBe(false);
  });

  it('a binding without function_id is refused with its path, and nothing is stored', async () => {
    await expect(
      web.services.publish(ADMIN, { worker_name: 'broken', version: '1.0.0', type: 'engine', registered_triggers: [{ type: 'http', config: {} }] }),
    ).rejects.toMatchObject({ problems: [expect.objectContaining({ path: 'registered_triggers[0].function_id' })] });
    await expect(web.services.detail('broken')).rejects.toMatchObject({ status: 404 });
  });
});

describe('the API tab', () => {
  it("shows each function's HTTP route and other bindings, escaped", async () => {
    const res = await web.app.inject({ method: 'GET', url: '/workers/http-todos?tab=api' });
    expect(res.statusCode).toBe(200);
    const b = res.body;
    expect(b).toMatch(/<h3><code>api::post::\/todos<\/code><\/h3>\s*<p class="bindings">Triggers: <code class="binding">POST \/todos<\/code><\/p>/);
    // Path gets its leading slash and the method defaults to GET, as iii-http does; the config is escaped.
    expect(b).toContain('<code class="binding">GET /todos/&lt;export&gt;</code>, <code class="binding">cron 0 0 * * * *</code>');
    // A binding whose function id names no row is not lost.
    expect(b).toContain('Other trigger bindings: <code class="binding">queue {&quot;queue&quot;:&quot;jobs&quot;}</code> → <code>todos::raw-id</code>');
    expect(b).not.toContain('<export>');
  });

  it('shows no bindings line for a version published without them', async () => {
    const b = (await web.app.inject({ method: 'GET', url: '/workers/plain?tab=api' })).body;
    expect(b).toContain('<h3><code>todos::export</code></h3>');
    expect(b).not.toContain('class="bindings"');
  });
});
