import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { RegistryError } from './errors';

/**
 * The edge of HTTP, before and around routing: answers for requests Node's parser refuses (400, 408, 413, 431),
 * a 414 for over-long URLs, and draining of request bodies nobody read, so that every answer is the error
 * envelope and a client that is still sending can read it instead of meeting a reset connection.
 */

/** Longest request target answered normally; longer ones get 414. Node refuses request line + headers over 16 KiB. */
export const MAX_URL_BYTES = 8 * 1024;
/** An unread request body is read and discarded up to this many bytes before the error is answered. */
export const DRAIN_MAX_BYTES = 128 * 1024 * 1024;
/** ... and for at most this long; past either bound the answer goes out with Connection: close. */
export const DRAIN_MAX_MS = 30_000;
/** After a parser error the socket is half-closed, read until the client closes, and destroyed after this long. */
const CLOSE_GRACE_MS = 5_000;

interface EdgeError {
  status: number;
  code: string;
  message: string;
  fix: string;
}

const HTTP_FIX = 'Send a well-formed HTTP/1.1 request (RFC 9112); see /openapi.json for every endpoint.';

/** Maps Node's parser errors (llhttp codes) to the envelope's stable codes. */
export function classifyClientError(err: NodeJS.ErrnoException): EdgeError {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'headers_too_large', message: 'The request line and headers are larger than 16 KiB.',
        fix: `Shorten the URL (at most ${MAX_URL_BYTES} bytes) and the headers; send large inputs in a POST body.` };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, code: 'payload_too_large', message: 'The chunk extensions of the request body are too large.', fix: 'Send the body without chunk extensions.' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'request_timeout', message: 'The request was not received in time.', fix: 'Send the whole request promptly and retry.' };
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return { status: 400, code: 'invalid_content_length', message: 'The Content-Length header is invalid.', fix: 'Send one Content-Length that matches the body, or chunked encoding.' };
    default:
      return { status: 400, code: 'malformed_request', message: `The request is not valid HTTP (${err.code ?? 'parse error'}).`, fix: HTTP_FIX };
  }
}

export const envelopeBody = (e: EdgeError) => JSON.stringify({ error: { code: e.code, message: e.message, fix: e.fix, available: [] } });

const answered = new WeakSet<Socket>();

/**
 * Fastify's `clientErrorHandler`: writes a complete response in the envelope with `Connection: close`, stops
 * parsing, half-closes, and keeps reading (and discarding) what the client still sends until it closes, so the
 * kernel never resets a connection whose answer the client has not read yet.
 */
export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
  answered.add(socket);
  const edge = classifyClientError(err);
  this.log.debug({ code: err.code }, 'client error');
  // A response already on its way (keep-alive) must not be interleaved with ours: then only close.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const body = envelopeBody(edge);
    socket.write(`HTTP/1.1 ${edge.status} ${STATUS_CODES[edge.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  // Node's parser stays attached to 'data'; detach it, then discard what still arrives (bounded) until the peer closes.
  socket.removeAllListeners('data');
  let discarded = 0;
  socket.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DRAIN_MAX_BYTES) socket.destroy();
  });
  socket.once('end', () => socket.destroy());
  setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
  socket.end();
  socket.resume();
}

/** 414 in the envelope for a request target over MAX_URL_BYTES (the connection stays usable). */
export function installUrlLimit(app: FastifyInstance): void {
  // A callback hook, not an async one: it runs on every request, and a promise per request is measurable.
  app.addHook('onRequest', (req, _reply, done) => {
    if (req.raw.url !== undefined && req.raw.url.length > MAX_URL_BYTES)
      return done(new RegistryError(414, 'uri_too_long', `The request target is ${req.raw.url.length} bytes; at most ${MAX_URL_BYTES} are accepted.`,
        'Shorten the query (fewer or shorter parameters); send large inputs in a POST body.'));
    done();
  });
}

/**
 * Reads and discards the rest of a request body nobody consumed (an error answered before or while reading it),
 * within DRAIN_MAX_BYTES and DRAIN_MAX_MS. Resolves true when the body ended, so the connection is clean; false
 * when a bound was hit (the caller then answers with Connection: close).
 */
export function drainRequest(raw: IncomingMessage, maxBytes = DRAIN_MAX_BYTES, maxMs = DRAIN_MAX_MS): Promise<boolean> {
  if (raw.complete || raw.readableEnded) return Promise.resolve(true);
  if (raw.destroyed) return Promise.resolve(false);
  const declared = Number(raw.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve(false);
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('close', onClose);
      raw.off('error', onClose);
      resolve(ok);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(raw.complete);
    const timer = setTimeout(() => finish(false), maxMs);
    raw.on('data', onData);
    raw.once('end', onEnd);
    raw.once('close', onClose);
    raw.once('error', onClose);
    raw.resume();
  });
}

/** True when the request announced a body (Content-Length > 0 or chunked) that has not been read to its end. */
export const hasUnreadBody = (raw: IncomingMessage): boolean =>
  !raw.complete && !raw.readableEnded && (Number(raw.headers['content-length'] ?? 0) > 0 || raw.headers['transfer-encoding'] !== undefined);
