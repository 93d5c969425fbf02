import { html, type SafeHtml, withQuery, workerPath } from './html';

export interface MissingPage {
  title: string;
  message: string;
  /** Worker names (or versions, with `versionsOf`) to offer instead. */
  suggestions?: string[];
  versionsOf?: string;
  search?: string;
}

/** The 404 body: says what is missing, offers close matches, and a search prefilled with what was asked. */
export function notFoundBody(p: MissingPage): SafeHtml {
  const suggestions = p.suggestions ?? [];
  const link = (s: string) => (p.versionsOf ? withQuery(workerPath(p.versionsOf), { version: s }) : workerPath(s));
  return html`<h1>${p.title}</h1>
<p class="lead">${p.message}</p>
${suggestions.length > 0 && html`<p>${p.versionsOf ? 'Published versions' : 'Did you mean'}:</p><ul class="suggestions">${suggestions.slice(0, 20).map((s) => html`<li><a href="${link(s)}">${s}</a></li>`)}</ul>`}
<form class="search" role="search" action="/workers" method="get">
<label for="search-input">Search workers</label>
<div class="search-row">
<input id="search-input" type="search" name="search" value="${p.search ?? ''}" maxlength="256">
<button type="submit">Search</button>
</div>
</form>
<p><a href="${withQuery('/workers', {})}">Browse all workers</a></p>`;
}
