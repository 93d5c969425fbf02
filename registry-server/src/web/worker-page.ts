import type { WorkerDetail } from '@iii-registry/schemas';
import { compactCount, html, isoDate, type SafeHtml, withQuery, workerPath } from './html';

export const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'api', label: 'API' },
  { id: 'skills', label: 'Skills' },
  { id: 'versions', label: 'Versions' },
  { id: 'agent-context', label: 'Agent context' },
] as const;
export type TabId = (typeof TABS)[number]['id'];

export const isTab = (t: unknown): t is TabId => TABS.some((x) => x.id === t);

/** Link to a tab of this worker, keeping the version the reader asked for (none means "follow latest"). */
export function tabHref(name: string, askedVersion: string | undefined, tab: TabId, extra: Record<string, string> = {}): string {
  return withQuery(workerPath(name), { version: askedVersion, tab: tab === 'overview' ? undefined : tab, ...extra });
}

const httpUrl = (u: string) => /^https?:\/\//i.test(u);

function statusNotice(w: WorkerDetail): SafeHtml | null {
  if (w.status === 'active') return null;
  const word = w.status === 'yanked' ? 'Yanked' : 'Deprecated';
  const why = w.status === 'yanked'
    ? 'It is no longer picked by latest or ranges, but stays installable by exact version.'
    : 'It still installs; its publisher suggests moving on.';
  return html`<div class="notice ${w.status === 'yanked' ? 'error' : 'warn'}" role="status">
<strong>${word}: ${w.name} ${w.version}.</strong> ${w.status_message ?? ''} <span class="muted">${why}</span></div>`;
}

function header(w: WorkerDetail, askedVersion: string | undefined): SafeHtml {
  // Only when the reader picked a version: without one they already see what `latest` resolves to.
  const notLatest = askedVersion !== undefined && !w.version_tags.includes('latest');
  return html`<header class="worker-header">
<h1><span class="worker-name">${w.name}</span> <span class="version" id="worker-version">${w.version}</span>
${w.version_tags.map((t) => html` <span class="chip">${t}</span>`)}
${w.status !== 'active' && html` <span class="chip ${w.status === 'yanked' ? 'error' : 'warn'}">${w.status}</span>`}
${w.experimental && html` <span class="chip warn">experimental</span>`}</h1>
<p class="lead">${w.description || html`<span class="muted">No description.</span>`}</p>
${statusNotice(w)}
${notLatest && html`<p class="notice">You are viewing ${w.version}, which is not the latest. <a href="${workerPath(w.name)}">See the latest version</a>.</p>`}
<dl class="facts-line">
<div><dt>type</dt><dd>${w.type}</dd></div>
<div><dt>license</dt><dd>${w.license || html`<span class="muted">none stated</span>`}</dd></div>
${w.repo && html`<div><dt>repo</dt><dd>${httpUrl(w.repo) ? html`<a href="${w.repo}" rel="nofollow noopener noreferrer">${w.repo.replace(/^https?:\/\//, '')}</a>` : w.repo}</dd></div>`}
<div><dt>platforms</dt><dd>${w.supported_targets.length > 0 ? w.supported_targets.join(', ') : html`<span class="muted">${w.type === 'binary' ? 'none' : `any (${w.type})`}</span>`}</dd></div>
<div><dt>published</dt><dd><time datetime="${w.published_at}">${isoDate(w.published_at)}</time></dd></div>
<div><dt>downloads</dt><dd><data value="${w.total_downloads}">${compactCount(w.total_downloads)}</data></dd></div>
${w.author.name && html`<div><dt>author</dt><dd>${w.author.name}${w.author.verified && html` <span class="chip ok" title="verified publisher">verified</span>`}</dd></div>`}
</dl>
${w.tags.length > 0 && html`<ul class="tags" aria-label="Tags">${w.tags.map((t) => html`<li><a href="${withQuery('/workers', { tag: t })}">${t}</a></li>`)}</ul>`}
</header>`;
}

function tabs(w: WorkerDetail, askedVersion: string | undefined, current: TabId): SafeHtml {
  return html`<nav class="tabs" aria-label="Worker sections"><ul>
${TABS.map((t) => html`<li><a href="${tabHref(w.name, askedVersion, t.id)}"${t.id === current && html` aria-current="page"`}>${t.label}</a></li>`)}
</ul></nav>`;
}

/** Header, tab bar and one tab's content; every tab is its own server-rendered URL. */
export function workerBody(w: WorkerDetail, askedVersion: string | undefined, tab: TabId, content: SafeHtml): SafeHtml {
  return html`${header(w, askedVersion)}
${tabs(w, askedVersion, tab)}
<div class="tab-panel" id="tab-${tab}">
${content}
</div>`;
}
