import type { FastifyInstance } from 'fastify';
import type { RegistryConfig } from '../config';
import type { Repositories } from '../db/backend';
import type { ServicesContext } from '../services/index';
import type { RegistryServices } from '../services/types';
import { withUpstream } from './proxy-services';
import { installUpstreamHeaders } from './request-state';
import { createUpstreamClient } from './upstream-client';
import { createUpstreamReads } from './upstream-reads';

/** Puts the upstream behind the services (and its headers on every response); app.ts calls this only when configured. */
export function attachUpstream(app: FastifyInstance, repos: Repositories, ctx: ServicesContext, upstream: NonNullable<RegistryConfig['upstream']>): RegistryServices {
  installUpstreamHeaders(app);
  const client = createUpstreamClient(upstream, repos.upstreamCache);
  return withUpstream({
    local: ctx.services,
    store: repos.workers,
    suggest: (name) => ctx.search.suggest(name),
    upstream: createUpstreamReads(client),
    upstreamUrl: upstream.url,
  });
}
