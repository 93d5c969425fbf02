import type { FastifyInstance } from 'fastify';
import type { RegistryConfig } from '../config';
import type { Db } from '../db/open';
import { createUpstreamCacheRepository } from '../db/upstream-cache-repository';
import { createWorkersRepository } from '../db/workers-repository';
import type { ServicesContext } from '../services/index';
import type { RegistryServices } from '../services/types';
import { withUpstream } from './proxy-services';
import { installUpstreamHeaders } from './request-state';
import { createUpstreamClient } from './upstream-client';
import { createUpstreamReads } from './upstream-reads';

/** Puts the upstream behind the services (and its headers on every response); app.ts calls this only when configured. */
export function attachUpstream(app: FastifyInstance, db: Db, ctx: ServicesContext, upstream: NonNullable<RegistryConfig['upstream']>): RegistryServices {
  installUpstreamHeaders(app);
  const client = createUpstreamClient(upstream, createUpstreamCacheRepository(db));
  return withUpstream({
    local: ctx.services,
    store: createWorkersRepository(db),
    suggest: (name) => ctx.search.suggest(name),
    upstream: createUpstreamReads(client),
    upstreamUrl: upstream.url,
  });
}
