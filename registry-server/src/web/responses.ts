import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError } from '../errors';

/** No inline script or style anywhere, nothing from another host; forms post only here; never framed. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/** SVG badges and feeds are documents too when opened directly: they may load nothing at all. */
export const INERT_CSP = "default-src 'none'; frame-ancestors 'none'";

export interface SendOptions {
  status?: number;
  type: string;
  cacheControl: string;
  csp?: string;
  /** Precomputed ETag (assets); otherwise a hash of the body. */
  etag?: string;
}

export const etagOf = (body: string): string => `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** Sends a text body with security headers and an ETag, answering 304 when the client already has it. */
export function sendText(request: FastifyRequest, reply: FastifyReply, body: string, o: SendOptions): FastifyReply {
  const status = o.status ?? 200;
  reply
    .header('content-type', o.type)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'strict-origin-when-cross-origin')
    .header('cache-control', o.cacheControl);
  if (o.csp) reply.header('content-security-policy', o.csp).header('x-frame-options', 'DENY');
  if (status === 200) {
    const etag = o.etag ?? etagOf(body);
    reply.header('etag', etag);
    if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
  }
  return reply.code(status).send(body);
}

export const HTML_TYPE = 'text/html; charset=utf-8';

export function sendPage(request: FastifyRequest, reply: FastifyReply, body: string, status = 200): FastifyReply {
  // Pages show download counts and tags, which move: short shared caching, revalidated by ETag.
  return sendText(request, reply, body, { status, type: HTML_TYPE, cacheControl: 'public, max-age=60', csp: PAGE_CSP });
}

/** The first string value of a query parameter, trimmed and capped; arrays (?a=1&a=2) take the first. */
export function queryParam(query: unknown, key: string, max: number): string | undefined {
  if (query === null || typeof query !== 'object') return undefined;
  let v = (query as Record<string, unknown>)[key];
  if (Array.isArray(v)) v = v[0];
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t.slice(0, max);
}

/** A missing optional part of a page (no skills snapshot, no README, nothing to compare) is a 4xx from the service: show nothing. */
export async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof RegistryError && err.status < 500) return null;
    throw err;
  }
}
