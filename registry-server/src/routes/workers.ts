import type { FastifyInstance } from 'fastify';
import { VersionQuerySchema, WorkerListQuerySchema } from '@iii-registry/schemas';
import { parseQuery, principalOf, writeRateLimit, type RouteOptions } from './context';

type Slug = { Params: { slug: string } };

/** GET /w, GET /w/{slug}, GET /w/{slug}/versions, and our yank/deprecate extension. */
export async function workerRoutes(app: FastifyInstance, { services, keys, config }: RouteOptions) {
  app.get('/w', async (req, reply) => {
    const { body, etag } = await services.listJson(parseQuery(WorkerListQuerySchema, req));
    return reply.header('content-type', 'application/json; charset=utf-8').header('etag', etag).send(body);
  });

  app.get<Slug>('/w/:slug', async (req, reply) => {
    const { version } = parseQuery(VersionQuerySchema, req);
    const { body, etag } = await services.detailJson(req.params.slug, version);
    return reply.header('content-type', 'application/json; charset=utf-8').header('etag', etag).send(body);
  });

  app.get<Slug>('/w/:slug/versions', async (req) => ({ versions: await services.versions(req.params.slug) }));

  app.post<{ Params: { slug: string; version: string } }>('/w/:slug/versions/:version/status', { config: writeRateLimit(config) }, async (req) => {
    const principal = await principalOf(keys, req);
    return { version: await services.setStatus(principal, req.params.slug, req.params.version, req.body) };
  });

  app.put<{ Params: { slug: string; tag: string } }>('/w/:slug/tags/:tag', { config: writeRateLimit(config) }, async (req) => {
    const principal = await principalOf(keys, req);
    return services.moveTag(principal, req.params.slug, req.params.tag, req.body);
  });
}
