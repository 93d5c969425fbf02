import { SLUG_MAX, SLUG_PATTERN, type SkillsResponse, type VersionRow } from '@iii-registry/schemas';
import { RegistryError } from '../errors';
import type { RegistryServices } from '../services/types';
import { html, type SafeHtml } from './html';
import { layout, type AssetUrls } from './layout';
import type { MarkdownRenderer } from './markdown';
import { notFoundBody } from './not-found-page';
import { orNull, queryParam } from './responses';
import { agentContextTab } from './tab-agent-context';
import { apiTab } from './tab-api';
import { overviewTab } from './tab-overview';
import { skillsTab } from './tab-skills';
import { versionsTab } from './tab-versions';
import { isTab, type TabId, TABS, workerBody } from './worker-page';

export interface WebContext {
  services: RegistryServices;
  publicUrl: string;
  assets: AssetUrls;
  markdown: MarkdownRenderer;
}

export interface Rendered {
  status: number;
  body: string;
}

export const isSlug = (name: string): boolean => name.length <= SLUG_MAX && SLUG_PATTERN.test(name);


export function missingPage(ctx: WebContext, body: SafeHtml, title: string): Rendered {
  return { status: 404, body: layout({ title: `${title} · iii workers`, assets: ctx.assets, body }).value };
}

export function workerMissing(ctx: WebContext, name: string, suggestions: string[] = []): Rendered {
  return missingPage(
    ctx,
    notFoundBody({
      title: 'Worker not found',
      message: `No worker named “${name}” is published here.`,
      suggestions: suggestions.filter(isSlug),
      search: name.replace(/[-_]+/g, ' ').slice(0, 256),
    }),
    'Worker not found',
  );
}

/** GET /workers/:name?version=&tab=&skill= : loads what the tab needs, renders, maps "not found" to 404 pages. */
export async function renderWorkerPage(ctx: WebContext, name: string, query: unknown): Promise<Rendered> {
  if (!isSlug(name)) return workerMissing(ctx, name);
  const asked = queryParam(query, 'version', 128);
  const tabParam = queryParam(query, 'tab', 32);
  const tab: TabId = isTab(tabParam) ? tabParam : 'overview';
  const { services } = ctx;
  let w;
  try {
    w = await services.detail(name, asked);
  } catch (err) {
    if (!(err instanceof RegistryError)) throw err;
    if (err.code === 'version_not_found' || (asked !== undefined && err.code !== 'worker_not_found' && err.status === 404)) {
      const versions = (await orNull(services.versions(name))) ?? [];
      return missingPage(
        ctx,
        notFoundBody({
          title: 'Version not found',
          message: `${name} has no version or tag “${asked ?? 'latest'}”.`,
          suggestions: versions.map((v) => v.version),
          versionsOf: name,
          search: name,
        }),
        'Version not found',
      );
    }
    if (err.status === 404) return workerMissing(ctx, name, err.available);
    throw err;
  }
  let content: SafeHtml;
  switch (tab) {
    case 'api':
      content = apiTab(w);
      break;
    case 'skills': {
      const skills: SkillsResponse | null = await orNull(services.skills(name, w.version));
      content = skillsTab(name, asked, skills, queryParam(query, 'skill', 256), ctx.markdown);
      break;
    }
    case 'versions': {
      const versions: VersionRow[] = (await orNull(services.versions(name))) ?? [];
      content = versionsTab(name, w.version, versions);
      break;
    }
    case 'agent-context': {
      const doc = await orNull(services.agentContext(name, w.version));
      content = agentContextTab(name, w.version, doc?.body ?? null);
      break;
    }
    default:
      content = overviewTab(w, ctx.publicUrl, ctx.markdown);
  }
  const tabLabel = TABS.find((t) => t.id === tab)?.label ?? '';
  const body = layout({
    title: `${w.name} ${w.version}${tab === 'overview' ? '' : ` · ${tabLabel}`} · iii workers`,
    description: w.description,
    assets: ctx.assets,
    feed: { href: `/workers/${w.name}/feed.xml`, title: `${w.name} publishes` },
    body: workerBody(w, asked, tab, content),
  });
  return { status: 200, body: body.value };
}

/** Anything unexpected: a plain page with no internals (the error itself goes to the log). */
export function serverErrorPage(ctx: WebContext): Rendered {
  const body = html`<h1>Something went wrong</h1><p class="lead">The registry could not build this page. Try again in a moment.</p><p><a href="/">All workers</a></p>`;
  return { status: 500, body: layout({ title: 'Error · iii workers', assets: ctx.assets, body }).value };
}
