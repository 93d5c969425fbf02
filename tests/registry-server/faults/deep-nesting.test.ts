import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorEnvelopeSchema } from '@iii-registry/schemas';
import { ADMIN_KEY, binary, makeApp, type TestApp } from '../helpers';

/**
 * Publish payloads that are valid except for how deep their free-form JSON goes (config, JSON Schemas, metadata).
 * An 8 MiB body can nest a million levels; recursive code (JSON.stringify of the content hash, the YAML of the
 * config on the web page, schema renderers) overflows the stack long before. Each publish must answer 200 or a
 * 422 naming the field, and once stored, every read path must answer without a 5xx.
 */

let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
});
afterAll(() => t.close());

/** Built as text: JSON.stringify of the value itself would overflow in the test before the server sees it. */
const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const nestedSchema = (depth: number) => '{"type":"object","properties":{"a":'.repeat(depth) + '{"type":"string"}' + '}}'.repeat(depth);

/** A valid binary payload with `field` replaced by raw JSON text. */
function payloadWith(name: string, field: 'config' | 'request_schema' | 'response_schema' | 'metadata' | 'invocation_schema', raw: string): string {
  const base = { ...binary(name, '1.0.0'), config: undefined, functions: undefined, triggers: undefined };
  const head = JSON.stringify(base).slice(0, -1);
  if (field === 'config') return `${head},"config":${raw}}`;
  if (field === 'invocation_schema') return `${head},"triggers":[{"name":"t","invocation_schema":${raw}}]}`;
  return `${head},"functions":[{"name":"f","${field}":${raw}}]}`;
}

const FIELDS = ['config', 'request_schema', 'response_schema', 'metadata', 'invocation_schema'] as const;
const DEPTHS = [64, 800, 3_000, 20_000];
const CASES = FIELDS.flatMap((field) => DEPTHS.map((depth) => [field, depth] as const));

describe('deeply nested free-form JSON in a publish', () => {
  it.each(CASES)('%s nested %i levels: 200 or 422 naming the field, then every read path without a 5xx', async (field, depth) => {
    const name = `deep-${field.replace(/_/g, '-')}-${depth}`;
    const raw = field === 'config' || field === 'metadata' ? nestedObject(depth) : nestedSchema(depth);
    const res = await t.app.inject({ method: 'POST', url: '/publish', headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_KEY }, payload: payloadWith(name, field, raw) });
    expect([200, 422], res.body.slice(0, 300)).toContain(res.statusCode);
    if (res.statusCode === 422) {
      const err = ErrorEnvelopeSchema.parse(res.json()).error;
      expect(err.problems?.some((p) => p.path.includes(field)), JSON.stringify(err.problems)).toBe(true);
      return;
    }
    for (const url of [`/w/${name}`, `/download/${name}`, `/workers/${name}.md`, `/w?search=${name}`, '/llms.txt'])
      expect((await t.app.inject({ url })).statusCode, url).toBe(200);
    for (const tab of ['', '?tab=api', '?tab=agent-context', '?tab=versions'])
      expect((await t.app.inject({ url: `/workers/${name}${tab}` })).statusCode, `/workers/${name}${tab}`).toBe(200);
    expect((await t.post('/resolve', { worker: name, version: 'latest' })).status).toBe(200);
  });
});
