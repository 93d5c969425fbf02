import { codeSpan, oneLine } from './agent-context-markdown';
import { clip, fieldKey, isSchemaObject, MAX_DEPTH, refName, renderNode, type JsonSchemaNode } from './json-schema-fields';

/**
 * The compact sub-list under a `request:`/`response:` line: what each local `$ref` name stands for
 * (`where ChannelRef = {...}`), then the title and description of every field that has one, at any depth: nested
 * objects, array items (`items[]`), union members, map values (`tags{}`) and inside definitions (the path starts
 * at the definition's name: `ChannelRef.id`). Bounded against hostile schemas only (counts no real schema
 * reaches); the inline field list above carries types and constraints.
 */

const MAX_DEFINITIONS = 50;
const MAX_DESCRIPTIONS = 200;
const MAX_DESCRIPTION = 1000;
const MAX_WALK = 10_000;

/** Every `$ref` string under `node`, in document order (bounded walk). */
function refsIn(node: unknown, out: string[], budget = { left: MAX_WALK }): string[] {
  if (budget.left-- <= 0 || node === null || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const item of node) refsIn(item, out, budget);
    return out;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') out.push(value);
    else refsIn(value, out, budget);
  }
  return out;
}

/** Resolves `#/$defs/X` or `#/definitions/X` inside `root`; other refs are names only. */
function resolveLocal(root: JsonSchemaNode, ref: string): unknown {
  const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!m) return undefined;
  const defs = root[m[1]];
  const key = m[2].replace(/~1/g, '/').replace(/~0/g, '~');
  return isSchemaObject(defs) && Object.prototype.hasOwnProperty.call(defs, key) ? defs[key] : undefined;
}

function definitionLines(root: JsonSchemaNode): string[] {
  const seen = new Set<string>();
  const queue = refsIn(root, []).filter((r) => r.startsWith('#/'));
  const lines: string[] = [];
  // Breadth-first over the refs the schema uses, following refs inside definitions (bounded, cycle-safe).
  while (queue.length > 0 && lines.length < MAX_DEFINITIONS) {
    const ref = queue.shift() as string;
    if (seen.has(ref)) continue;
    seen.add(ref);
    const def = resolveLocal(root, ref);
    if (def === undefined) continue;
    lines.push(`where ${codeSpan(refName(ref))} = ${codeSpan(clip(renderNode(def, 1), 2000))}`);
    queue.push(...refsIn(def, []).filter((r) => r.startsWith('#/')));
  }
  return lines;
}

interface Described {
  path: string;
  text: string;
}

function describe(node: JsonSchemaNode): string | undefined {
  const title = typeof node.title === 'string' && node.title.trim() !== '' ? oneLine(node.title) : '';
  const description = typeof node.description === 'string' && node.description.trim() !== '' ? oneLine(node.description) : '';
  if (!title && !description) return undefined;
  return title && description ? `${title}: ${description}` : title || description;
}

function collectDescriptions(node: unknown, path: string, depth: number, out: Described[], budget: { left: number }): void {
  if (!isSchemaObject(node) || depth > MAX_DEPTH + 2 || budget.left-- <= 0) return;
  const text = path !== '' ? describe(node) : undefined;
  if (text) out.push({ path, text });
  const child = (sub: unknown, p: string) => collectDescriptions(sub, p, depth + 1, out, budget);
  if (isSchemaObject(node.properties))
    for (const [key, sub] of Object.entries(node.properties)) child(sub, path === '' ? fieldKey(key) : `${path}.${fieldKey(key)}`);
  if (isSchemaObject(node.items)) child(node.items, `${path}[]`);
  if (Array.isArray(node.prefixItems)) node.prefixItems.forEach((sub, i) => child(sub, `${path}[${i}]`));
  if (isSchemaObject(node.additionalProperties)) child(node.additionalProperties, `${path}{}`);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
    if (Array.isArray(node[key])) for (const sub of node[key] as unknown[]) collectDescriptions(sub, path, depth + 1, out, budget);
}

/** Descriptions of the schema's own fields, then of each definition's (`Def.field`). */
function allDescriptions(schema: JsonSchemaNode): Described[] {
  const out: Described[] = [];
  const budget = { left: MAX_WALK };
  collectDescriptions(schema, '', 0, out, budget);
  for (const key of ['$defs', 'definitions'] as const) {
    const defs = schema[key];
    if (!isSchemaObject(defs)) continue;
    for (const [name, def] of Object.entries(defs)) {
      if (!isSchemaObject(def)) continue;
      const own = describe(def);
      if (own) out.push({ path: name, text: own });
      collectDescriptions({ ...def, title: undefined, description: undefined }, name, 1, out, budget);
    }
  }
  // A field reached twice (a union member repeating it) is listed once.
  const seen = new Set<string>();
  return out.filter((d) => {
    const k = `${d.path}\u0000${d.text}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function schemaNotes(schema: unknown): string[] {
  if (!isSchemaObject(schema)) return [];
  const lines = definitionLines(schema);
  const own = describe(schema);
  if (own) lines.push(clip(own, MAX_DESCRIPTION));
  const described = allDescriptions(schema);
  for (const d of described.slice(0, MAX_DESCRIPTIONS)) lines.push(`${codeSpan(d.path)}: ${clip(d.text, MAX_DESCRIPTION)}`);
  if (described.length > MAX_DESCRIPTIONS) lines.push(`… ${described.length - MAX_DESCRIPTIONS} more field descriptions`);
  return lines;
}
