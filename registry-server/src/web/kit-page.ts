import type { KitCompare, KitDetail, KitFunction, KitVersions } from '@iii-registry/schemas';
import { compactCount, html, isoDate, type SafeHtml, withQuery } from './html';
import type { MarkdownRenderer } from './markdown';
import { copyableCommand } from './tab-overview';

export const KIT_TABS = [
  { id: 'agents', label: 'Agents' },
  { id: 'skills', label: 'Skills' },
  { id: 'workers', label: 'Workers' },
  { id: 'versions', label: 'Versions' },
  { id: 'readme', label: 'Readme' },
] as const;
export type KitTabId = (typeof KIT_TABS)[number]['id'];
export const isKitTab = (t: unknown): t is KitTabId => KIT_TABS.some((x) => x.id === t);

export const kitPath = (id: string) => `/kits/${id.split('/').map(encodeURIComponent).join('/')}`;
const kitTabHref = (id: string, asked: string | undefined, tab: KitTabId, extra: Record<string, string | undefined> = {}) =>
  withQuery(kitPath(id), { version: asked, tab: tab === 'agents' ? undefined : tab, ...extra });
const httpUrl = (u: string) => /^https?:\/\//i.test(u);

function header(k: KitDetail, asked: string | undefined): SafeHtml {
  const tags = Object.entries(k.release_tags).filter(([, v]) => v === k.version).map(([t]) => t);
  return html`<header class="worker-header kit-header">
<p class="muted">Kit by <a href="${kitPath(k.author.handle)}">${k.author.handle}</a>${k.author.verified && html` <span class="chip ok" title="verified publisher">verified</span>`}</p>
<h1><span class="worker-name" id="kit-id">${k.id}</span> <span class="version" id="kit-version">${k.version}</span>
${tags.map((t) => html` <span class="chip">${t}</span>`)}
${k.deprecation && html` <span class="chip warn">deprecated</span>`}${k.yanked && html` <span class="chip error">yanked</span>`}${k.experimental && html` <span class="chip warn">experimental</span>`}</h1>
<p class="lead">${k.description || html`<span class="muted">No description.</span>`}</p>
${k.deprecation && html`<div class="notice warn" role="status"><strong>Deprecated: ${k.id} ${k.version}.</strong> ${k.deprecation.message ?? ''}${k.deprecation.replaced_by && html` Install <a href="${kitPath(k.deprecation.replaced_by)}">${k.deprecation.replaced_by}</a> instead.`} <span class="muted">iii-directory refuses to install it.</span></div>`}
${k.yanked && html`<div class="notice error" role="status"><strong>Yanked: ${k.version}.</strong> ${k.yanked.message ?? ''} <span class="muted">Ranges, latest and updates skip it; an exact install still works.</span></div>`}
${asked !== undefined && k.release_tags.latest !== k.version && html`<p class="notice">You are viewing ${k.version}, which is not the latest. <a href="${kitPath(k.id)}">See the latest version</a>.</p>`}
<dl class="facts-line">
<div><dt>agents</dt><dd>${k.counts.agents}</dd></div>
<div><dt>skills</dt><dd>${k.counts.skills}</dd></div>
<div><dt>workers</dt><dd>${k.counts.workers}</dd></div>
<div><dt>license</dt><dd>${k.license ?? html`<span class="muted">none stated</span>`}</dd></div>
${k.repo && html`<div><dt>repo</dt><dd>${httpUrl(k.repo) ? html`<a href="${k.repo}" rel="nofollow noopener noreferrer">${k.repo.replace(/^https?:\/\//, '')}</a>` : k.repo}</dd></div>`}
${k.published_at && html`<div><dt>published</dt><dd><time datetime="${k.published_at}">${isoDate(k.published_at)}</time></dd></div>`}
<div><dt>downloads</dt><dd><data value="${k.total_downloads ?? 0}">${compactCount(k.total_downloads ?? 0)}</data></dd></div>
</dl>
${k.tags.length > 0 && html`<ul class="tags" aria-label="Tags">${k.tags.map((t) => html`<li><a href="${withQuery('/kits', { tag: t })}">${t}</a></li>`)}</ul>`}
<section aria-labelledby="install-title">
<h2 id="install-title">Install</h2>
${copyableCommand('install-command', 'Install command', `directory::download-kit {"kit": "${k.id}@${k.version}"}`)}
<p class="hint">Call it on an engine running iii-directory, review the plan, then <code>directory::kits::apply</code>. For agents: <a href="${kitPath(k.id)}.md">${kitPath(k.id)}.md</a>.</p>
</section>
</header>`;
}

function agentsTab(k: KitDetail, functions: KitFunction[]): SafeHtml {
  if (k.agents.length === 0) return html`<p class="notice">This kit has no agent profiles.</p>`;
  return html`<ul class="kit-agents">${k.agents.map((a) => html`<li class="kit-agent" id="agent-${a.id}">
<h2>${a.logo ? `${a.logo} ` : ''}${a.name ?? a.id} <code>${a.id}</code></h2>
${a.description && html`<p>${a.description}</p>`}
<dl class="facts-line">${a.model && html`<div><dt>model</dt><dd>${a.model}</dd></div>`}${a.extends && html`<div><dt>extends</dt><dd>${a.extends}</dd></div>`}<div><dt>installs to</dt><dd><code>${a.path}</code></dd></div></dl>
${a.functions.length > 0 && html`<h3>Preloaded functions</h3><ul class="agent-functions">${a.functions.map((id) => {
    const f = functions.find((x) => x.id === id);
    return html`<li><code>${id}</code> ${f?.status === 'ok' && f.worker ? html`<span class="muted">from <a href="/workers/${f.worker}">${f.worker}</a> ${f.worker_version ?? ''}</span>` : html`<span class="chip warn">no kit worker provides it</span>`}</li>`;
  })}</ul>`}
${a.skills.length > 0 && html`<p>Skills: ${a.skills.map((s, i) => html`${i > 0 && ', '}<code>${s}</code>`)}</p>`}
</li>`)}</ul>`;
}

function skillsTab(k: KitDetail): SafeHtml {
  if (k.skills.length === 0) return html`<p class="notice">This kit has no skills.</p>`;
  return html`<div class="table-wrap"><table class="kit-skills">
<thead><tr><th scope="col">Skill</th><th scope="col">Type</th><th scope="col">Description</th><th scope="col">Used by</th></tr></thead>
<tbody>${k.skills.map((s) => html`<tr><th scope="row"><a href="/blobs/${s.sha256}">${s.title ?? s.id}</a><br><code class="muted">${s.id}</code></th>
<td>${s.type ?? ''}</td><td>${s.description ?? ''}</td><td>${s.used_by.join(', ')}</td></tr>`)}</tbody></table></div>`;
}

function workersTab(k: KitDetail, functions: KitFunction[]): SafeHtml {
  if (k.workers.length === 0) return html`<p class="notice">This kit needs no workers.</p>`;
  return html`<p class="hint">Ranges are resolved again on every install and update.</p>
<div class="table-wrap"><table class="kit-workers">
<thead><tr><th scope="col">Worker</th><th scope="col">Range</th><th scope="col">Resolves to</th><th scope="col">Functions used</th></tr></thead>
<tbody>${k.workers.map((w) => html`<tr><th scope="row"><a href="/workers/${w.name}">${w.name}</a>${w.description && html`<br><span class="muted">${w.description}</span>`}</th>
<td><code>${w.range}</code></td>
<td>${w.resolved ? html`<a href="${withQuery(`/workers/${w.name}`, { version: w.resolved })}">${w.resolved}</a>` : html`<span class="chip error">nothing today</span>`}</td>
<td>${functions.filter((f) => f.worker === w.name).map((f) => html`<code>${f.id}</code> `)}</td></tr>`)}</tbody></table></div>`;
}

function compareView(c: KitCompare): SafeHtml {
  const list = (label: string, items: string[]) => items.length > 0 && html`<li>${label}: ${items.map((x, i) => html`${i > 0 && ', '}<code>${x}</code>`)}</li>`;
  return html`<section class="kit-compare" aria-labelledby="compare-title">
<h3 id="compare-title">${c.to} vs ${c.from}${c.major && html` <span class="chip warn">major</span>`}</h3>
<ul>
${list('files added', c.files.added)}${list('files removed', c.files.removed)}${list('files changed', c.files.modified)}
${list('agents added', c.agents.added)}${list('agents removed', c.agents.removed)}
${c.agents.modified.map((a) => html`<li>agent <code>${a.id}</code> changed: ${Object.keys((a.frontmatter ?? {}) as object).join(', ') || 'body'}${a.body_changed && ' (prompt body changed)'}</li>`)}
${c.workers.added.map((w) => html`<li>worker added <code>${w.name}</code> ${w.range ?? ''}</li>`)}
${c.workers.removed.map((w) => html`<li>worker removed <code>${w.name}</code></li>`)}
${c.workers.changed.map((w) => html`<li>worker <code>${w.name}</code> ${w.from ?? ''} → ${w.to ?? ''}</li>`)}
${c.capabilities.functions_added.map((f) => html`<li>${f.agent} now preloads <code>${f.function}</code></li>`)}
${c.capabilities.models_changed.map((m) => html`<li>${m.agent} model ${m.from ?? 'default'} → ${m.to ?? 'default'}</li>`)}
</ul>${c.notes && html`<p>${c.notes}</p>`}</section>`;
}

function versionsTab(k: KitDetail, versions: KitVersions, asked: string | undefined, compare: KitCompare | null): SafeHtml {
  return html`<h2>Versions (${versions.versions.length})</h2>
${compare && compareView(compare)}
<div class="table-wrap"><table class="versions">
<thead><tr><th scope="col">Version</th><th scope="col">Tags</th><th scope="col">Published</th><th scope="col">Status</th><th scope="col">Compare</th></tr></thead>
<tbody>${versions.versions.map((v) => html`<tr${v.version === k.version && html` class="current"`}>
<th scope="row"><a href="${withQuery(kitPath(k.id), { version: v.version })}">${v.version}</a></th>
<td>${v.tags.map((t) => html`<span class="chip">${t}</span> `)}</td>
<td>${v.published_at ? html`<time datetime="${v.published_at}">${isoDate(v.published_at)}</time>` : ''}</td>
<td>${v.deprecated ? 'deprecated' : v.yanked ? 'yanked' : 'active'}</td>
<td>${v.version !== k.version && html`<a href="${kitTabHref(k.id, asked, 'versions', { compare: v.version })}">vs ${v.version}</a>`}</td></tr>`)}</tbody></table></div>`;
}

export interface KitPageData {
  kit: KitDetail;
  functions: KitFunction[];
  versions: KitVersions | null;
  compare: KitCompare | null;
  readme: string | null;
}

export function kitBody(d: KitPageData, asked: string | undefined, tab: KitTabId, markdown: MarkdownRenderer): SafeHtml {
  const k = d.kit;
  let content: SafeHtml;
  if (tab === 'skills') content = skillsTab(k);
  else if (tab === 'workers') content = workersTab(k, d.functions);
  else if (tab === 'versions') content = versionsTab(k, d.versions ?? { release_tags: {}, versions: [] }, asked, d.compare);
  else if (tab === 'readme') content = d.readme ? html`<div class="readme"><div class="markdown">${markdown(d.readme)}</div></div>` : html`<p class="notice">This version has no README.</p>`;
  else content = agentsTab(k, d.functions);
  return html`${header(k, asked)}
<nav class="tabs" aria-label="Kit sections"><ul>
${KIT_TABS.map((t) => html`<li><a href="${kitTabHref(k.id, asked, t.id)}"${t.id === tab && html` aria-current="page"`}>${t.label}</a></li>`)}
</ul></nav>
<div class="tab-panel" id="tab-${tab}">
${content}
</div>`;
}
