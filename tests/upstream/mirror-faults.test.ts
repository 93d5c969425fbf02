import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirror } from '../../registry-server/src/mirror/mirror';
import { createMirrorSource } from '../../registry-server/src/mirror/source';
import { makeApp, type TestApp } from '../registry-server/helpers';
import { detailOf } from './stand-in';

/**
 * A source registry (node:http stand-in, real HTTP) whose bundle archive does not match its sha256, or whose listing
 * redirects in a loop: the mirror reports the failure and stores nothing unverified.
 */
const BYTES = Buffer.from('not the archive you are looking for');
const CLAIMED = 'd'.repeat(64);
let server: http.Server;
let url = '';
let app: TestApp;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const json = (v: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(v));
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/w') return json({ workers: [detailOf('bad-bundle').worker], pagination: { next_cursor: null, has_more: false, page_size: 100 } });
    if (u.pathname === '/w/bad-bundle/versions') return json({ versions: [{ version: '1.0.0', tags: ['latest'], status: 'active' }] });
    if (u.pathname === '/w/bad-bundle') {
      const { image: _image, ...rest } = detailOf('bad-bundle').worker;
      return json({ worker: { ...rest, type: 'bundle', archive_url: `${url}/archives/${CLAIMED}.tar.gz`, sha256: CLAIMED } });
    }
    if (u.pathname === `/archives/${CLAIMED}.tar.gz`) return void res.writeHead(200, { 'content-type': 'application/gzip' }).end(BYTES);
    if (u.pathname.startsWith('/loop')) return void res.writeHead(301, { location: '/loop' }).end();
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found","message":"no","fix":"","available":[]}}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app = await makeApp();
});

afterAll(async () => {
  await app?.close();
  await new Promise<void>((r) => server.close(() => r()));
});

const principal = { keyId: 0, name: 'mirror', admin: true };

describe('mirror faults', () => {
  it('an archive whose bytes do not match its sha256 is refused: no version, no blob, no staged upload', async () => {
    const report = await mirror(createMirrorSource(url), app.ctx.services, principal);
    expect(report.copied).toBe(0);
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]).toMatchObject({ worker: 'bad-bundle', version: '1.0.0' });
    expect(report.failures[0].message).toContain(`says ${CLAIMED}`);
    expect((await app.get('/w/bad-bundle')).status).toBe(404);
    const actual = crypto.createHash('sha256').update(BYTES).digest('hex');
    expect(await app.ctx.services.openArchive(actual)).toBeNull();
    expect(await app.ctx.services.openArchive(CLAIMED)).toBeNull();
    expect(await app.count('SELECT COUNT(*) AS n FROM staged_archives')).toBe(0);
  });

  it('a source that redirects in a loop fails with a clear message instead of hanging', async () => {
    await expect(mirror(createMirrorSource(`${url}/loop`), app.ctx.services, principal)).rejects.toThrow(/redirects in a loop/);
  });
});
