import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { renderAgentContext, renderSchemaInline } from '@iii-registry/schemas';
import { makeInput } from './agent-context-factory';

/** Schemas and configs arrive from any publisher: the renderer must hold its guarantees on arbitrary JSON. */
describe('agent-context on arbitrary input', () => {
  it('renders any JSON value as a schema on one bounded line, without throwing', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (schema) => {
        const text = renderSchemaInline(schema);
        expect(text.length).toBeGreaterThan(0);
        expect(text.length).toBeLessThanOrEqual(4000);
        expect(text).not.toMatch(/[\r\n]/);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('is byte-identical for configs that differ only in key order, and keeps every function', () => {
    const config = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 });
    fc.assert(
      fc.property(config, fc.integer({ min: 1, max: 400 }), (cfg, tokens) => {
        const reversed = Object.fromEntries(Object.entries(cfg).reverse());
        const a = renderAgentContext(makeInput({ config: cfg }), { tokens });
        const b = renderAgentContext(makeInput({ config: reversed }), { tokens });
        expect(a).toBe(b);
        expect(a).toContain('### image_resize::resize\nResize one image read from an input channel.');
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
