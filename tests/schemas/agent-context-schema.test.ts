import { describe, expect, it } from 'vitest';
import { renderSchemaInline, toJsonSchema } from '@iii-registry/schemas';
import { z } from 'zod';

const obj = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties, required });

describe('renderSchemaInline', () => {
  it('marks optional fields with ? and leaves required ones bare', () => {
    expect(renderSchemaInline(obj({ input: { type: 'object' }, width: { type: 'integer' } }, ['input']))).toBe('{ input: object, width?: integer }');
  });

  it('renders enums, const, type unions, nullable and anyOf/oneOf', () => {
    expect(renderSchemaInline({ enum: ['jpeg', 'png', 3, null] })).toBe('"jpeg" | "png" | 3 | null');
    expect(renderSchemaInline({ const: 'v1' })).toBe('"v1"');
    expect(renderSchemaInline({ type: ['string', 'null'] })).toBe('string | null');
    expect(renderSchemaInline({ type: 'integer', nullable: true })).toBe('integer | null');
    expect(renderSchemaInline({ anyOf: [{ type: 'string' }, { type: 'number' }] })).toBe('string | number');
    expect(renderSchemaInline({ oneOf: [{ $ref: '#/$defs/A' }, { $ref: '#/definitions/B' }] })).toBe('A | B');
    expect(renderSchemaInline({ allOf: [{ $ref: '#/$defs/Base' }, obj({ extra: { type: 'boolean' } })] })).toBe('Base & { extra?: boolean }');
  });

  it('renders nested objects inline and arrays as T[], tuples as [A, B]', () => {
    expect(renderSchemaInline(obj({ size: obj({ w: { type: 'integer' }, h: { type: 'integer' } }, ['w']) }))).toBe('{ size?: { w: integer, h?: integer } }');
    expect(renderSchemaInline({ type: 'array', items: { type: 'string' } })).toBe('string[]');
    expect(renderSchemaInline({ type: 'array', items: obj({ id: { type: 'string' } }, ['id']) })).toBe('{ id: string }[]');
    expect(renderSchemaInline({ type: 'array', items: { type: ['string', 'integer'] } })).toBe('(string | integer)[]');
    expect(renderSchemaInline({ type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }] })).toBe('[number, number]');
    expect(renderSchemaInline({ type: 'array' })).toBe('unknown[]');
  });

  it('shows $ref names, maps and the root reference', () => {
    expect(renderSchemaInline(obj({ input: { $ref: '#/$defs/ChannelRef' } }))).toBe('{ input?: ChannelRef }');
    expect(renderSchemaInline({ $ref: 'https://schemas.example/geo/point.json' })).toBe('point');
    expect(renderSchemaInline({ type: 'object', additionalProperties: { type: 'string' } })).toBe('Record<string, string>');
    expect(renderSchemaInline(obj({ next: { $ref: '#' } }))).toBe('{ next?: Self }');
  });

  it('shows min/max constraints, formats, lengths and defaults', () => {
    expect(renderSchemaInline({ type: 'integer', minimum: 1, maximum: 100, default: 200 })).toBe('integer >= 1 <= 100 = 200');
    expect(renderSchemaInline({ type: 'number', exclusiveMinimum: 0 })).toBe('number > 0');
    expect(renderSchemaInline({ type: 'string', format: 'uri', minLength: 1, maxLength: 64 })).toBe('string<uri> len 1..64');
    expect(renderSchemaInline({ type: 'string', pattern: '^[a-z]+$', default: 'x' })).toBe('string /^[a-z]+$/ = "x"');
    expect(renderSchemaInline({ type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true })).toBe('string[] len >= 1 unique');
    expect(renderSchemaInline(obj({ old: { type: 'string', deprecated: true } }))).toBe('{ old?: string (deprecated) }');
  });

  it('renders {} as unpublished, and quotes keys that are not identifiers', () => {
    expect(renderSchemaInline({})).toBe('unknown (no schema published)');
    expect(renderSchemaInline(obj({ inner: {} }))).toBe('{ inner?: unknown }');
    expect(renderSchemaInline(obj({ 'content-type': { type: 'string' } }, ['content-type']))).toBe('{ "content-type": string }');
  });

  it('stays bounded on deep and wide schemas', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 50; i++) deep = obj({ x: deep });
    const deepText = renderSchemaInline(deep);
    expect(deepText.startsWith('{ x?: { x?: { x?: { x?: { x?: { x?: { x?: {"type":"object"')).toBe(true);
    expect(deepText.length).toBeLessThan(300);
    const wide = obj(Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field${i}`, { type: 'string' }])));
    const wideText = renderSchemaInline(wide);
    expect(wideText).toContain('field63?: string, … 436 more fields }');
    expect(wideText).not.toContain('field64');
    expect(renderSchemaInline({ enum: Array.from({ length: 100 }, (_, i) => i) })).toMatch(/\| 23 \| … 76 more$/);
  });

  it('reads the JSON Schema that zod emits for a typical request', () => {
    const schema = toJsonSchema(
      z.object({
        to: z.string(),
        count: z.number().int().min(1),
        subject: z.string().min(1),
        priority: z.enum(['low', 'high']).default('low'),
        cc: z.array(z.string()).optional(),
        reply_to: z.string().nullable().optional(),
      }),
    );
    expect(renderSchemaInline(schema)).toBe(
      '{ to: string, count: integer >= 1, subject: string len >= 1, priority?: "low" | "high" = "low", cc?: string[], reply_to?: string | null }',
    );
  });
});
