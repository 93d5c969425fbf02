import type { WorkerDetail } from '@iii-registry/schemas';
import { stringify } from 'yaml';
import { html, type SafeHtml, workerPath } from './html';
import type { MarkdownRenderer } from './markdown';

interface ConfigKey {
  path: string;
  type: string;
  value: unknown;
}

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v;

/** Every key of the config, nested objects as dotted paths, so each one is listed with its default. */
function configKeys(config: Record<string, unknown>, prefix = '', depth = 0): ConfigKey[] {
  return Object.entries(config).flatMap(([k, v]): ConfigKey[] => {
    const path = prefix === '' ? k : `${prefix}.${k}`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < 4 && Object.keys(v).length > 0) {
      return configKeys(v as Record<string, unknown>, path, depth + 1);
    }
    return [{ path, type: typeOf(v), value: v }];
  });
}

export function copyableCommand(id: string, label: string, command: string): SafeHtml {
  return html`<div class="copy-row">
<label for="${id}" class="visually-hidden">${label}</label>
<input id="${id}" class="command" type="text" readonly value="${command}" spellcheck="false">
<button type="button" class="copy-button" data-copy-target="${id}" hidden>Copy</button>
<span class="copy-status" role="status" aria-live="polite"></span>
</div>`;
}

function install(w: WorkerDetail, publicUrl: string): SafeHtml {
  return html`<section aria-labelledby="install-title">
<h2 id="install-title">Install</h2>
${copyableCommand('install-command', 'Install command', `iii worker add ${w.name}@${w.version}`)}
<p class="hint">From this registry: set <code>III_API_URL=${publicUrl}</code> for the iii CLI first.</p>
</section>`;
}

function configuration(w: WorkerDetail): SafeHtml {
  const keys = configKeys(w.config);
  if (keys.length === 0) {
    return html`<section aria-labelledby="config-title"><h2 id="config-title">Configuration</h2><p class="muted">No configuration: this worker takes no settings.</p></section>`;
  }
  return html`<section aria-labelledby="config-title">
<h2 id="config-title">Configuration</h2>
<p class="hint">Defaults as published (YAML). Each key:</p>
<dl class="config-keys">${keys.map((k) => html`<div><dt><code>${k.path}</code></dt><dd>${k.type} · default <code>${JSON.stringify(k.value) ?? 'null'}</code></dd></div>`)}</dl>
<pre class="yaml"><code>${stringify(w.config)}</code></pre>
</section>`;
}

function dependencies(w: WorkerDetail): SafeHtml {
  return html`<section aria-labelledby="deps-title">
<h2 id="deps-title">Dependencies</h2>
${w.dependencies.length === 0
    ? html`<p class="muted">None.</p>`
    : html`<ul class="deps">${w.dependencies.map((d) => html`<li><a href="${workerPath(d.name)}">${d.name}</a> <code>${d.version === '' ? 'any version' : d.version}</code></li>`)}</ul>`}
</section>`;
}

export function overviewTab(w: WorkerDetail, publicUrl: string, markdown: MarkdownRenderer): SafeHtml {
  return html`${install(w, publicUrl)}
<div class="overview-grid">
<div class="overview-facts">
${configuration(w)}
${dependencies(w)}
</div>
<section class="readme" aria-labelledby="readme-title">
<h2 id="readme-title">README</h2>
${w.readme.trim() === '' ? html`<p class="muted">No README published.</p>` : html`<article class="markdown">${markdown(w.readme)}</article>`}
</section>
</div>`;
}
