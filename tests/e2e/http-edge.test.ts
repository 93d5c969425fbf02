import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorEnvelopeSchema } from '@iii-registry/schemas';
import { buildApp, type BuiltApp } from '../../registry-server/src/app';
import { loadConfig } from '../../registry-server/src/config';
import { MAX_URL_BYTES } from '../../registry-server/src/http-edge';
import { connect, type RawConnection, type RawResponse } from './raw-http';

/**
 * Answers decided before or around routing, over a raw socket against a real listening registry: each is the
 * error envelope with a stable code; when the registry closes the connection it says `Connection: close` and
 * closes cleanly (FIN after the answer, never a reset); a body too large is read to its end before the 413.
 */

const KEY = 'http-edge-admin-key-0123456789';
let built: BuiltApp;
let port: number;
const open: RawConnection[] = [];

beforeAll(async () => {
  built = await buildApp(loadConfig({ REGISTRY_DATA_DIR: ':memory:', REGISTRY_API_KEY: KEY, REGISTRY_SEED: '0', REGISTRY_READ_RATE_LIMIT: '0',
    REGISTRY_PUBLISH_RATE_LIMIT: '0', REGISTRY_BODY_LIMIT: String(1024 * 1024) }));
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  port = (built.app.server.address() as { port: number }).port;
});
afterAll(async () => {
  for (const c of open) c.socket.destroy();
  await built.app.close();
});

async function conn(): Promise<RawConnection> {
  const c = await connect(port);
  open.push(c);
  return c;
}

function envelope(res: RawResponse, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const parsed = ErrorEnvelopeSchema.safeParse(JSON.parse(res.body));
  expect(parsed.success, res.body).toBe(true);
  const err = JSON.parse(res.body).error;
  expect(err.code).toBe(code);
  expect(err.fix.length).toBeGreaterThan(10);
  return err;
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`;

describe('answers before routing, over a raw socket', () => {
  it('431 for a URL over 16 KiB on a keep-alive connection: envelope, Connection: close, clean close', async () => {
    const c = await conn();
    await c.write(get('/healthz'));
    const first = await c.next();
    expect(first.status).toBe(200);
    expect(first.headers.connection).toBe('keep-alive');
    await c.write(get(`/w?search=${'a'.repeat(20_000)}`));
    const res = await c.next();
    envelope(res, 431, 'headers_too_large');
    expect(res.headers.connection).toBe('close');
    expect(await c.ended).toBe('end');
    expect(c.errors).toEqual([]);
  });

  it('431 for oversized headers', async () => {
    const c = await conn();
    await c.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    const res = await c.next();
    envelope(res, 431, 'headers_too_large');
    expect(res.headers.connection).toBe('close');
    expect(await c.ended).toBe('end');
    expect(c.errors).toEqual([]);
  });

  it('400 for a malformed request line, after a good request on the same connection', async () => {
    const c = await conn();
    await c.write(get('/healthz'));
    expect((await c.next()).status).toBe(200);
    await c.write('THIS IS NOT HTTP\r\n\r\n');
    const res = await c.next();
    envelope(res, 400, 'malformed_request');
    expect(res.headers.connection).toBe('close');
    expect(await c.ended).toBe('end');
    expect(c.errors).toEqual([]);
  });

  it('400 for a bad Content-Length', async () => {
    const c = await conn();
    await c.write('POST /publish HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n');
    const res = await c.next();
    envelope(res, 400, 'invalid_content_length');
    expect(res.headers.connection).toBe('close');
    expect(await c.ended).toBe('end');
  });

  it(`414 for a request target over ${MAX_URL_BYTES} bytes; the keep-alive connection stays usable`, async () => {
    const c = await conn();
    await c.write(get(`/w?search=${'q'.repeat(MAX_URL_BYTES + 10)}`));
    const res = await c.next();
    envelope(res, 414, 'uri_too_long');
    expect(res.headers.connection).not.toBe('close');
    await c.write(get('/healthz'));
    expect((await c.next()).status).toBe(200);
    expect(c.errors).toEqual([]);
  });

  it('404 for an unknown route stays in the envelope and keeps the connection', async () => {
    const c = await conn();
    await c.write(get('/no/such/route'));
    envelope(await c.next(), 404, 'route_not_found');
    await c.write(get('/healthz'));
    expect((await c.next()).status).toBe(200);
  });
});

describe('a body too large', () => {
  it('is read to its end, then answered 413 in the envelope with Connection: close (raw socket, 10 MB)', async () => {
    const c = await conn();
    const total = 10 * 1024 * 1024;
    await c.write(`POST /publish HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-API-Key: ${KEY}\r\nContent-Length: ${total}\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    // Every write must land: the registry may not close or reset while the client is still sending.
    for (let sent = 0; sent < total; sent += chunk.length) await c.write(chunk);
    const res = await c.next();
    envelope(res, 413, 'payload_too_large');
    expect(res.headers.connection).toBe('close');
    expect(await c.ended).toBe('end');
    expect(c.errors).toEqual([]);
  });

  it('chunked, without Content-Length: still a 413 after the body ends', async () => {
    const c = await conn();
    await c.write(`POST /publish HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-API-Key: ${KEY}\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const piece = 'a'.repeat(256 * 1024);
    for (let i = 0; i < 8; i++) await c.write(`${piece.length.toString(16)}\r\n${piece}\r\n`);
    await c.write('0\r\n\r\n');
    const res = await c.next();
    envelope(res, 413, 'payload_too_large');
    expect(c.errors).toEqual([]);
  });

  it('Node fetch publishing 10 MB reads the 413, five times in a row', async () => {
    const body = JSON.stringify({ worker_name: 'big', version: '1.0.0', type: 'engine', readme: 'r'.repeat(10 * 1024 * 1024) });
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/publish`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    }
  });
});
