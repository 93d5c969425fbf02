import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { KIT_HANDLE_PATTERN, KIT_NAME_PATTERN, renderKitMarkdown, type KitListResponse } from '@iii-registry/schemas';
import { RegistryError } from '../errors';
import type { KitsService } from '../services/kits';
import { loadAssets } from './assets';
import { html } from './html';
import { kitListBody } from './kit-list-page';
import { isKitTab, kitBody, KIT_TABS, type KitPageData, type KitTabId } from './kit-page';
import { layout, type AssetUrls } from './layout';
import { createMarkdownRenderer } from './markdown';
import { notFoundBody } from './not-found-page';
import { orNull, queryParam, sendPage, sendText } from './responses';

type KitParams = { Params: { handle: string; name: string } };


/** The kit pages: /kits (search, tag filter), /kits/{handle}, /kits/{handle}/{name} with tabs, and its .md document. */
export async function kitWebRoutes(app: FastifyInstance, opts: { kits: KitsService; publicUrl: string }): Promise<void> {
  const assets: AssetUrls = loadAssets().urls;
  const markdown = createMarkdownRenderer();
  const publicUrl = opts.publicUrl.replace(/\/+$/, '');
  const { kits } = opts;
  const page = (title: string, body: ReturnType<typeof html>, description?: string) => layout({ title: `${title} · iii kits`, description, assets, body }).value;
  const missing = (request: FastifyRequest, reply: FastifyReply, message: string) =>
    sendPage(request, reply, page('Kit not found', notFoundBody({ title: 'Kit not found', message, search: '' })), 404);

  const list = async (request: FastifyRequest, reply: FastifyReply, handle?: string) => {
    const q = { search: queryParam(request.query, 'search', 200), tag: queryParam(request.query, 'tag', 64), handle };
    const result: KitListResponse = await kits.list({ ...q, limit: 100 });
    return sendPage(request, reply, page(handle ? `Kits by ${handle}` : 'Kits', kitListBody(q, result), 'Agent teams in one install.'));
  };
  app.get('/kits', (request, reply) => list(request, reply));
  app.get<{ Params: { handle: string } }>('/kits/:handle', (request, reply) => {
    if (!KIT_HANDLE_PATTERN.test(request.params.handle)) return missing(request, reply, `No author “${request.params.handle}” publishes kits here.`);
    return list(request, reply, request.params.handle);
  });

  const markdownDoc = async (request: FastifyRequest, reply: FastifyReply, handle: string, name: string) => {
    const version = queryParam(request.query, 'version', 256);
    const kit = await kits.detail(handle, name, version);
    const { functions } = await kits.functions(handle, name, kit.version);
    const body = renderKitMarkdown(kit, functions, { webUrl: publicUrl });
    return sendText(request, reply, body, { type: 'text/markdown; charset=utf-8', cacheControl: 'public, max-age=60' });
  };
  app.get<KitParams>('/kits/:handle/:name.md', (request, reply) => markdownDoc(request, reply, request.params.handle, request.params.name));

  app.get<KitParams>('/kits/:handle/:name', async (request, reply) => {
    const { handle, name } = request.params;
    if (name.endsWith('.md')) return markdownDoc(request, reply, handle, name.slice(0, -3));
    if (!KIT_HANDLE_PATTERN.test(handle) || !KIT_NAME_PATTERN.test(name)) return missing(request, reply, `No kit named “${handle}/${name}” is published here.`);
    const asked = queryParam(request.query, 'version', 256);
    const tabParam = queryParam(request.query, 'tab', 32);
    const tab: KitTabId = isKitTab(tabParam) ? tabParam : 'agents';
    let kit;
    try {
      kit = await kits.detail(handle, name, asked);
    } catch (err) {
      if (err instanceof RegistryError && err.status === 404)
        return missing(request, reply, err.code === 'kit_version_not_found' ? `${handle}/${name} has no version or tag “${asked}”.` : `No kit named “${handle}/${name}” is published here.`);
      throw err;
    }
    const compareWith = queryParam(request.query, 'compare', 256);
    const data: KitPageData = {
      kit,
      functions: (await orNull(kits.functions(handle, name, kit.version)))?.functions ?? [],
      versions: tab === 'versions' ? await orNull(kits.versions(handle, name)) : null,
      compare: tab === 'versions' && compareWith ? await orNull(kits.compare(handle, name, compareWith, kit.version)) : null,
      readme: tab === 'readme' ? await orNull(kits.readme(handle, name, kit.version)) : null,
    };
    const label = KIT_TABS.find((t) => t.id === tab)?.label ?? '';
    return sendPage(request, reply, page(`${kit.id} ${kit.version}${tab === 'agents' ? '' : ` · ${label}`}`, kitBody(data, asked, tab, markdown), kit.description ?? undefined));
  });
}
