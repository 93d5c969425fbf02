import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { renderAgentContext, renderSchemaInline } from '@iii-registry/schemas';
import { makeInput } from './agent-context-factory';

// Schema-shaped values whose free text carries newlines, backticks and quotes: the hard cases for one line.
const text = fc.string({ maxLength: 6, unit: fc.constantFrom('a', 'Z', '\n', '`', '"', ' ', '.') });
const { node: schemaArb } = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    fc.constant({}),
    fc.record(
      {
        type: fc.oneof(fc.constantFrom('string', 'integer', 'object', 'array', 'null'), text, fc.array(fc.constantFrom('string', 'null'))),
        format: text,
        pattern: text,
        minimum: fc.integer(),
        default: fc.jsonValue({ maxDepth: 2 }),
        description: text,
        enum: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }),
        $ref: text,
      },
      { requiredKeys: [] },
    ),
    fc.record({ type: fc.constant('object'), properties: fc.dictionary(text, tie('node'), { maxKeys: 4 }), required: fc.array(text, { maxLength: 3 }) }),
    fc.record({ type: fc.constant('array'), items: tie('node') }),
    fc.record({ anyOf: fc.array(tie('node'), { maxLength: 3 }) }),
  ),
}));

/** Schemas and configs arrive from any publisher: the renderer must hold its guarantees on arbitrary JSON. */
describe('agent-context on arbitrary input', () => {
  it('renders any JSON value as a schema on one bounded line, without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 8 }), schemaArb), (schema) => {
        const text = renderSchemaInline(schema);
        expect(text.length).toBeGreaterThan(0);
        expect(text.length).toBeLessThanOrEqual(4000);
        expect(text).not.toMatch(/[\r\n]/);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('keeps every function schema on its own single line in the document', () => {
    fc.assert(
      fc.property(schemaArb, schemaArb, (request, definition) => {
        // The response refers to a definition, so its `where` line is exercised as well.
        const response = { type: 'object', properties: { a: { $ref: '#/$defs/D' } }, $defs: { D: definition } };
        const functions = [{ name: 'f::g', description: 'd', request_schema: request, response_schema: response, metadata: {} }];
        const doc = renderAgentContext(makeInput({ functions }), { sections: ['functions'] });
        const lines = doc.split('\n');
        const at = lines.indexOf('### f::g');
        expect(lines[at + 2]).toMatch(/^- request: `/);
        const responseAt = lines.findIndex((l, i) => i > at + 2 && !l.startsWith('  - '));
        expect(lines[responseAt]).toBe('- response: `{ a?: D }`');
        expect(lines[responseAt + 1]).toMatch(/^ {2}- where `D` = `.*`$/);
        expect(lines.slice(responseAt + 2).every((l) => l === '' || l.startsWith('  - '))).toBe(true);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('is byte-identical for configs that differ only in key order, and keeps every function', () => {
    const config = fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), text), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 });
    fc.assert(
      fc.property(config, fc.integer({ min: 1, max: 400 }), (cfg, tokens) => {
        const reversed = Object.fromEntries(Object.entries(cfg).reverse());
        const a = renderAgentContext(makeInput({ config: cfg }), { tokens });
        const b = renderAgentContext(makeInput({ config: reversed }), { tokens });
        expect(a).toBe(b);
        // One line per config key, whatever the key holds.
        const configLines = a.slice(a.indexOf('## Configuration (defaults)\n'), a.indexOf('\n\n## Dependencies')).split('\n').slice(1);
        for (const line of configLines) expect(line === 'none' || line.startsWith('- `')).toBe(true);
        expect(a).toContain('### image_resize::resize\nResize one image read from an input channel.');
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
