import { describe, expect, it } from 'vitest';
import { renderAgentContext } from '@iii-registry/schemas';
import { readmeToText } from '@iii-registry/schemas/readme-text';
import { makeInput } from './agent-context-factory';

/**
 * Agent context without loss (issue 12): a schema using every JSON Schema keyword the renderer knows, and each
 * constraint's text asserted in the document, so a dropped keyword fails here rather than in an agent's code.
 */
const request = {
  type: 'object',
  title: 'Resize request',
  description: 'What to resize and how.',
  additionalProperties: false,
  required: ['input', 'size'],
  properties: {
    input: { $ref: '#/$defs/ChannelRef', description: 'Channel the image is read from' },
    size: {
      type: 'object',
      minProperties: 1,
      maxProperties: 2,
      properties: {
        width: { type: 'integer', minimum: 1, maximum: 8192, description: 'Target width in pixels', examples: [200, 640] },
        height: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 10000, multipleOf: 2, default: 200 },
      },
    },
    format: { type: 'string', enum: ['jpeg', 'png', 'webp'], default: 'webp', description: 'Output format' },
    callback: { type: 'string', format: 'uri', pattern: '^https://', minLength: 8, maxLength: 2048, description: 'Where to post the result' },
    data: { type: 'string', contentEncoding: 'base64', contentMediaType: 'image/png', writeOnly: true },
    id: { type: 'string', readOnly: true, deprecated: true },
    tags: { type: 'array', items: { type: 'string', description: 'One label' }, minItems: 1, maxItems: 5, uniqueItems: true },
    extra: { type: 'object', additionalProperties: { type: 'string', description: 'Header value' } },
    mode: { anyOf: [{ const: 'fast' }, { type: 'null' }] },
    pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] },
    legacy: { type: 'string', nullable: true, example: 'x' },
  },
  $defs: {
    ChannelRef: {
      type: 'object',
      description: 'A reference to a channel',
      additionalProperties: false,
      required: ['channel_id'],
      properties: { channel_id: { type: 'string', description: 'Id of the channel, as the engine returned it' }, depth: { $ref: '#/$defs/Depth' } },
    },
    Depth: { type: 'integer', enum: [8, 16], description: 'Bits per sample' },
  },
};

function document(metadata: Record<string, unknown> = {}, readme = '# r'): string {
  return renderAgentContext(makeInput({
    readme,
    functions: [{ name: 'image::resize', description: 'Resize.', request_schema: request, response_schema: { type: 'object', properties: { ok: { type: 'boolean' } } }, metadata }],
    triggers: [{ name: 'on-resized', description: 'After each resize.', invocation_schema: { type: 'object', properties: { id: { type: 'string', description: 'Resized image id' } } }, return_schema: {}, metadata: { internal: true } }],
  }));
}

describe('agent context keeps every fact of the API reference', () => {
  const md = document();
  const cases: [string, string][] = [
    ['title and description of the schema', 'Resize request: What to resize and how.'],
    ['closed object (additionalProperties: false)', '} closed'],
    ['$ref by name', 'input: ChannelRef'],
    ['definition body', 'where `ChannelRef` = `{ channel_id: string, depth?: Depth } closed`'],
    ['definition of a nested ref', 'where `Depth` = `8 | 16`'],
    ['description beside a $ref', '`input`: Channel the image is read from'],
    ['description inside a definition', '`ChannelRef.channel_id`: Id of the channel, as the engine returned it'],
    ['description of a definition', '`ChannelRef`: A reference to a channel'],
    ['description of a nested ref definition', '`Depth`: Bits per sample'],
    ['nested description (depth 2)', '`size.width`: Target width in pixels'],
    ['array item description', '`tags[]`: One label'],
    ['map value description', '`extra{}`: Header value'],
    ['minimum and maximum', 'integer >= 1 <= 8192'],
    ['exclusive bounds and multipleOf', 'number > 0 < 10000 multiple of 2 = 200'],
    ['examples', 'e.g. 200, 640'],
    ['singular example', 'e.g. "x"'],
    ['object key count bounds', 'keys 1..2'],
    ['enum with default', 'format?: "jpeg" | "png" | "webp" = "webp"'],
    ['format, length and pattern', 'string<uri> len 8..2048 /^https:///'],
    ['content encoding and media type', 'string encoding base64 media image/png (write-only)'],
    ['read-only and deprecated', 'id?: string (deprecated, read-only)'],
    ['array bounds and uniqueness', 'string[] len 1..5 unique'],
    ['map values', 'Record<string, string>'],
    ['const and null union', '"fast" | null'],
    ['tuple', '[string, integer]'],
    ['nullable', 'string | null'],
    ['required vs optional', '{ input: ChannelRef, size: {'],
    ['trigger field description', '`id`: Resized image id'],
    ['trigger metadata in words', '- metadata: internal: do not call it directly'],
  ];
  for (const [what, text] of cases) it(`renders ${what}`, () => expect(md).toContain(text));
});

describe('function metadata', () => {
  it('spells out internal and deprecated and keeps every other key as JSON', () => {
    const md = document({ internal: true, deprecated: 'use image::resize2', registry_name: 'resize', cost: { units: 2 } });
    expect(md).toContain('- metadata: internal: do not call it directly, it serves the worker itself · deprecated: use image::resize2 · `{"registry_name":"resize","cost":{"units":2}}`');
  });

  it('says nothing when there is no metadata', () => {
    expect(document({}).split('### image::resize')[1].split('###')[0]).not.toContain('metadata');
  });
});

describe('README HTML reduced to text', () => {
  const readme = [
    '<p align="center"><img src="https://x/logo.png" alt="iii logo"></p>',
    '[![CI](https://x/ci.svg)](https://x/actions) ![](https://x/plain.png)',
    'Stores `Array<string>` values &amp; keys. See [docs](https://docs.iii.dev).',
    '<details><summary>More</summary>Hidden <b>text</b><script>alert(1)</script><!-- note --></details>',
    '```html\n<div>code stays</div>\n```',
  ].join('\n\n');

  it('keeps alt text, link text and code, drops tags, scripts and comments', () => {
    const text = readmeToText(readme);
    expect(text).toContain('iii logo');
    expect(text).toContain('CI');
    expect(text).toContain('Stores `Array<string>` values & keys. See [docs](https://docs.iii.dev).');
    expect(text).toContain('More');
    expect(text).toContain('Hidden text');
    expect(text).toContain('<div>code stays</div>');
    for (const gone of ['<img', '<p', 'ci.svg', 'plain.png', '<script', 'alert(1)', 'note', '<b>', '<details>']) expect(text).not.toContain(gone);
  });

  it('is what the agent context shows under ## README', () => {
    const md = document({}, readme);
    expect(md).toContain('iii logo');
    expect(md).not.toContain('<img');
  });
});
