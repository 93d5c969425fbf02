import type { FastifyInstance } from 'fastify';
import { SkillsQuerySchema } from '@iii-registry/schemas';
import { parseQuery, principalOf, writeRateLimit, type RouteOptions } from './context';

type Slug = { Params: { slug: string } };

export async function skillsRoutes(app: FastifyInstance, { services, keys, config }: RouteOptions) {
  app.post<Slug>('/w/:slug/skills', { config: writeRateLimit(config) }, async (req) => {
    const principal = await principalOf(keys, req);
    return services.publishSkills(principal, req.params.slug, req.body);
  });

  app.get<Slug>('/w/:slug/skills', async (req) => {
    // Older iii-directory versions send ?tag= where newer ones send ?version=; both name a tag or a version.
    const { version, tag } = parseQuery(SkillsQuerySchema, req);
    return services.skills(req.params.slug, version ?? tag);
  });
}
