import type { FastifyInstance } from 'fastify';
import { VersionQuerySchema } from '@iii-registry/schemas';
import { parseQuery, principalOf, writeRateLimit, type RouteOptions } from './context';

type Slug = { Params: { slug: string } };

export async function skillsRoutes(app: FastifyInstance, { services, keys, config }: RouteOptions) {
  app.post<Slug>('/w/:slug/skills', { config: writeRateLimit(config) }, async (req) => {
    const principal = await principalOf(keys, req);
    return services.publishSkills(principal, req.params.slug, req.body);
  });

  app.get<Slug>('/w/:slug/skills', async (req) => {
    const { version } = parseQuery(VersionQuerySchema, req);
    return services.skills(req.params.slug, version);
  });
}
