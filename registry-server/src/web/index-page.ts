import type { WorkerListItem, WorkerListResponse } from '@iii-registry/schemas';
import { compactCount, html, type SafeHtml, withQuery, workerPath } from './html';

export interface IndexQuery {
  search?: string;
  type?: string;
  tag?: string;
  cursor?: string;
}

const TYPES = ['binary', 'image', 'bundle', 'engine'] as const;

function result(w: WorkerListItem): SafeHtml {
  return html`<li class="result">
<h2><a href="${workerPath(w.name)}">${w.name}</a> <span class="version">${w.version}</span></h2>
<p class="description">${w.description || html`<span class="muted">No description.</span>`}</p>
<dl class="facts-line">
<div><dt>type</dt><dd>${w.type}</dd></div>
${w.supported_targets.length > 0 && html`<div><dt>platforms</dt><dd>${w.supported_targets.join(', ')}</dd></div>`}
<div><dt>downloads</dt><dd><data value="${w.total_downloads}">${compactCount(w.total_downloads)}</data></dd></div>
</dl>
${(w.tags ?? []).length > 0 && html`<ul class="tags" aria-label="Tags">${(w.tags ?? []).map((t) => html`<li><a href="${withQuery('/workers', { tag: t })}">${t}</a></li>`)}</ul>`}
</li>`;
}

function searchForm(q: IndexQuery): SafeHtml {
  return html`<form class="search" role="search" action="/workers" method="get">
<label for="search-input">Search workers</label>
<div class="search-row">
<input id="search-input" type="search" name="search" value="${q.search ?? ''}" maxlength="256"
 placeholder="resize a jpeg, email, state…" autocomplete="off">
<label for="type-select" class="visually-hidden">Worker type</label>
<select id="type-select" name="type">
<option value="">any type</option>
${TYPES.map((t) => html`<option value="${t}"${q.type === t && html` selected`}>${t}</option>`)}
</select>
${q.tag && html`<input type="hidden" name="tag" value="${q.tag}">`}
<button type="submit">Search</button>
</div>
</form>`;
}

function heading(q: IndexQuery): SafeHtml {
  const parts: SafeHtml[] = [];
  if (q.search) parts.push(html`matching “${q.search}”`);
  if (q.type) parts.push(html`of type ${q.type}`);
  if (q.tag) parts.push(html`tagged <a href="${withQuery('/workers', { tag: q.tag })}">${q.tag}</a> (<a href="${withQuery('/workers', { search: q.search, type: q.type })}">clear tag</a>)`);
  return parts.length === 0 ? html`Most downloaded workers` : html`Workers ${parts.map((p, i) => html`${i > 0 && ', '}${p}`)}`;
}

/** The index: search form, results, paging. Plain GET forms and links, so it works without JavaScript. */
export function indexBody(q: IndexQuery, list: WorkerListResponse | null, problem: string | null): SafeHtml {
  const base = { search: q.search, type: q.type, tag: q.tag };
  const workers = list?.workers ?? [];
  const next = list?.pagination.has_more && list.pagination.next_cursor ? withQuery('/workers', { ...base, cursor: list.pagination.next_cursor }) : null;
  return html`<h1 class="visually-hidden">iii workers registry</h1>
${searchForm(q)}
<section aria-labelledby="results-title">
<h2 id="results-title" class="results-title">${heading(q)}</h2>
${problem && html`<p class="notice error" role="alert">${problem}</p>`}
${list && workers.length === 0 && html`<p class="notice">No workers ${q.search ? html`match “${q.search}”` : html`found`}. Try fewer or different words, or <a href="/workers">browse all workers</a>.</p>`}
${workers.length > 0 && html`<ol class="results">${workers.map(result)}</ol>`}
<nav class="paging" aria-label="Pages">
${q.cursor && html`<a href="${withQuery('/workers', base)}">First page</a>`}
${next && html`<a rel="next" href="${next}">Next page →</a>`}
</nav>
</section>`;
}
