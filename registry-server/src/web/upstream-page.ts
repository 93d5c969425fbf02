import type { RegistryError } from '../errors';
import { html } from './html';
import { layout } from './layout';
import type { Rendered, WebContext } from './worker-route';

/** A worker that lives on the upstream registry, which is failing and has nothing cached: say so (502/504). */
export function upstreamFailedPage(ctx: WebContext, err: RegistryError): Rendered {
  const body = html`<h1>Upstream registry unavailable</h1><p class="lead">${err.message}</p><p>${err.fix}</p><p><a href="/">All workers</a></p>`;
  return { status: err.status, body: layout({ title: 'Upstream unavailable · iii workers', assets: ctx.assets, body }).value };
}
