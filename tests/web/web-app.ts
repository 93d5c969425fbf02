import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { openSqliteBackend } from '../../registry-server/src/db/sqlite-backend';
import { createServices } from '../../registry-server/src/services/index';
import type { Principal, RegistryServices } from '../../registry-server/src/services/types';
import { webRoutes } from '../../registry-server/src/web/routes';

export const PUBLIC_URL = 'http://registry.test';
export const ADMIN: Principal = { keyId: 0, name: 'tests', admin: true };

/**
 * A Fastify app with only the web pages, on the real services over a fresh SQLite file in a temp dir, so page
 * tests see exactly what the registry stores (no port; app.inject).
 */
export async function buildWebApp(): Promise<{ app: FastifyInstance; services: RegistryServices; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-pages-'));
  const backend = await openSqliteBackend(dir);
  const { services } = createServices(backend.repos, backend.archives, PUBLIC_URL);
  const app = Fastify({ logger: false });
  await app.register(webRoutes, { services, publicUrl: PUBLIC_URL });
  await app.ready();
  return {
    app,
    services,
    async close() {
      await app.close();
      await backend.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const binaries = (name: string, targets: string[]) =>
  Object.fromEntries(targets.map((t) => [t, { url: `https://example.com/${name}-${t}.tar.gz`, sha256: 'a'.repeat(64) }]));

export const IMAGE_RESIZE = {
  worker_name: 'image-resize',
  version: '0.1.2',
  type: 'binary',
  readme: '# image-resize\n\nResize **JPEG**, PNG and WebP images.\n\n## Usage\n\nCall `image_resize::resize`.\n',
  repo: 'https://github.com/iii-hq/workers',
  description: 'Resize images through channel I/O',
  license: 'Apache-2.0',
  tags: ['image', 'resize'],
  dependencies: [{ name: 'configuration', version: '^0.21.6' }],
  config: { width: 200, height: 200, strategy: 'scale-to-fit', output: { format: 'jpeg' } },
  functions: [
    {
      name: 'image_resize::resize',
      description: 'Resize one image',
      request_schema: {
        type: 'object',
        required: ['input'],
        properties: {
          input: { $ref: '#/$defs/ChannelRef' },
          width: { type: 'integer', minimum: 1, description: 'Target width in pixels' },
          format: { type: 'string', enum: ['jpeg', 'png', 'webp'] },
          crops: { type: 'array', items: { type: 'object', required: ['x'], properties: { x: { type: 'integer' }, label: { type: ['string', 'null'] } } } },
        },
        $defs: { ChannelRef: { type: 'object', description: 'A channel to read from', properties: { channel_id: { type: 'string' } } } },
      },
      response_schema: { type: 'object', properties: { width: { type: 'integer' }, height: { type: 'integer' } } },
      metadata: {},
    },
  ],
  triggers: [
    { name: 'image_resize::on-done', description: 'Fires after a resize', invocation_schema: {}, return_schema: {}, metadata: {} },
  ],
  binaries: binaries('image-resize', ['aarch64-apple-darwin', 'x86_64-unknown-linux-gnu']),
};

export const CONFIGURATION = {
  worker_name: 'configuration',
  version: '0.21.6',
  type: 'engine',
  description: 'Typed configuration for workers',
  readme: '# configuration\n',
  tags: ['config'],
};

export const HOSTILE_README = [
  '# Totally normal worker',
  '',
  'Intro text stays visible.',
  '',
  '<script>alert(1)</script>',
  '',
  '<img src=x onerror=alert(2)>',
  '',
  '[click me](javascript:alert(3))',
  '',
  '<a href="javascript:alert(4)">raw link</a> <a href="https://example.com/ok">fine link</a>',
  '',
  '<iframe src="https://evil.example/"></iframe>',
  '',
  '<p style="position:fixed;inset:0" onclick="alert(5)">styled paragraph</p>',
  '',
  '<form action="https://evil.example/"><input name="q"></form>',
  '',
  'Outro text stays visible.',
].join('\n');

export async function seedWorkers(services: RegistryServices): Promise<void> {
  await services.publish(ADMIN, CONFIGURATION);
  await services.publish(ADMIN, { ...IMAGE_RESIZE, version: '0.1.1' });
  await services.publish(ADMIN, IMAGE_RESIZE);
  await services.setStatus(ADMIN, 'image-resize', '0.1.1', { status: 'deprecated', message: 'Use 0.1.2: fixes EXIF rotation.' });
  await services.publishSkills(ADMIN, 'image-resize', {
    version: '0.1.2',
    skills: {
      'SKILL.md': '---\ndescription: How to resize and crop\ntitle: Resizing\n---\n# Resize\n\nCall the function.\n',
      'skills/crop.md': '# Crop\n\nCrop <script>alert(1)</script> an image.\n',
    },
  });
}
