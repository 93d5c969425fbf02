import type { FastifyInstance } from 'fastify';
import { DownloadQuerySchema } from '@iii-registry/schemas';
import { parseQuery, type RouteOptions } from './context';

/** GET /download/{name}: engine workers answer 204; every 200/204 counts (ci=true counts a CI install too). */
export async function downloadRoutes(app: FastifyInstance, { services }: RouteOptions) {
  app.get<{ Params: { name: string } }>('/download/:name', async (req, reply) => {
    const { version, ci } = parseQuery(DownloadQuerySchema, req);
    const out = await services.download(req.params.name, version, ci === 'true' || ci === '1');
    reply.header('cache-control', 'no-store');
    if (out === null) return reply.code(204).send();
    return out;
  });
}
