import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError } from './errors';
import { drainRequest, hasUnreadBody } from './http-edge';

/** Fastify's own failures (body parsing, limits, routing) mapped to stable codes of the envelope. */
const FASTIFY_CODES: Record<string, { code: string; fix: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', fix: 'Send a smaller body (see REGISTRY_BODY_LIMIT); upload bundle archives with POST /w/{slug}/archive.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', fix: 'Send JSON with Content-Type: application/json.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_json', fix: 'Send a JSON body, or omit the Content-Type header.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'invalid_content_length', fix: 'Send a Content-Length that matches the body.' },
};

const envelope = (code: string, message: string, fix: string, available: string[] = [], problems?: unknown) => ({
  error: { code, message, fix, available, ...(problems ? { problems } : {}) },
});

/** Errors Fastify raises before routing (an undecodable URL, a bad content type) take the same envelope. */
export function frameworkErrors(error: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const known = FASTIFY_CODES[error.code];
  const code = error.code === 'FST_ERR_BAD_URL' ? 'bad_url' : (known?.code ?? 'bad_request');
  reply.code(status).send(envelope(code, error.message, known?.fix ?? 'Percent-encode path segments and query values (RFC 3986) and retry.'));
}

/** One error handler: every error leaves in the contract's envelope; a 5xx never shows internals. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(async (err: FastifyError | RegistryError, req, reply) => {
    // An answer sent while the client is still sending its body (413 from Content-Length, a refused upload) would
    // meet a reset connection: read the rest first (bounded); past the bound, answer and close.
    if (hasUnreadBody(req.raw) && !(await drainRequest(req.raw))) reply.header('connection', 'close');
    if (err instanceof RegistryError) {
      if (err.headers) reply.headers(err.headers);
      return reply.code(err.status).send(envelope(err.code, err.message, err.fix, err.available, err.problems));
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      req.log.error({ err, method: req.method, url: req.url, reqId: req.id }, 'request failed');
      return reply.code(500).send(envelope('internal_error', 'The registry failed to handle this request.', 'Retry later; if it persists, report it with the time of the request.'));
    }
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known) return reply.code(status).send(envelope(known.code, err.message, known.fix));
    if (status === 400 && (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY'))
      return reply.code(400).send(envelope('invalid_json', `The body is not valid JSON: ${err.message}`, 'Send a valid JSON document.'));
    return reply.code(status).send(envelope('bad_request', err.message, 'Check the request line, headers and body against /openapi.json.'));
  });

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(envelope('route_not_found', `No endpoint ${req.method} ${req.url.split('?')[0]}.`, 'See /openapi.json for every endpoint.'));
  });
}
