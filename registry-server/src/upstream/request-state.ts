import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * How the upstream took part in the current request, for the `X-Registry-Upstream` header: `fresh` (asked the
 * upstream now, or it confirmed the cache with 304), `cached` (cache inside its TTL), `stale` (upstream failing,
 * an expired cache served), `unavailable` (upstream failing, nothing cached, answered without it).
 */
export type UpstreamState = 'fresh' | 'cached' | 'stale' | 'unavailable';

const RANK: Record<UpstreamState, number> = { cached: 0, fresh: 1, stale: 2, unavailable: 3 };

interface Store {
  state?: UpstreamState;
}

const storage = new AsyncLocalStorage<Store>();

/** Records a state for the current request; the worst one of the request wins. */
export function noteUpstream(state: UpstreamState): void {
  const store = storage.getStore();
  if (store && (store.state === undefined || RANK[state] > RANK[store.state])) store.state = state;
}

/**
 * Runs every handler inside a per-request store (preHandler runs after the body is parsed, and `done` is called
 * inside `run`, so the handler and everything it awaits see the store), then sets the headers on send.
 */
export function installUpstreamHeaders(app: FastifyInstance): void {
  const stores = new WeakMap<FastifyRequest, Store>();
  app.addHook('preHandler', (req, _reply, done) => {
    const store: Store = {};
    stores.set(req, store);
    storage.run(store, done);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const state = stores.get(req)?.state;
    if (state) {
      reply.header('x-registry-upstream', state);
      if (state === 'stale') reply.header('warning', '110 - "Response is Stale"');
      if (state !== 'cached' && state !== 'fresh') reply.header('cache-control', 'no-store');
    }
    return payload;
  });
}
