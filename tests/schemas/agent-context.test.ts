import { describe, expect, it } from 'vitest';
import { renderAgentContext } from '@iii-registry/schemas';
import { makeInput, makeWorker, section } from './agent-context-factory';

describe('agent-context header', () => {
  it('states name, version, type, license, UTC publish date, status, repo, other versions and its own URL', () => {
    const doc = renderAgentContext(makeInput({ published_at: '2026-05-04T23:30:00-02:00' }));
    const lines = doc.split('\n');
    expect(lines[0]).toBe('# image-resize 0.1.2');
    expect(lines[1]).toBe('> Resize JPEG, PNG and WebP images through channel I/O.');
    expect(lines[2]).toBe('> binary · Apache-2.0 · published 2026-05-05 · active · repo https://github.com/iii-hq/workers');
    expect(lines[3]).toBe('> other versions: 0.1.1, 0.1.0 · this document: /workers/image-resize.md?version=0.1.2');
  });

  it('shows deprecated and yanked with their messages, and a missing license and repo', () => {
    const deprecated = renderAgentContext(makeInput({ status: 'deprecated', status_message: 'use 0.2 instead' }));
    expect(deprecated.split('\n')[2]).toContain(' · deprecated: use 0.2 instead · ');
    const yanked = renderAgentContext(makeInput({ status: 'yanked', status_message: 'leaks memory', license: '', repo: '' }));
    expect(yanked.split('\n')[2]).toBe('> binary · license unknown · published 2026-05-04 · yanked: leaks memory · no repo');
  });

  it('says "none" without other versions and URL-encodes build metadata in links', () => {
    const doc = renderAgentContext(makeInput({ version: '1.0.0+build.5' }, { other_versions: [] }));
    expect(doc.split('\n')[0]).toBe('# image-resize 1.0.0+build.5');
    expect(doc).toContain('> other versions: none · this document: /workers/image-resize.md?version=1.0.0%2Bbuild.5');
  });
});

describe('agent-context install', () => {
  it('names the install command and what each type downloads', () => {
    const binary = section(renderAgentContext(makeInput()), 'Install');
    expect(binary).toContain('`iii worker add image-resize@0.1.2`');
    expect(binary).toContain('- platforms: aarch64-apple-darwin, x86_64-unknown-linux-gnu');
    const image = renderAgentContext(makeInput({ type: 'image', supported_targets: [], image: 'ghcr.io/iii/resize:0.1.2' }));
    expect(section(image, 'Install')).toContain('- image: `ghcr.io/iii/resize:0.1.2`');
    const bundle = renderAgentContext(makeInput({ type: 'bundle', supported_targets: [], archive_url: 'https://r.example/a.tgz', sha256: 'a'.repeat(64) }));
    expect(section(bundle, 'Install')).toContain(`- archive: https://r.example/a.tgz (sha256 ${'a'.repeat(64)})`);
    const engine = renderAgentContext(makeInput({ type: 'engine', supported_targets: [] }));
    expect(section(engine, 'Install')).toContain('built into the engine');
  });
});

describe('agent-context API reference', () => {
  it('lists every function and trigger with its description and schemas, in input order', () => {
    const fn = (name: string, description: string) => ({ name, description, request_schema: { type: 'string' }, response_schema: {}, metadata: {} });
    const doc = renderAgentContext(
      makeInput({
        functions: [fn('zeta::last', 'Zeta first in input.'), fn('alpha::one', 'Alpha second.'), fn('mid::two', 'Mid third.')],
        triggers: [
          { name: 'on-bounce', description: 'Fires on a bounce.', invocation_schema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }, return_schema: { type: 'boolean' }, metadata: {} },
          { name: 'cron', description: 'Runs on a schedule.', invocation_schema: {}, return_schema: {}, metadata: {} },
        ],
      }),
    );
    const functions = section(doc, 'Functions (3)');
    expect(functions.indexOf('### zeta::last\nZeta first in input.')).toBeGreaterThan(0);
    expect(functions.indexOf('### alpha::one\nAlpha second.')).toBeGreaterThan(functions.indexOf('### zeta::last'));
    expect(functions.indexOf('### mid::two\nMid third.')).toBeGreaterThan(functions.indexOf('### alpha::one'));
    expect(functions).toContain('- request: `string`\n- response: `unknown (no schema published)`');
    const triggers = section(doc, 'Trigger types (2)');
    expect(triggers).toContain('### on-bounce\nFires on a bounce.\n- invocation: `{ id: string }`\n- return: `boolean`');
    expect(triggers).toContain('### cron\nRuns on a schedule.\n- invocation: `unknown (no schema published)`');
  });

  it('demotes headings inside a description so they nest under the entry', () => {
    const functions = [{ name: 'a::b', description: 'Does b.\n\n# Errors\nNone.', request_schema: {}, response_schema: {}, metadata: {} }];
    const doc = renderAgentContext(makeInput({ functions }));
    expect(doc).toContain('### a::b\nDoes b.\n\n#### Errors\nNone.\n- request: ');
  });

  it('adds where-lines for local refs and field descriptions under a schema', () => {
    const doc = renderAgentContext(
      makeInput({
        functions: [
          {
            name: 'x::y',
            description: '',
            request_schema: {
              type: 'object',
              properties: { input: { $ref: '#/$defs/ChannelRef', description: 'The channel\nto read.' } },
              $defs: { ChannelRef: { type: 'object', properties: { channel_id: { type: 'string' } }, required: ['channel_id'] } },
            },
            response_schema: { type: 'null' },
            metadata: {},
          },
        ],
      }),
    );
    expect(doc).toContain(
      '### x::y\n(no description)\n- request: `{ input?: ChannelRef }`\n  - where `ChannelRef` = `{ channel_id: string }`\n  - `input`: The channel to read.\n- response: `null`',
    );
  });
});

describe('agent-context configuration and dependencies', () => {
  it('lists every config key with its type and default, nested maps as dotted keys, sorted', () => {
    const config = { width: 200, ratio: 1.5, s3: { bucket: 'media', 'a.b': [1, 'x'], empty: {} }, cron: '*/5 * * * *', off: false, none: null };
    const text = section(renderAgentContext(makeInput({ config })), 'Configuration (defaults)');
    expect(text.trim().split('\n')).toEqual([
      '## Configuration (defaults)',
      '- `cron`: string = `"*/5 * * * *"`',
      '- `none`: null = `null`',
      '- `off`: boolean = `false`',
      '- `ratio`: number = `1.5`',
      '- `s3["a.b"]`: (integer | string)[] = `[1,"x"]`',
      '- `s3.bucket`: string = `"media"`',
      '- `s3.empty`: object = `{}`',
      '- `width`: integer = `200`',
    ]);
    expect(section(renderAgentContext(makeInput({ config: {} })), 'Configuration (defaults)').trim()).toBe('## Configuration (defaults)\nnone');
  });

  it('lists every dependency with its range, "" as any version, and "none" when empty', () => {
    const dependencies = [{ name: 'iii-state', version: '^0.21.0' }, { name: 'configuration', version: '' }];
    const text = section(renderAgentContext(makeInput({ dependencies })), 'Dependencies');
    expect(text.trim()).toBe('## Dependencies\n- `configuration`: any version\n- `iii-state`: `^0.21.0`');
    expect(section(renderAgentContext(makeInput()), 'Dependencies').trim()).toBe('## Dependencies\nnone');
  });
});

describe('agent-context skills and README', () => {
  it('lists skills (SKILL.md first) with descriptions and how to fetch them', () => {
    const skills = [{ path: 'skills/crop.md', description: 'How to\ncrop.' }, { path: 'agents/helper.md' }, { path: 'SKILL.md', description: 'Overview.' }];
    const text = section(renderAgentContext(makeInput({}, { skills })), 'Skills (3)');
    expect(text.trim().split('\n')).toEqual([
      '## Skills (3)',
      'Fetch their content: `GET /w/image-resize/skills?version=0.1.2`',
      '- `SKILL.md`: Overview.',
      '- `agents/helper.md`',
      '- `skills/crop.md`: How to crop.',
    ]);
    expect(section(renderAgentContext(makeInput()), 'Skills (0)').trim()).toBe('## Skills (0)\nnone');
  });

  it('puts the README last with headings demoted and code fences untouched', () => {
    const readme = '# Title\n\nIntro.\n\n## Usage\n\n```sh\n# comment, not a heading\n## nor this\n```\n\n~~~\n# tilde fence\n~~~\n\nSetext\n======\n\n###### Deep';
    const doc = renderAgentContext(makeInput({ readme }));
    const text = doc.slice(doc.indexOf('\n## README\n') + 1);
    expect(doc.endsWith(text)).toBe(true);
    expect(doc.indexOf('\n## README\n')).toBeGreaterThan(doc.indexOf('\n## Skills (0)'));
    expect(text).toBe(
      '## README\n### Title\n\nIntro.\n\n#### Usage\n\n```sh\n# comment, not a heading\n## nor this\n```\n\n~~~\n# tilde fence\n~~~\n\n### Setext\n\n###### Deep\n',
    );
  });
});

describe('agent-context determinism', () => {
  it('renders the same bytes twice, and ignores config key order', () => {
    const input = makeInput({ config: { b: 1, a: { y: 2, x: 3 } } });
    expect(renderAgentContext(input)).toBe(renderAgentContext(structuredClone(input)));
    const reordered = makeInput({ config: { a: { x: 3, y: 2 }, b: 1 } });
    expect(renderAgentContext(reordered)).toBe(renderAgentContext(input));
  });

  it('keeps schema property order, which is the writer’s declaration order', () => {
    const schema = (props: Record<string, unknown>) => ({ name: 'f', description: 'd', request_schema: { type: 'object', properties: props }, response_schema: {}, metadata: {} });
    const ab = renderAgentContext(makeInput({ functions: [schema({ a: { type: 'string' }, b: { type: 'integer' } })] }));
    const ba = renderAgentContext(makeInput({ functions: [schema({ b: { type: 'integer' }, a: { type: 'string' } })] }));
    expect(ab).toContain('`{ a?: string, b?: integer }`');
    expect(ba).toContain('`{ b?: integer, a?: string }`');
  });
});

describe('agent-context options', () => {
  const paragraphs = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} ${'word '.repeat(40).trim()}.`);
  const functions = Array.from({ length: 5 }, (_, i) => ({
    name: `image_resize::op${i}`,
    description: `Operation ${i}.`,
    request_schema: { type: 'object', properties: { n: { type: 'integer', default: i } } },
    response_schema: {},
    metadata: {},
  }));
  const input = makeInput({ functions, readme: `# Big\n\n${paragraphs.join('\n\n')}` }, { skills: [{ path: 'SKILL.md', description: 'Overview of everything. '.repeat(8) }] });

  it('trims the README at a paragraph boundary to fit tokens, keeps every function and says where the rest is', () => {
    const full = renderAgentContext(input);
    const doc = renderAgentContext(input, { tokens: 1000 });
    expect(doc.length).toBeLessThanOrEqual(4000);
    expect(full.length).toBeGreaterThan(4000);
    expect(doc.slice(0, doc.indexOf('## README'))).toBe(full.slice(0, full.indexOf('## README')));
    for (const f of functions) expect(doc).toContain(`### ${f.name}\n${f.description}`);
    const readme = doc.slice(doc.indexOf('## README'));
    expect(readme).toContain('### Big\n\nParagraph 0 ');
    expect(readme).not.toContain('Paragraph 39');
    expect(readme).toMatch(/word\.\n\n\[README trimmed at a paragraph boundary to fit tokens=1000; full README: `GET \/w\/image-resize\?version=0\.1\.2` \(field readme\)\]\n$/);
    expect(renderAgentContext(input, { tokens: 1_000_000 })).toBe(full);
  });

  it('never cuts the README inside a code fence, even one with blank lines', () => {
    const readme = `Intro.\n\n\`\`\`js\nconst a = 1;\n\nconst b = 2;\n\`\`\`\n\n${'Tail paragraph. '.repeat(50)}`;
    const small = makeInput({ readme });
    const facts = renderAgentContext(small, { tokens: 1 }).length;
    for (const extra of [10, 25, 40, 60]) {
      const doc = renderAgentContext(small, { tokens: Math.ceil((facts + extra) / 4) });
      const body = doc.slice(doc.indexOf('## README'));
      expect(body).toContain('[README trimmed');
      expect(body.includes('const a = 1;')).toBe(body.includes('const b = 2;\n```'));
    }
    const fits = renderAgentContext(small, { tokens: Math.ceil((facts + 60) / 4) });
    expect(fits).toContain('Intro.\n\n```js\nconst a = 1;\n\nconst b = 2;\n```\n\n[README trimmed');
  });

  it('drops skill descriptions after the README but never the API reference', () => {
    const doc = renderAgentContext(input, { tokens: 10 });
    expect(doc).not.toContain('Paragraph 0');
    expect(doc).toContain('\n- `SKILL.md`\n');
    expect(doc).toContain('(descriptions trimmed to fit the token budget)');
    for (const f of functions) expect(doc).toContain(`- request: \`{ n?: integer = ${f.request_schema.properties.n.default} }\``);
    expect(doc).toContain('## Configuration (defaults)\n- `height`');
  });

  it('includes only the requested sections, in canonical order, header always', () => {
    const doc = renderAgentContext(input, { sections: ['readme', 'functions'] });
    expect(doc.split('\n').filter((l) => l.startsWith('## '))).toEqual(['## Functions (5)', '## README']);
    expect(doc.startsWith('# image-resize 0.1.2\n')).toBe(true);
    expect(doc).toContain('> sections shown: functions, readme');
    const headerOnly = renderAgentContext(input, { sections: [] });
    expect(headerOnly.split('\n').some((l) => l.startsWith('## '))).toBe(false);
    expect(headerOnly).toContain('> other versions: 0.1.1, 0.1.0');
  });

  it('refuses to build an invalid test worker', () => {
    expect(() => makeWorker({ status: 'retired' })).toThrow(/status/);
  });
});
