import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import etag from '@fastify/etag';
import rateLimit from '@fastify/rate-limit';
import type { RegistryConfig } from './config';
import type { Backend } from './db/backend';
import type { Db } from './db/open';
import { openBackend } from './db/open-backend';
import { frameworkErrors, installErrorHandler } from './error-handler';
import { RegistryError } from './errors';
import { clientErrorHandler, installUrlLimit } from './http-edge';
import { adminKeyRoutes } from './routes/admin-keys';
import { agentRoutes } from './routes/agent';
import { apiReferenceRoutes } from './routes/api-reference';
import { archiveRoutes } from './routes/archives';
import { downloadRoutes } from './routes/download';
import { healthRoutes } from './routes/health';
import { kitRoutes } from './routes/kits';
import { openapiRoutes } from './routes/openapi';
import { publishRoutes } from './routes/publish';
import { skillsRoutes } from './routes/skills';
import { workerRoutes } from './routes/workers';
import { seedRegistry } from './seed-catalog';
import { AuthLimiter } from './services/auth-limiter';
import { createServices, type ServicesContext } from './services/index';
import { webRoutes } from './web/routes';
import { kitWebRoutes } from './web/kit-routes';
import { attachUpstream } from './upstream/attach';

const quietRequests = (level: string) => ['warn', 'error', 'fatal', 'silent'].includes(level);

export interface BuiltApp {
  app: FastifyInstance;
  ctx: ServicesContext;
  backend: Backend;
  /** The SQLite database (unset on PostgreSQL). */
  db?: Db;
  /** Set only when this start generated the bootstrap admin key (print it once). */
  generatedKey?: string;
  seeded?: { versions: number; skills: number };
}

/** Builds the registry (database, services, routes) without listening; main.ts listens, tests use inject. */
export async function buildApp(config: RegistryConfig, options: { logger?: boolean } = {}): Promise<BuiltApp> {
  const backend = await openBackend(config);
  const { db } = backend;
  const authLimiter = new AuthLimiter({ max: config.authFailureLimit, windowMs: 60_000 });
  const ctx = createServices(backend.repos, backend.archives, config.publicUrl, authLimiter);
  // Once across replicas starting together (an advisory lock on PostgreSQL): one bootstrap key, one seeding.
  const { generatedKey, seeded } = await backend.exclusive(async () => {
    const generatedKey = await ctx.keys.bootstrap(config.apiKey);
    const empty = (await backend.countWorkers()) === 0;
    return { generatedKey, seeded: empty && config.seed ? await seedRegistry(ctx.services) : undefined };
  });
  const mark = await backend.mark();
  await ctx.reindex();
  backend.follow(mark, (names) => ctx.refresh(names));

  const app = Fastify({
    logger: options.logger ? { level: config.logLevel } : false,
    // Per-request child loggers only pay off when request lines are printed (info and below).
    ...(quietRequests(config.logLevel) ? { childLoggerFactory: (logger: FastifyBaseLogger) => logger } : {}),
    bodyLimit: config.bodyLimit,
    trustProxy: false,
    frameworkErrors,
    clientErrorHandler,
  });
  installErrorHandler(app);
  installUrlLimit(app);
  await app.register(etag, { weak: true });
  await app.register(rateLimit, {
    global: config.readRateLimit > 0,
    max: config.readRateLimit || 1,
    timeWindow: 60_000,
    errorResponseBuilder: (_req, context) =>
      new RegistryError(429, 'rate_limited', `Too many requests: at most ${context.max} per minute.`, `Wait ${Math.ceil(context.ttl / 1000)} s (Retry-After) and retry.`, [], undefined, { 'retry-after': String(Math.ceil(context.ttl / 1000)) }),
  });
  if (config.upstream) ctx.services = attachUpstream(app, backend.repos, ctx, config.upstream);
  // Cache hits answered synchronously (routes/prepared.ts) are local answers: with an upstream every read asks it.
  const opts = { services: ctx.services, keys: ctx.keys, config, kits: ctx.kits, hits: config.upstream ? undefined : ctx.hits };
  await app.register(publishRoutes, opts);
  await app.register(workerRoutes, opts);
  await app.register(skillsRoutes, opts);
  await app.register(downloadRoutes, opts);
  await app.register(archiveRoutes, opts);
  await app.register(agentRoutes, opts);
  await app.register(apiReferenceRoutes, opts);
  await app.register(adminKeyRoutes, opts);
  await app.register(kitRoutes, opts);
  await app.register(healthRoutes, { search: ctx.search, ping: () => backend.ping() });
  await app.register(openapiRoutes, { publicUrl: config.publicUrl });
  await app.register(webRoutes, { services: ctx.services, publicUrl: config.publicUrl });
  await app.register(kitWebRoutes, { kits: ctx.kits, publicUrl: config.publicUrl });
  app.addHook('onClose', async () => {
    await ctx.search.flush();
    await backend.close();
  });
  return { app, ctx, backend, db, generatedKey, seeded };
}
