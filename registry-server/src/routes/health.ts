import type { FastifyInstance } from 'fastify';
import type { WorkerSearch } from '../services/worker-search';

export async function healthRoutes(app: FastifyInstance, opts: { search: WorkerSearch; ping(): Promise<boolean> }) {
  app.get('/healthz', { config: { rateLimit: false } }, async (_req, reply) => {
    const db = await opts.ping();
    reply.header('cache-control', 'no-store');
    return reply.code(db ? 200 : 503).send({ status: db ? 'ok' : 'degraded', database: db ? 'ok' : 'unreachable', workers_indexed: opts.search.size, search_index: opts.search.isBuilt ? 'built' : 'on_first_search' });
  });
}
