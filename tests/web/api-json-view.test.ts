import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ADMIN, buildWebApp } from './web-app';

/** The "JSON" view of the API tab (issue 12): a link to api-reference.json and the same JSON folded, no script. */
let app: FastifyInstance;
let close: () => Promise<void>;

beforeAll(async () => {
  let services;
  ({ app, services, close } = await buildWebApp());
  await services.publish(ADMIN, {
    worker_name: 'json-view', version: '1.2.0', type: 'engine', description: 'JSON view',
    functions: [{ name: 'jv::run', description: 'Runs <b>it</b>', request_schema: { type: 'object', properties: { q: { type: 'string', pattern: '^<a>$' } } }, response_schema: {}, metadata: { internal: true } }],
  });
});
afterAll(() => close());

describe('API tab JSON view', () => {
  it('links to the raw reference of the shown version and folds the same JSON in <details><pre>, escaped', async () => {
    const res = await app.inject({ method: 'GET', url: '/workers/json-view?tab=api' });
    expect(res.statusCode).toBe(200);
    const b = res.body;
    expect(b).toContain('<a href="/workers/json-view/api-reference.json?version=1.2.0" type="application/json">api-reference.json</a>');
    const pre = /<details><summary>JSON<\/summary><pre><code>([\s\S]*?)<\/code><\/pre><\/details>/.exec(b);
    expect(pre).not.toBeNull();
    const text = (pre as RegExpExecArray)[1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    expect(JSON.parse(text)).toMatchObject({ name: 'json-view', version: '1.2.0', functions: [{ name: 'jv::run', description: 'Runs <b>it</b>', metadata: { internal: true } }], triggers: [] });
    expect(b).not.toContain('Runs <b>it</b>');
    expect(b).not.toMatch(/<script(?![^>]*\bsrc=)/);
  });
});
