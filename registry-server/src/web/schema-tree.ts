import { html, type SafeHtml } from './html';

/**
 * A JSON Schema drawn as a readable tree: field names, types, required marks, descriptions, enums, defaults,
 * constraints, nested objects and arrays. `$ref`s show the referenced name (linked when the schema carries it
 * in `$defs`/`definitions`). Schemas are untrusted input: depth and node count are bounded so a hostile
 * schema cannot make a page huge.
 */
type Schema = Record<string, unknown>;

const MAX_DEPTH = 10;
const MAX_NODES = 1500;

interface Ctx {
  anchor: string;
  defs: Set<string>;
  nodes: number;
}

const isObj = (v: unknown): v is Schema => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const anchorId = (ctx: Ctx, name: string) => `${ctx.anchor}-def-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
const refName = (ref: string) => decodeURIComponent(ref.split('/').pop() ?? ref).replace(/~1/g, '/').replace(/~0/g, '~');
const json = (v: unknown) => JSON.stringify(v) ?? String(v);

function defsOf(root: Schema): Record<string, unknown> {
  return { ...(isObj(root.definitions) ? root.definitions : {}), ...(isObj(root.$defs) ? root.$defs : {}) };
}

/** The short type label: `string`, `integer | null`, `array of Item`, `map of number`, `ChannelRef`. */
function typeLabel(s: Schema, ctx: Ctx): SafeHtml {
  const ref = str(s.$ref);
  if (ref !== undefined) {
    const name = refName(ref);
    return ctx.defs.has(name) ? html`<a class="ref" href="#${anchorId(ctx, name)}">${name}</a>` : html`<span class="ref">${name}</span>`;
  }
  const types = Array.isArray(s.type) ? s.type.filter((t): t is string => typeof t === 'string') : str(s.type) ? [s.type as string] : [];
  const label = (t: string): SafeHtml => {
    if (t === 'array' && isObj(s.items)) return html`array of ${typeLabel(s.items, ctx)}`;
    if (t === 'object' && !isObj(s.properties) && isObj(s.additionalProperties)) return html`map of ${typeLabel(s.additionalProperties, ctx)}`;
    return html`${t}`;
  };
  if (types.length > 0) return html`${types.map((t, i) => html`${i > 0 && ' | '}${label(t)}`)}`;
  if (s.const !== undefined) return html`const`;
  if (Array.isArray(s.enum)) return html`enum`;
  if (Array.isArray(s.oneOf) || Array.isArray(s.anyOf)) return html`one of`;
  if (Array.isArray(s.allOf)) return html`all of`;
  if (isObj(s.properties)) return html`object`;
  if (isObj(s.items)) return html`array of ${typeLabel(s.items, ctx)}`;
  return html`any`;
}

const CONSTRAINTS: [string, string][] = [
  ['format', 'format'], ['minimum', '≥'], ['exclusiveMinimum', '>'], ['maximum', '≤'], ['exclusiveMaximum', '<'],
  ['minLength', 'min length'], ['maxLength', 'max length'], ['pattern', 'pattern'], ['minItems', 'min items'],
  ['maxItems', 'max items'], ['multipleOf', 'multiple of'],
];

function facts(s: Schema): SafeHtml {
  const parts: SafeHtml[] = [];
  if (Array.isArray(s.enum)) parts.push(html`<span class="enum">one of: ${s.enum.map((v, i) => html`${i > 0 && ', '}<code>${json(v)}</code>`)}</span>`);
  if (s.const !== undefined) parts.push(html`<span class="enum">always <code>${json(s.const)}</code></span>`);
  if (s.default !== undefined) parts.push(html`<span>default <code>${json(s.default)}</code></span>`);
  for (const [key, label] of CONSTRAINTS) {
    const v = s[key];
    if (typeof v === 'string' || typeof v === 'number') parts.push(html`<span>${label} <code>${String(v)}</code></span>`);
  }
  if (s.deprecated === true) parts.push(html`<span class="badge warn">deprecated</span>`);
  return parts.length === 0 ? html`` : html`<span class="facts">${parts.map((p, i) => html`${i > 0 && ' · '}${p}`)}</span>`;
}

/** Nested rows under a node: its properties, its array items' properties, map values, or its variants. */
function children(s: Schema, ctx: Ctx, depth: number): SafeHtml | null {
  if (depth >= MAX_DEPTH) return html`<ul><li class="muted">… nested deeper than ${MAX_DEPTH} levels</li></ul>`;
  if (isObj(s.properties)) {
    const required = new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);
    const rows = Object.entries(s.properties).map(([name, sub]) => row(name, isObj(sub) ? sub : {}, required.has(name), ctx, depth));
    if (isObj(s.additionalProperties)) rows.push(row('[other keys]', s.additionalProperties, false, ctx, depth));
    return rows.length === 0 ? null : html`<ul>${rows}</ul>`;
  }
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const variants = s[key];
    if (Array.isArray(variants) && variants.length > 0) {
      const word = key === 'allOf' ? 'part' : 'option';
      return html`<ul>${variants.map((v, i) => row(`${word} ${i + 1}`, isObj(v) ? v : {}, false, ctx, depth, true))}</ul>`;
    }
  }
  if (isObj(s.items)) return children(s.items, ctx, depth);
  if (isObj(s.additionalProperties)) return children(s.additionalProperties, ctx, depth);
  return null;
}

function row(name: string, s: Schema, required: boolean, ctx: Ctx, depth: number, synthetic = false): SafeHtml {
  ctx.nodes += 1;
  if (ctx.nodes > MAX_NODES) return ctx.nodes === MAX_NODES + 1 ? html`<li class="muted">… more fields not shown</li>` : html``;
  const description = str(s.description) ?? str(s.title);
  return html`<li>${synthetic ? html`<span class="variant">${name}</span>` : html`<code class="field">${name}</code>`}
<span class="type">${typeLabel(s, ctx)}</span>${required && html` <abbr class="req" title="required">required</abbr>`}${!required && !synthetic && html` <span class="opt">optional</span>`}
${description && html`<span class="desc">${description}</span>`} ${facts(s)}${children(s, ctx, depth + 1)}</li>`;
}

/** The whole tree for one schema. `anchor` makes definition ids unique on the page. */
export function renderSchemaTree(schema: unknown, anchor: string): SafeHtml {
  const root = isObj(schema) ? schema : {};
  if (Object.keys(root).length === 0) return html`<p class="muted">Not described: the schema is empty, so any value is accepted.</p>`;
  const defs = defsOf(root);
  const ctx: Ctx = { anchor, defs: new Set(Object.keys(defs)), nodes: 0 };
  const body = children(root, ctx, 0);
  const top = html`<p class="schema-root">${typeLabel(root, ctx)} ${str(root.description) && html`<span class="desc">${str(root.description)}</span>`} ${facts(root)}</p>`;
  const defList = Object.entries(defs).map(
    ([name, sub]) => html`<li id="${anchorId(ctx, name)}"><code class="field">${name}</code> <span class="type">${typeLabel(isObj(sub) ? sub : {}, ctx)}</span>
${isObj(sub) && str(sub.description) && html`<span class="desc">${str(sub.description)}</span>`} ${isObj(sub) && facts(sub)}${isObj(sub) && children(sub, ctx, 1)}</li>`,
  );
  return html`<div class="schema-tree">${top}${body}${defList.length > 0 && html`<p class="defs-title">Definitions</p><ul class="defs">${defList}</ul>`}</div>`;
}
