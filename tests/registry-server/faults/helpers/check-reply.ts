import { ErrorEnvelopeSchema } from '@iii-registry/schemas';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { expect } from 'vitest';

/**
 * 'api' replies must carry the error envelope on every 4xx; 'page' replies (HTML, SVG, feeds) only must not 5xx;
 * 'md' (/workers/{name}.md) may also fall through to the HTML page route's 404 for names the router will not
 * match as `:name.md` (a newline in the name). Any JSON 4xx, whatever the kind, must be the envelope.
 */
export type ReplyKind = 'api' | 'page' | 'md';

export interface FuzzRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'PATCH';
  url: string;
  headers?: Record<string, string>;
  payload?: string | Buffer;
  kind: ReplyKind;
}

const show = (r: FuzzRequest) =>
  `${r.method} ${r.url.slice(0, 300)} headers=${JSON.stringify(r.headers ?? {})} body=${typeof r.payload === 'string' ? r.payload.slice(0, 300) : r.payload ? `<${r.payload.length} bytes>` : ''}`;

/** Sends one request and asserts: no 5xx; for API routes, every 4xx body is the contract's error envelope. */
export async function hit(app: FastifyInstance, req: FuzzRequest) {
  const res = await app.inject({ method: req.method, url: req.url, headers: req.headers, payload: req.payload } as InjectOptions);
  const where = `${show(req)}\n-> ${res.statusCode} ${String(res.headers['content-type'])} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, where).toBeLessThan(500);
  const type = String(res.headers['content-type']);
  // A HEAD reply has headers only: nothing to parse.
  if (req.method === 'HEAD') return res;
  if (req.kind === 'md' && res.statusCode >= 400 && type.startsWith('text/html')) expect(res.statusCode, where).toBe(404);
  else if (res.statusCode >= 400 && (req.kind !== 'page' || type.startsWith('application/json'))) {
    expect(type, where).toMatch(/^application\/json/);
    let json: unknown;
    try {
      json = JSON.parse(res.body);
    } catch {
      json = undefined;
    }
    const parsed = ErrorEnvelopeSchema.safeParse(json);
    expect(parsed.success, `not the error envelope: ${where}`).toBe(true);
  }
  return res;
}
