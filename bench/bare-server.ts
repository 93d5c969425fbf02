/**
 * The baseline: bare Fastify (no plugins, no logger) on the registry's own URL patterns, each route answering a
 * constant body of the size and content type the registry's real answer had. BARE_ROUTES (JSON) lists them;
 * POST routes still parse their JSON body, as the registry's do. Run as a child: `node --import tsx bench/bare-server.ts`.
 */
import Fastify from 'fastify';
import { keepTickShape } from '../registry-server/bin/tick-shape.mjs';

// The registry's launcher does this first (registry-server/bin/tick-shape.mjs); the baseline gets the same, so that
// neither side of a ratio pays V8's megamorphic nextTick by chance.
keepTickShape();

export interface BareRoute {
  method: 'GET' | 'POST';
  url: string;
  contentType: string;
  size: number;
}

/** A body of exactly `size` bytes that is still valid for its content type. */
export function constantBody(contentType: string, size: number): string {
  if (contentType.startsWith('application/json')) {
    const shell = '{"pad":""}';
    return `{"pad":"${'x'.repeat(Math.max(0, size - shell.length))}"}`;
  }
  return 'x'.repeat(size);
}

const routes = JSON.parse(process.env.BARE_ROUTES ?? '[]') as BareRoute[];
const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ status: 'ok' }));
for (const r of routes) {
  const body = constantBody(r.contentType, r.size);
  app.route({ method: r.method, url: r.url, handler: async (_req, reply) => reply.type(r.contentType).send(body) });
}
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.close().then(() => process.exit(0), () => process.exit(1));
  });
}
