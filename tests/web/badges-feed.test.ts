import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { RegistryServices } from '../../registry-server/src/services/types';
import { ADMIN, buildWebApp, PUBLIC_URL, seedWorkers } from './web-app';

let app: FastifyInstance;
let services: RegistryServices;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, services, close } = await buildWebApp());
  await seedWorkers(services);
  await services.download('image-resize', undefined, false);
  await services.download('image-resize', undefined, true);
});
afterAll(() => close());

describe('badges', () => {
  it('badge.svg shows the latest version', async () => {
    const res = await app.inject('/workers/image-resize/badge.svg');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.body).toContain('aria-label="iii worker: v0.1.2"');
    expect(res.body).not.toMatch(/<script|href=/);
  });

  it('downloads.svg shows the download count', async () => {
    const res = await app.inject('/workers/image-resize/downloads.svg');
    expect(res.body).toContain('aria-label="downloads: 2"');
  });

  it('an unknown worker gets a 404 "not found" badge', async () => {
    const res = await app.inject('/workers/nope/badge.svg');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('aria-label="iii worker: not found"');
  });
});

describe('Atom feeds', () => {
  it('/feed.xml lists recent publishes newest first with absolute version links', async () => {
    await services.publish(ADMIN, { worker_name: 'newest', version: '2.0.0', type: 'engine', description: 'Fresh & new' });
    const res = await app.inject('/feed.xml');
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const entries = [...res.body.matchAll(/<entry>\n<id>([^<]+)<\/id>\n<title>([^<]+)<\/title>/g)].map((m) => [m[1], m[2]]);
    expect(entries[0]).toEqual([`${PUBLIC_URL}/workers/newest?version=2.0.0`, 'newest 2.0.0']);
    expect(entries.map((e) => e[1])).toContain('image-resize 0.1.1');
    expect(res.body).toContain('<summary>Fresh &amp; new</summary>');
    expect(res.body).toMatch(/<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">\n<id>http:\/\/registry.test\/feed.xml<\/id>/);
  });

  it('a worker feed has only that worker; an unknown worker is a 404', async () => {
    const res = await app.inject('/workers/image-resize/feed.xml');
    const titles = [...res.body.matchAll(/<title>([^<]+)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual(['image-resize: publishes', 'image-resize 0.1.2', 'image-resize 0.1.1']);
    expect((await app.inject('/workers/nope/feed.xml')).statusCode).toBe(404);
  });
});
