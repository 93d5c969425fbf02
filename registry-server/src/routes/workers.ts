import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SEARCH_QUERY_MAX, VersionQuerySchema, WorkerListQuerySchema } from '@iii-registry/schemas';
import { noQuery, parseQuery, principalOf, writeRateLimit, type RouteOptions } from './context';
import { preparedSender, sendCached } from './prepared';

type Slug = { Params: { slug: string } };
const NO_VERSION: { version?: string } = {};

/**
 * `?search=words` alone (what agents send): the schema's only rule for it is a string of at most SEARCH_QUERY_MAX characters,
 * checked here without zod; anything else goes through WorkerListQuerySchema.
 */
function searchOnly(req: FastifyRequest): { search: string } | undefined {
  const q = req.query as Record<string, unknown>;
  let keys = 0;
  for (const _ in q) if (++keys > 1) return undefined;
  const search = q.search;
  return keys === 1 && typeof search === 'string' && search.length <= SEARCH_QUERY_MAX ? { search } : undefined;
}

/** GET /w, GET /w/{slug}, GET /w/{slug}/versions, and our yank/deprecate extension. */
export async function workerRoutes(app: FastifyInstance, { services, keys, config, hits }: RouteOptions) {
  // Both answer a cache hit synchronously (routes/prepared.ts), anything else on the async path below.
  const prepared = preparedSender(config);
  app.get('/w', (req, reply) => {
    const search = searchOnly(req);
    const hit = search && hits ? hits.search(search.search) : undefined;
    if (hit) return prepared.json(req, reply, hit);
    return (async () => {
      return sendCached(reply, await services.listJson(search ?? parseQuery(WorkerListQuerySchema, req)));
    })();
  });

  app.get<Slug>('/w/:slug', (req, reply) => {
    const bare = noQuery(req);
    const hit = bare && hits ? hits.detail(req.params.slug) : undefined;
    if (hit) return prepared.json(req, reply, hit);
    return (async () => {
      const { version } = bare ? NO_VERSION : parseQuery(VersionQuerySchema, req);
      return sendCached(reply, await services.detailJson(req.params.slug, version));
    })();
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
