import { html, type SafeHtml, withQuery, workerPath } from './html';

const PREVIEW_LINES = 400;

/** The agent-context document as agents get it (raw markdown), with its canonical link. */
export function agentContextTab(name: string, version: string, body: string | null): SafeHtml {
  const href = withQuery(`${workerPath(name)}.md`, { version });
  const lines = body?.split('\n') ?? [];
  const cut = lines.length > PREVIEW_LINES;
  return html`<h2>Agent context</h2>
<p>One markdown document an LLM can read before it installs or calls <code>${name}</code>: install, configuration,
dependencies, API reference and README. Link it from your agent: <a href="${href}">${href}</a></p>
${body === null
    ? html`<p class="notice warn">The document could not be produced for this version.</p>`
    : html`<pre class="agent-context" tabindex="0" aria-label="Agent context preview"><code>${cut ? lines.slice(0, PREVIEW_LINES).join('\n') : body}</code></pre>
${cut && html`<p class="hint">Preview cut at ${PREVIEW_LINES} lines; <a href="${href}">read the whole document</a>.</p>`}`}`;
}
