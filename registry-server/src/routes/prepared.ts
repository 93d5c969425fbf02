import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RegistryConfig } from '../config';
import type { CachedBody } from '../services/response-cache';
import type { AgentContextDocument } from '../services/types';

/**
 * Cache hits of the hot reads (GET /w/{slug}, GET /w?search=, GET /workers/{name}.md, POST /resolve,
 * GET /k/{handle}/{name}) sent with the least work Fastify allows (bench/README.md, "Where the read microseconds go").
 *
 * The route handler finds the hit synchronously (services' `PreparedHits`, stamps known without waiting), hijacks the
 * reply and writes the prepared status line, headers and bytes itself, in the same turn the request was parsed: no
 * promise, no onSend hook runner, no content-type parsing or length counting per request. What it writes is exactly
 * what the normal path answers for the same request (tests/registry-server/prepared-hits.test.ts compares them):
 * - the same headers in the same order (content type, ETag, then the route's own, then content-length), after any a
 *   hook set before the handler (the read rate limit's x-ratelimit-*);
 * - 304 with `content-length: 0` when If-None-Match matches the way @fastify/etag compares (its onSend hook answers
 *   every other route and used to answer these), and HEAD with the GET's headers and no body.
 * Misses, query strings to validate, upstream mode and errors take the normal path (reply.send, hooks, envelope).
 */

/** The header lists writeHead takes, built once per cached answer: `[name, value, name, value, ...]`. */
interface RawHead {
  ok: string[];
  notModified: string[];
  /** The body's bytes as a one-byte string (each byte one latin1 char), for bodies up to TEXT_MAX_BYTES. */
  text?: string;
}

/**
 * Bodies up to this size go out as a latin1 string holding their exact bytes. Node then prepends the header block to
 * the body and writes both in one synchronous `write` from a 16 KiB stack buffer. A Buffer body instead goes out as
 * a second chunk, and Node's writev allocates an ArrayBuffer per response for the header string (about 1 µs of a
 * 20 µs `POST /resolve` hit: malloc, the backing-store registry and its sweeper, in `perf`). For 5 KB bodies
 * (details, agent documents) the two measured the same, so only small bodies keep this second copy.
 */
const TEXT_MAX_BYTES = 4 * 1024;

export const JSON_TYPE = 'application/json; charset=utf-8';
const heads = new WeakMap<object, RawHead>();

/**
 * A cached answer on the normal path (a miss, or a read that hits take no part in): its bytes with its content type
 * and ETag, which @fastify/etag compares for 304. A prepared hit of the same answer writes the same headers.
 */
export const sendCached = (reply: FastifyReply, { body, etag }: CachedBody, type = JSON_TYPE) =>
  reply.header('content-type', type).header('etag', etag).send(body);

/** If-None-Match against an ETag exactly as @fastify/etag compares them. */
function etagMatches(req: FastifyRequest, etag: string): boolean {
  const inm = req.headers['if-none-match'];
  return inm !== undefined && (inm === etag || inm === `W/${etag}` || `W/${inm}` === etag);
}

function rawHead(headers: Record<string, string>, bytes: Buffer | string): RawHead {
  const list: string[] = [];
  for (const [name, value] of Object.entries(headers)) list.push(name.toLowerCase(), value);
  const text = Buffer.isBuffer(bytes) && bytes.length <= TEXT_MAX_BYTES ? bytes.toString('latin1') : undefined;
  return { ok: [...list, 'content-length', String(Buffer.byteLength(bytes))], notModified: [...list, 'content-length', '0'], text };
}

/**
 * True when a hook may set response headers before the handler runs, so a hit must carry them too: the read rate
 * limit's x-ratelimit-* (no other hook sets headers before a handler; tests/registry-server/prepared-hits.test.ts).
 */
const headersBeforeHandler = (config: RegistryConfig): boolean => config.readRateLimit > 0;

function write(req: FastifyRequest, reply: FastifyReply, inherit: boolean, head: RawHead, etag: string, bytes: Buffer | string): void {
  const notModified = etagMatches(req, etag);
  const list = notModified ? head.notModified : head.ok;
  const status = notModified ? 304 : 200;
  // Headers set before the handler go first, as Fastify would have sent them (reply.getHeaders allocates: only then).
  const before = inherit ? reply.getHeaders() : undefined;
  reply.hijack();
  const res = reply.raw;
  if (before) {
    const merged: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(before)) if (value !== undefined) merged[name] = value;
    for (let i = 0; i < list.length; i += 2) merged[list[i]] = list[i + 1];
    res.writeHead(status, merged);
  } else {
    res.writeHead(status, list);
  }
  if (notModified || req.method === 'HEAD') res.end();
  else if (head.text !== undefined) res.end(head.text, 'latin1');
  else res.end(bytes);
}

export interface PreparedSender {
  /** A cached JSON answer (`CachedBody`): content type and ETag. */
  json(req: FastifyRequest, reply: FastifyReply, cached: CachedBody): void;
  /** A prepared agent-context document: its own header set (content type, ETag, cache-control, content-location). */
  document(req: FastifyRequest, reply: FastifyReply, etag: string, prepared: AgentContextDocument['prepared']): void;
}

/**
 * The header lists of a cached answer, built on its first hit and kept as long as the answer is. `headers` is a
 * module-level function, so a hit allocates nothing here.
 */
function headOf<T extends object>(answer: T, bytes: Buffer | string, headers: (answer: T) => Record<string, string>): RawHead {
  let head = heads.get(answer);
  if (head === undefined) {
    head = rawHead(headers(answer), bytes);
    heads.set(answer, head);
  }
  return head;
}

const jsonHeaders = (cached: CachedBody) => ({ 'content-type': JSON_TYPE, etag: cached.etag });
const documentHeaders = (prepared: AgentContextDocument['prepared']) => prepared.headers;

export function preparedSender(config: RegistryConfig): PreparedSender {
  const inherit = headersBeforeHandler(config);
  return {
    json(req, reply, cached) {
      write(req, reply, inherit, headOf(cached, cached.body, jsonHeaders), cached.etag, cached.body);
    },
    document(req, reply, etag, prepared) {
      write(req, reply, inherit, headOf(prepared, prepared.bytes, documentHeaders), etag, prepared.bytes);
    },
  };
}
