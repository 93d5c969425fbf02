import type { KitListResponse, KitSummary } from '@iii-registry/schemas';
import { compactCount, html, type SafeHtml, withQuery } from './html';
import { kitPath } from './kit-page';

export interface KitListQueryParams {
  search?: string;
  tag?: string;
  handle?: string;
}

function result(k: KitSummary): SafeHtml {
  return html`<li class="result">
<h2><a href="${kitPath(k.id)}">${k.id}</a> <span class="version">${k.version}</span>${k.deprecated && html` <span class="chip warn">deprecated</span>`}</h2>
<p class="description">${k.description || html`<span class="muted">No description.</span>`}</p>
<dl class="facts-line">
<div><dt>agents</dt><dd>${k.counts.agents}</dd></div>
<div><dt>skills</dt><dd>${k.counts.skills}</dd></div>
<div><dt>workers</dt><dd>${k.counts.workers}</dd></div>
<div><dt>downloads</dt><dd><data value="${k.total_downloads}">${compactCount(k.total_downloads)}</data></dd></div>
</dl>
${k.tags.length > 0 && html`<ul class="tags" aria-label="Tags">${k.tags.map((t) => html`<li><a href="${withQuery('/kits', { tag: t })}">${t}</a></li>`)}</ul>`}
</li>`;
}

/** /kits (and /kits/{handle}): search form, tag filter, results. Plain GET forms, works without JavaScript. */
export function kitListBody(q: KitListQueryParams, list: KitListResponse): SafeHtml {
  const base = q.handle ? kitPath(q.handle) : '/kits';
  const filters: SafeHtml[] = [];
  if (q.search) filters.push(html`matching “${q.search}”`);
  if (q.tag) filters.push(html`tagged <a href="${withQuery('/kits', { tag: q.tag })}">${q.tag}</a> (<a href="${withQuery(base, { search: q.search })}">clear tag</a>)`);
  const title = q.handle ? html`Kits by ${q.handle}` : html`Kits`;
  return html`<h1>${title}</h1>
<p class="lead">Agent teams in one install: profiles, skills and the workers they need.</p>
<form class="search" role="search" action="${base}" method="get">
<label for="kit-search-input">Search kits</label>
<div class="search-row">
<input id="kit-search-input" type="search" name="search" value="${q.search ?? ''}" maxlength="200" placeholder="kanban, code review, email…" autocomplete="off">
${q.tag && html`<input type="hidden" name="tag" value="${q.tag}">`}
<button type="submit">Search</button>
</div>
</form>
<section aria-labelledby="results-title">
<h2 id="results-title" class="results-title">${list.total} kit${list.total === 1 ? '' : 's'}${filters.map((f) => html` ${f}`)}</h2>
${list.kits.length === 0 ? html`<p class="notice">No kits found. <a href="/kits">Browse all kits</a>.</p>` : html`<ol class="results">${list.kits.map(result)}</ol>`}
</section>`;
}
