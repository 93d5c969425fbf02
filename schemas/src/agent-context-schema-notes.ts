import { codeSpan, oneLine } from './agent-context-markdown';
import { clip, fieldKey, isSchemaObject, MAX_DEPTH, refName, renderNode, type JsonSchemaNode } from './json-schema-fields';

/**
 * The compact sub-list under a `request:`/`response:` line: what each local `$ref` name stands for
 * (`where ChannelRef = {...}`), then field descriptions, only where the schema carries them. Both are capped
 * so the API reference stays readable; the inline field list above them is the complete part.
 */

const MAX_DEFINITIONS = 20;
const MAX_DESCRIPTIONS = 24;
const MAX_DESCRIPTION = 160;
const DESCRIPTION_DEPTH = 2;
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

function collectDescriptions(node: unknown, path: string, depth: number, out: { path: string; text: string }[]): void {
  if (!isSchemaObject(node) || depth > MAX_DEPTH) return;
  if (path !== '' && typeof node.description === 'string' && node.description.trim() !== '')
    out.push({ path, text: oneLine(node.description) });
  if (depth >= DESCRIPTION_DEPTH) return;
  if (isSchemaObject(node.properties))
    for (const [key, sub] of Object.entries(node.properties))
      collectDescriptions(sub, path === '' ? fieldKey(key) : `${path}.${fieldKey(key)}`, depth + 1, out);
  if (isSchemaObject(node.items)) collectDescriptions(node.items, `${path}[]`, depth, out);
}

export function schemaNotes(schema: unknown): string[] {
  if (!isSchemaObject(schema)) return [];
  const lines = definitionLines(schema);
  if (typeof schema.description === 'string' && schema.description.trim() !== '')
    lines.push(clip(oneLine(schema.description), MAX_DESCRIPTION));
  const described: { path: string; text: string }[] = [];
  collectDescriptions(schema, '', 0, described);
  for (const d of described.slice(0, MAX_DESCRIPTIONS)) lines.push(`${codeSpan(d.path)}: ${clip(d.text, MAX_DESCRIPTION)}`);
  if (described.length > MAX_DESCRIPTIONS) lines.push(`… ${described.length - MAX_DESCRIPTIONS} more field descriptions`);
  return lines;
}
