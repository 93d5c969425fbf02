import type { FastifyInstance } from 'fastify';
import { principalOf, writeRateLimit, type RouteOptions } from './context';
import { preparedSender, sendCached } from './prepared';

/** POST /publish and POST /resolve. */
export async function publishRoutes(app: FastifyInstance, { services, keys, config, hits }: RouteOptions) {
  app.post('/publish', { config: writeRateLimit(config) }, async (req) => {
    const principal = await principalOf(keys, req);
    return services.publish(principal, req.body);
  });

  // A cache hit is answered synchronously (routes/prepared.ts), anything else on the async path.
  const prepared = preparedSender(config);
  app.post('/resolve', (req, reply) => {
    const hit = hits ? hits.resolve(req.body) : undefined;
    if (hit) return prepared.json(req, reply, hit);
    return (async () => sendCached(reply, await services.resolveJson(req.body)))();
  });
}
