import { bindingLabel, bindingsOf, unmatchedBindings, type RegisteredTrigger, type WorkerDetail } from '@iii-registry/schemas';
import { html, type SafeHtml } from './html';
import { renderSchemaTree } from './schema-tree';

interface Entry {
  name: string;
  description: string;
  schemas: [label: string, schema: Record<string, unknown>][];
  /** The function's registered triggers (HTTP routes first among them as the worker registered them). */
  bindings?: RegisteredTrigger[];
}

/** `POST /todos` and the other trigger bindings of a function, as a labelled list. */
function bindingList(bindings: RegisteredTrigger[] | undefined): SafeHtml | false {
  return (
    bindings !== undefined &&
    bindings.length > 0 &&
    html`<p class="bindings">Triggers: ${bindings.map((t, i) => html`${i > 0 && ', '}<code class="binding">${bindingLabel(t)}</code>`)}</p>`
  );
}

function entry(e: Entry, id: string): SafeHtml {
  return html`<article class="api-entry" id="${id}">
<h3><code>${e.name}</code></h3>
${bindingList(e.bindings)}
${e.description ? html`<p>${e.description}</p>` : html`<p class="muted">No description.</p>`}
${e.schemas.map(([label, schema], i) => html`<h4>${label}</h4>${renderSchemaTree(schema, `${id}-${i}`)}`)}
</article>`;
}

/** Every function and trigger type with its request/response fields drawn as trees from the JSON Schemas. */
export function apiTab(w: WorkerDetail): SafeHtml {
  const fns: Entry[] = w.functions.map((f) => ({
    name: f.name,
    description: f.description,
    schemas: [['Request', f.request_schema], ['Response', f.response_schema]],
    bindings: bindingsOf(f.name, w.registered_triggers),
  }));
  const others = unmatchedBindings(w.functions.map((f) => f.name), w.registered_triggers);
  const trs: Entry[] = w.triggers.map((t) => ({
    name: t.name,
    description: t.description,
    schemas: [['Trigger configuration (invocation)', t.invocation_schema], ['Return', t.return_schema]],
  }));
  const toc = (list: Entry[], prefix: string) =>
    list.length > 0 && html`<ul class="toc">${list.map((e, i) => html`<li><a href="#${prefix}-${i}"><code>${e.name}</code></a></li>`)}</ul>`;
  const jsonUrl = `/workers/${encodeURIComponent(w.name)}/api-reference.json?version=${encodeURIComponent(w.version)}`;
  const raw = JSON.stringify({ name: w.name, version: w.version, functions: w.functions, triggers: w.triggers }, null, 2);
  // The raw reference as published: a link for tools, and the same JSON folded on the page (no script needed).
  return html`<section class="api-json" aria-label="API reference as JSON">
<p><a href="${jsonUrl}" type="application/json">api-reference.json</a> — the functions and trigger types exactly as published.</p>
<details><summary>JSON</summary><pre><code>${raw}</code></pre></details>
</section>
<section aria-labelledby="functions-title">
<h2 id="functions-title">Functions (${fns.length})</h2>
${fns.length === 0 ? html`<p class="muted">This worker publishes no functions.</p>` : html`${toc(fns, 'fn')}${fns.map((e, i) => entry(e, `fn-${i}`))}`}
${others.length > 0 && html`<p class="bindings">Other trigger bindings: ${others.map((t, i) => html`${i > 0 && ', '}<code class="binding">${bindingLabel(t)}</code> → <code>${t.function_id}</code>`)}</p>`}
</section>
<section aria-labelledby="triggers-title">
<h2 id="triggers-title">Trigger types (${trs.length})</h2>
${trs.length === 0 ? html`<p class="muted">This worker publishes no trigger types.</p>` : html`${toc(trs, 'tr')}${trs.map((e, i) => entry(e, `tr-${i}`))}`}
</section>`;
}
