import { WORKER_TYPES, type WorkerListQuery, type WorkerListResponse } from '@iii-registry/schemas';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFoundWorker, RegistryError } from '../errors';
import type { RegistryServices } from '../services/types';
import { loadAssets } from './assets';
import { BADGE_COLORS, badgeSvg } from './badges';
import { atomFeed } from './feed';
import { compactCount } from './html';
import { type IndexQuery, indexBody } from './index-page';
import { layout } from './layout';
import { createMarkdownRenderer } from './markdown';
import { INERT_CSP, queryParam, sendPage, sendText } from './responses';
import { notFoundBody } from './not-found-page';
import { isSlug, missingPage, type Rendered, renderWorkerPage, serverErrorPage, type WebContext, workerMissing } from './worker-route';
import { upstreamFailedPage } from './upstream-page';

interface NameParams {
  name: string;
}

const FEED_SIZE = 50;
const SVG_TYPE = 'image/svg+xml; charset=utf-8';
const ATOM_TYPE = 'application/atom+xml; charset=utf-8';

/**
 * The web pages (issue 6): index, worker pages with tabs, badges, Atom feeds and the two static assets.
 * Every handler renders on the server from RegistryServices; nothing here touches storage directly.
 */
export async function webRoutes(app: FastifyInstance, opts: { services: RegistryServices; publicUrl: string }): Promise<void> {
  const assets = loadAssets();
  const ctx: WebContext = { services: opts.services, publicUrl: opts.publicUrl.replace(/\/+$/, ''), assets: assets.urls, markdown: createMarkdownRenderer() };
  const { services } = ctx;

  /** Renders a page; unexpected failures become a bare 500 page and go to the log with their stack. */
  const page = async (request: FastifyRequest, reply: FastifyReply, render: () => Promise<Rendered>) => {
    let out: Rendered;
    try {
      out = await render();
    } catch (err) {
      if (err instanceof RegistryError && err.code.startsWith('upstream_')) out = upstreamFailedPage(ctx, err);
      else {
        request.log.error({ err }, 'web page failed');
        out = serverErrorPage(ctx);
      }
    }
    return sendPage(request, reply, out.body, out.status);
  };

  const index = (request: FastifyRequest, reply: FastifyReply) =>
    page(request, reply, async () => {
      const typeParam = queryParam(request.query, 'type', 16);
      const q: IndexQuery = {
        search: queryParam(request.query, 'search', 256),
        type: WORKER_TYPES.find((t) => t === typeParam),
        tag: queryParam(request.query, 'tag', 64),
        cursor: queryParam(request.query, 'cursor', 512),
      };
      let list: WorkerListResponse | null = null;
      let problem: string | null = null;
      let status = 200;
      try {
        const query: WorkerListQuery = { search: q.search, cursor: q.cursor, type: q.type as WorkerListQuery['type'], tag: q.tag };
        list = await services.list(query);
      } catch (err) {
        if (!(err instanceof RegistryError) || err.status >= 500) throw err;
        // A stale or hand-edited cursor: say so and offer the first page instead of an error body.
        problem = `${err.message} ${err.fix}`;
        status = 400;
      }
      const title = q.search ? `“${q.search}” · iii workers` : 'iii workers';
      return {
        status,
        body: layout({ title, description: 'Find, understand and install iii workers.', assets: ctx.assets, headerSearch: false, body: indexBody(q, list, problem) }).value,
      };
    });

  app.get('/', index);
  app.get('/workers', index);

  app.get<{ Params: NameParams }>('/workers/:name', async (request, reply) => {
    // The router sends `.md` names it cannot match to `/workers/:name.md` (e.g. `%0A.md`) here: they are agent URLs,
    // so they answer like the agent endpoint, in the JSON error envelope.
    if (request.params.name.endsWith('.md')) throw notFoundWorker(request.params.name.slice(0, -3));
    return page(request, reply, () => renderWorkerPage(ctx, request.params.name, request.query));
  });

  const badge = async (request: FastifyRequest<{ Params: NameParams }>, reply: FastifyReply, kind: 'version' | 'downloads') => {
    const { name } = request.params;
    const tag = queryParam(request.query, 'tag', 64);
    const label = kind === 'version' ? 'iii worker' : 'downloads';
    const send = (value: string, color: string, status = 200) =>
      sendText(request, reply, badgeSvg(label, value, color), { status, type: SVG_TYPE, cacheControl: 'public, max-age=300', csp: INERT_CSP });
    try {
      if (!isSlug(name)) throw new RegistryError(404, 'worker_not_found', 'not found', '');
      const w = await services.detail(name, tag);
      if (kind === 'downloads') return send(compactCount(w.total_downloads), BADGE_COLORS.info);
      const color = w.status === 'yanked' ? BADGE_COLORS.error : w.status === 'deprecated' ? BADGE_COLORS.warn : BADGE_COLORS.ok;
      return send(`v${w.version}${w.status === 'active' ? '' : ` ${w.status}`}`, color);
    } catch (err) {
      if (err instanceof RegistryError && err.status < 500) return send('not found', BADGE_COLORS.label, 404);
      throw err;
    }
  };
  app.get<{ Params: NameParams }>('/workers/:name/badge.svg', (request, reply) => badge(request, reply, 'version'));
  app.get<{ Params: NameParams }>('/workers/:name/downloads.svg', (request, reply) => badge(request, reply, 'downloads'));

  const feedCache = 'public, max-age=300';
  app.get('/feed.xml', async (request, reply) => {
    const entries = await services.recent(FEED_SIZE);
    const body = atomFeed({ publicUrl: ctx.publicUrl, selfPath: '/feed.xml', title: 'iii workers: recent publishes', entries });
    return sendText(request, reply, body, { type: ATOM_TYPE, cacheControl: feedCache, csp: INERT_CSP });
  });

  app.get<{ Params: NameParams }>('/workers/:name/feed.xml', async (request, reply) => {
    const { name } = request.params;
    const missing = () => page(request, reply, async () => workerMissing(ctx, name));
    if (!isSlug(name)) return missing();
    try {
      // detail() first: an unknown worker is a 404, not an empty feed.
      await services.detail(name);
    } catch (err) {
      if (err instanceof RegistryError && err.status === 404 && err.code === 'worker_not_found') return missing();
      if (!(err instanceof RegistryError)) throw err;
    }
    const entries = await services.recent(FEED_SIZE, name);
    const body = atomFeed({ publicUrl: ctx.publicUrl, selfPath: `/workers/${name}/feed.xml`, title: `${name}: publishes`, entries });
    return sendText(request, reply, body, { type: ATOM_TYPE, cacheControl: feedCache, csp: INERT_CSP });
  });

  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const file = assets.files[request.params.file as keyof typeof assets.files];
    if (!Object.hasOwn(assets.files, request.params.file) || file === undefined) {
      return page(request, reply, async () =>
        missingPage(ctx, notFoundBody({ title: 'Not found', message: 'There is no such file here.' }), 'Not found'),
      );
    }
    // The page links each asset with its content hash, so a matching ?v= may be cached for good.
    const versioned = queryParam(request.query, 'v', 32) === file.etag.slice(1, 9);
    return sendText(request, reply, file.body, {
      type: file.type,
      cacheControl: versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      etag: file.etag,
    });
  });
}
