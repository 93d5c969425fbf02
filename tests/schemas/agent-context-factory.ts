import { validate, WorkerDetailSchema, type AgentContextInput, type WorkerDetail } from '@iii-registry/schemas';

/**
 * A valid WorkerDetail for agent-context tests. Every input goes through WorkerDetailSchema so a test can
 * never exercise the renderer with a shape the registry would not produce.
 */
export function makeWorker(overrides: Record<string, unknown> = {}): WorkerDetail {
  const raw = {
    name: 'image-resize',
    description: 'Resize JPEG, PNG and WebP images through channel I/O.',
    type: 'binary',
    version: '0.1.2',
    repo: 'https://github.com/iii-hq/workers',
    config: { width: 200, height: 200, strategy: 'scale-to-fit' },
    supported_targets: ['aarch64-apple-darwin', 'x86_64-unknown-linux-gnu'],
    total_downloads: 12,
    dependencies: [],
    author: { name: 'iii', pfp: null, verified: true },
    license: 'Apache-2.0',
    tags: ['image'],
    experimental: false,
    readme: '# image-resize\n\nResizes images.',
    functions: [
      {
        name: 'image_resize::resize',
        description: 'Resize one image read from an input channel.',
        request_schema: {
          type: 'object',
          required: ['input'],
          properties: { input: { type: 'object' }, width: { type: 'integer', minimum: 1 } },
        },
        response_schema: { type: 'object', properties: { width: { type: 'integer' } }, required: ['width'] },
        metadata: {},
      },
    ],
    triggers: [],
    published_at: '2026-05-04T10:00:00.000Z',
    status: 'active',
    status_message: null,
    version_tags: ['latest'],
    ...overrides,
  };
  const checked = validate(WorkerDetailSchema, raw);
  if (!checked.ok) throw new Error(`test worker is not a valid WorkerDetail: ${JSON.stringify(checked.problems)}`);
  return checked.value;
}

export function makeInput(overrides: Record<string, unknown> = {}, rest: Partial<AgentContextInput> = {}): AgentContextInput {
  return { worker: makeWorker(overrides), other_versions: ['0.1.1', '0.1.0'], skills: [], ...rest };
}

/** The text of one `## ` section (heading line included) up to the next `## ` heading. */
export function section(doc: string, heading: string): string {
  const start = doc.indexOf(`\n## ${heading}`);
  if (start < 0) return '';
  const next = doc.indexOf('\n## ', start + 1);
  return doc.slice(start + 1, next < 0 ? doc.length : next);
}
