import { describe, expect, it } from 'vitest';
import { renderSchemaTree } from '../../registry-server/src/web/schema-tree';

describe('renderSchemaTree', () => {
  it('shows names, types, required marks, descriptions, enums, defaults and nested arrays of objects', () => {
    const out = renderSchemaTree(
      {
        type: 'object',
        required: ['to'],
        properties: {
          to: { type: 'string', format: 'email', description: 'Recipient' },
          priority: { type: 'string', enum: ['low', 'high'], default: 'low' },
          attachments: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 255 } } } },
          headers: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      't',
    ).value;
    expect(out).toMatch(/<code class="field">to<\/code>\s*<span class="type">string<\/span> <abbr class="req" title="required">required<\/abbr>/);
    expect(out).toContain('<span class="desc">Recipient</span>');
    expect(out).toContain('format <code>email</code>');
    expect(out).toMatch(/<code class="field">priority<\/code>\s*<span class="type">string<\/span> <span class="opt">optional<\/span>/);
    expect(out).toContain('one of: <code>&quot;low&quot;</code>, <code>&quot;high&quot;</code>');
    expect(out).toContain('default <code>&quot;low&quot;</code>');
    expect(out).toContain('<span class="type">array of object</span>');
    expect(out).toMatch(/attachments[\s\S]*<ul><li><code class="field">name<\/code>[\s\S]*required[\s\S]*max length <code>255<\/code>/);
    expect(out).toContain('<span class="type">map of string</span>');
  });

  it('shows $refs by name, linked to their definition when the schema carries it', () => {
    const out = renderSchemaTree(
      { type: 'object', properties: { a: { $ref: '#/$defs/ChannelRef' }, b: { $ref: 'https://x.example/schemas/Other.json' } }, $defs: { ChannelRef: { type: 'object', properties: { id: { type: 'string' } } } } },
      'fn-0-0',
    ).value;
    expect(out).toContain('<a class="ref" href="#fn-0-0-def-ChannelRef">ChannelRef</a>');
    expect(out).toContain('<span class="ref">Other.json</span>');
    expect(out).toMatch(/<li id="fn-0-0-def-ChannelRef"><code class="field">ChannelRef<\/code>[\s\S]*<code class="field">id<\/code>/);
  });

  it('explains empty schemas and lists oneOf variants', () => {
    expect(renderSchemaTree({}, 'x').value).toContain('schema is empty');
    const out = renderSchemaTree({ oneOf: [{ type: 'string' }, { type: 'object', properties: { url: { type: 'string' } } }] }, 'x').value;
    expect(out).toContain('<span class="variant">option 1</span>');
    expect(out).toMatch(/option 2[\s\S]*<code class="field">url<\/code>/);
  });

  it('escapes hostile names and descriptions and bounds deep schemas', () => {
    const out = renderSchemaTree({ type: 'object', properties: { '<img onerror=x>': { type: 'string', description: '<script>alert(1)</script>' } } }, 'x').value;
    expect(out).not.toMatch(/<img|<script/);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 50; i++) deep = { type: 'object', properties: { n: deep } };
    expect(renderSchemaTree(deep, 'd').value).toContain('nested deeper than');
  });
});
