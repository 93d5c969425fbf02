import type { FastifyInstance } from 'fastify';
import { principalOf, writeRateLimit, type RouteOptions } from './context';

/** POST /publish and POST /resolve. */
export async function publishRoutes(app: FastifyInstance, { services, keys, config }: RouteOptions) {
  app.post('/publish', { config: writeRateLimit(config) }, async (req) => {
    const principal = await principalOf(keys, req);
    return services.publish(principal, req.body);
  });

  app.post('/resolve', async (req, reply) => {
    const { body, etag } = await services.resolveJson(req.body);
    return reply.header('content-type', 'application/json; charset=utf-8').header('etag', etag).send(body);
  });
}
