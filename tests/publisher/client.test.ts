import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../publisher/src/client';
import { CliError } from '../../publisher/src/errors';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let server: Server | undefined;

async function serve(handler: Handler): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const envelope = (code: string, extra: Record<string, unknown> = {}) => ({
  error: { code, message: `message of ${code}`, fix: `fix of ${code}`, available: [], ...extra },
});

async function failure(p: Promise<unknown>): Promise<CliError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError');
}

describe('RegistryClient', () => {
  it('retries 5xx with backoff and sends the key and the JSON body', async () => {
    let calls = 0;
    const seen: { key?: string; body: string }[] = [];
    const url = await serve((req, res, body) => {
      calls++;
      seen.push({ key: req.headers['x-api-key'] as string | undefined, body });
      if (calls < 3) return json(res, 503, envelope('unavailable'));
      json(res, 200, { version: { version: '1.0.0' } });
    });
    const client = new RegistryClient({ baseUrl: url, apiKey: 'k-123', retries: 3, backoffMs: 5 });
    const res = await client.publish({ worker_name: 'x' });
    expect(res.status).toBe(200);
    expect(calls).toBe(3);
    expect(seen.every((s) => s.key === 'k-123' && JSON.parse(s.body).worker_name === 'x')).toBe(true);
  });

  it('gives up after the retries with exit code 6', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls++;
      json(res, 502, {});
    });
    const error = await failure(new RegistryClient({ baseUrl: url, apiKey: 'k', retries: 2, backoffMs: 1 }).publish({}));
    expect(error.exitCode).toBe(6);
    expect(calls).toBe(3);
  });

  it('maps an unreachable registry to exit code 6', async () => {
    const url = await serve((_req, res) => json(res, 200, {}));
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const error = await failure(new RegistryClient({ baseUrl: url, apiKey: 'k', retries: 1, backoffMs: 1 }).publish({}));
    expect(error.exitCode).toBe(6);
    expect(error.message).toContain('after 2 attempts');
  });

  it('maps 401 and 403 to exit code 5 with the envelope fix, without retrying', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls++;
      json(res, calls === 1 ? 401 : 403, envelope(calls === 1 ? 'unauthorized' : 'forbidden'));
    });
    const client = new RegistryClient({ baseUrl: url, apiKey: 'bad', backoffMs: 1 });
    const first = await failure(client.publishSkills('x', {}));
    expect(first.exitCode).toBe(5);
    expect(first.fix).toBe('fix of unauthorized');
    const second = await failure(client.publishSkills('x', {}));
    expect(second.exitCode).toBe(5);
    expect(calls).toBe(2);
  });

  it('maps 429 auth_rate_limited (too many wrong keys) to exit code 5 at once, without retrying', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls++;
      res.setHeader('retry-after', '30');
      json(res, 429, envelope('auth_rate_limited'));
    });
    const error = await failure(new RegistryClient({ baseUrl: url, apiKey: 'bad', retries: 3, backoffMs: 1 }).publish({}));
    expect(error.exitCode).toBe(5);
    expect(error.fix).toBe('fix of auth_rate_limited');
    expect(calls).toBe(1);
  });

  it('maps 422 to exit code 3 keeping every problem, and lets publish handle 409 itself', async () => {
    const url = await serve((req, res) => {
      if (req.url === '/publish') return json(res, 409, envelope('version_exists'));
      json(res, 422, envelope('validation_failed', { problems: [{ path: 'skills["A b.md"]', message: 'bad key' }] }));
    });
    const client = new RegistryClient({ baseUrl: url, apiKey: 'k', backoffMs: 1 });
    expect((await client.publish({})).status).toBe(409);
    const error = await failure(client.publishSkills('x', {}));
    expect(error.exitCode).toBe(3);
    expect(error.problems).toEqual([{ path: 'skills["A b.md"]', message: 'bad key' }]);
  });

  it('refuses a write without a key (exit 5) before any request', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls++;
      json(res, 200, {});
    });
    const error = await failure(new RegistryClient({ baseUrl: url }).publish({}));
    expect(error.exitCode).toBe(5);
    expect(calls).toBe(0);
  });
});
