import type { VersionRow } from '@iii-registry/schemas';
import { html, isoDate, type SafeHtml, withQuery, workerPath } from './html';

/** Every version, newest first, with its tags, date and status; each links to its own page. */
export function versionsTab(name: string, current: string, versions: VersionRow[]): SafeHtml {
  return html`<h2>Versions (${versions.length})</h2>
<div class="table-wrap"><table class="versions">
<thead><tr><th scope="col">Version</th><th scope="col">Tags</th><th scope="col">Published</th><th scope="col">Status</th></tr></thead>
<tbody>
${versions.map((v) => {
    const status = v.status ?? 'active';
    return html`<tr${v.version === current && html` class="current"`}>
<th scope="row"><a href="${withQuery(workerPath(name), { version: v.version })}"${v.version === current && html` aria-current="page"`}>${v.version}</a></th>
<td>${v.tags.map((t) => html`<span class="chip">${t}</span> `)}</td>
<td>${v.published_at ? html`<time datetime="${v.published_at}">${isoDate(v.published_at)}</time>` : html`<span class="muted">unknown</span>`}</td>
<td><span class="status-${status}">${status}</span>${v.status_message && html` <span class="muted">${v.status_message}</span>`}</td>
</tr>`;
  })}
</tbody></table></div>`;
}
