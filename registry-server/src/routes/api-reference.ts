import type { FastifyInstance } from 'fastify';
import { isExactVersion, VersionQuerySchema } from '@iii-registry/schemas';
import { parseQuery, type RouteOptions } from './context';

/**
 * GET /workers/{name}/api-reference.json?version=: the version's functions and trigger types exactly as published
 * (the raw reference the agent-context document renders), with an ETag and 304, cached like the `.md`.
 */
export async function apiReferenceRoutes(app: FastifyInstance, { services }: RouteOptions) {
  app.get<{ Params: { name: string } }>('/workers/:name/api-reference.json', async (req, reply) => {
    const { version } = parseQuery(VersionQuerySchema, req);
    const { body, etag } = await services.apiReferenceJson(req.params.name, version);
    reply.header('content-type', 'application/json; charset=utf-8');
    reply.header('etag', etag);
    reply.header('cache-control', version !== undefined && isExactVersion(version) ? 'public, max-age=86400' : 'public, max-age=60');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(body);
  });
}
