/**
 * One-line, TypeScript-like rendering of a JSON Schema, e.g.
 * `{ input: ChannelRef, width?: integer >= 1 = 200, format?: "jpeg" | "png" }`.
 *
 * Conventions (so readers can rely on them): a field without `?` is required; `$ref` shows the referenced
 * name only; `string<uri>` carries `format`; numeric bounds read `>= 1 <= 100`; string and array lengths
 * read `len 1..64` (object key counts `keys 1..5`); `= value` is the default; `e.g. x` lists examples;
 * `closed` marks an object that allows no other keys (additionalProperties: false); `encoding`/`media` carry
 * contentEncoding/contentMediaType; `(deprecated, read-only, write-only)` flags. Property order is the schema's own (writers emit fields in
 * declaration order, which is meaningful; stored JSON keeps it, so the output stays deterministic).
 *
 * Bounded on purpose: nesting deeper than MAX_DEPTH falls back to truncated compact JSON, and wide objects,
 * enums and unions are capped, so a hostile or generated schema cannot blow up a document.
 */

export type JsonSchemaNode = Record<string, unknown>;

export const MAX_DEPTH = 6;
const MAX_PROPERTIES = 64;
const MAX_MEMBERS = 24;
const MAX_LINE = 4000;
const MAX_FALLBACK_JSON = 120;
const MAX_PATTERN = 200;
const MAX_DEFAULT = 80;
const MAX_EXAMPLES = 3;

export const isSchemaObject = (v: unknown): v is JsonSchemaNode =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

export const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const json = (v: unknown): string => JSON.stringify(v) ?? 'undefined';

/** `{}` (or a missing schema) is what a writer sends when it published nothing about the value. */
export const isUnpublishedSchema = (schema: unknown): boolean =>
  schema === undefined || schema === null || (isSchemaObject(schema) && Object.keys(schema).length === 0);

/** The name a `$ref` points at: `#/$defs/ChannelRef` → `ChannelRef`, `https://x/y/point.json` → `point`. */
export function refName(ref: string): string {
  if (ref === '#') return 'Self';
  const last = ref.split(/[/#]/).filter((p) => p.length > 0).pop() ?? ref;
  const name = last.replace(/~1/g, '/').replace(/~0/g, '~').replace(/\.json$/, '');
  return name.trim() === '' ? `ref(${json(ref)})` : name;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
export const fieldKey = (key: string): string => (IDENT.test(key) ? key : json(key));

/** True when `text` needs no parentheses before `[]`: a word, or one balanced {...} / [...] / "..." group. */
function isAtomic(text: string): boolean {
  if (/^[\w.:<>$-]+$/.test(text)) return true;
  const open = text[0];
  if (open === '"') {
    try {
      return typeof JSON.parse(text) === 'string';
    } catch {
      return false;
    }
  }
  if (open !== '{' && open !== '[' && open !== '(') return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0 && i < text.length - 1) return false;
    }
  }
  return depth === 0;
}

const wrap = (text: string): string => (isAtomic(text) ? text : `(${text})`);

function union(parts: string[]): string {
  const unique = [...new Set(parts)];
  if (unique.length > MAX_MEMBERS) return [...unique.slice(0, MAX_MEMBERS), `… ${unique.length - MAX_MEMBERS} more`].join(' | ');
  return unique.join(' | ');
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function lengthConstraint(min: unknown, max: unknown): string | undefined {
  if (num(min) && num(max)) return min === max ? `len ${min}` : `len ${min}..${max}`;
  if (num(min) && min > 0) return `len >= ${min}`;
  if (num(max)) return `len <= ${max}`;
  return undefined;
}

/** zod's `.int()` emits the safe-integer range as bounds; that is noise, not a constraint a caller must meet. */
const bound = (v: unknown): v is number => num(v) && Math.abs(v) !== Number.MAX_SAFE_INTEGER;

function numberConstraints(s: JsonSchemaNode): string[] {
  const out: string[] = [];
  // Draft 4 spells exclusive bounds as booleans next to minimum/maximum; 2020-12 as numbers.
  if (bound(s.exclusiveMinimum)) out.push(`> ${s.exclusiveMinimum}`);
  else if (bound(s.minimum)) out.push(`${s.exclusiveMinimum === true ? '>' : '>='} ${s.minimum}`);
  if (bound(s.exclusiveMaximum)) out.push(`< ${s.exclusiveMaximum}`);
  else if (bound(s.maximum)) out.push(`${s.exclusiveMaximum === true ? '<' : '<='} ${s.maximum}`);
  if (num(s.multipleOf)) out.push(`multiple of ${s.multipleOf}`);
  return out;
}

const withFormat = (name: string, s: JsonSchemaNode): string =>
  typeof s.format === 'string' && s.format.length > 0 ? `${name}<${s.format}>` : name;

function renderObject(s: JsonSchemaNode, depth: number): string {
  const properties = isSchemaObject(s.properties) ? Object.entries(s.properties) : [];
  const required = new Set(Array.isArray(s.required) ? s.required.filter((r) => typeof r === 'string') : []);
  const parts = properties
    .slice(0, MAX_PROPERTIES)
    .map(([key, sub]) => `${fieldKey(key)}${required.has(key) ? '' : '?'}: ${renderNode(sub, depth + 1)}`);
  if (properties.length > MAX_PROPERTIES) parts.push(`… ${properties.length - MAX_PROPERTIES} more fields`);
  const extra: string[] = [];
  if (isSchemaObject(s.additionalProperties) && Object.keys(s.additionalProperties).length > 0)
    extra.push(renderNode(s.additionalProperties, depth + 1));
  if (isSchemaObject(s.patternProperties))
    for (const sub of Object.values(s.patternProperties)) extra.push(renderNode(sub, depth + 1));
  const valueType = extra.length > 0 ? union(extra) : undefined;
  const keys = lengthConstraint(s.minProperties, s.maxProperties)?.replace('len', 'keys');
  const suffix = `${s.additionalProperties === false ? ' closed' : ''}${keys ? ` ${keys}` : ''}`;
  if (parts.length === 0) return `${valueType ? `Record<string, ${valueType}>` : 'object'}${suffix}`;
  if (valueType) parts.push(`[key: string]: ${valueType}`);
  return `{ ${parts.join(', ')} }${suffix}`;
}

function renderArray(s: JsonSchemaNode, depth: number): string {
  const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined;
  let text: string;
  if (tuple) {
    const members = tuple.slice(0, MAX_MEMBERS).map((m) => renderNode(m, depth + 1));
    if (tuple.length > MAX_MEMBERS) members.push(`… ${tuple.length - MAX_MEMBERS} more`);
    const rest = Array.isArray(s.prefixItems) && isSchemaObject(s.items) ? s.items : undefined;
    if (rest) members.push(`...${wrap(renderNode(rest, depth + 1))}[]`);
    text = `[${members.join(', ')}]`;
  } else {
    text = `${wrap(isSchemaObject(s.items) ? renderNode(s.items, depth + 1) : 'unknown')}[]`;
  }
  const constraints = [lengthConstraint(s.minItems, s.maxItems), s.uniqueItems === true ? 'unique' : undefined];
  return [text, ...constraints.filter((c) => c !== undefined)].join(' ');
}

function renderString(s: JsonSchemaNode): string {
  const parts = [withFormat('string', s)];
  const len = lengthConstraint(s.minLength, s.maxLength);
  if (len) parts.push(len);
  if (typeof s.pattern === 'string') parts.push(`/${clip(s.pattern, MAX_PATTERN)}/`);
  if (typeof s.contentEncoding === 'string') parts.push(`encoding ${s.contentEncoding}`);
  if (typeof s.contentMediaType === 'string') parts.push(`media ${s.contentMediaType}`);
  return parts.join(' ');
}

function renderTyped(s: JsonSchemaNode, type: string, depth: number): string {
  switch (type) {
    case 'object':
      return renderObject(s, depth);
    case 'array':
      return renderArray(s, depth);
    case 'string':
      return renderString(s);
    case 'integer':
    case 'number':
      return [withFormat(type, s), ...numberConstraints(s)].join(' ');
    default:
      return type;
  }
}

function inferType(s: JsonSchemaNode): string | undefined {
  if ('properties' in s || 'additionalProperties' in s || 'patternProperties' in s || 'minProperties' in s || 'maxProperties' in s) return 'object';
  if ('items' in s || 'prefixItems' in s) return 'array';
  if ('minLength' in s || 'maxLength' in s || 'pattern' in s || 'contentEncoding' in s || 'contentMediaType' in s) return 'string';
  if ('minimum' in s || 'maximum' in s || 'exclusiveMinimum' in s || 'exclusiveMaximum' in s) return 'number';
  return undefined;
}

/** The shape itself, before nullable/default/deprecated annotations. */
function renderShape(s: JsonSchemaNode, depth: number): string {
  if (typeof s.$ref === 'string') return refName(s.$ref);
  if ('const' in s) return json(s.const);
  if (Array.isArray(s.enum)) return union(s.enum.map(json));
  const types = Array.isArray(s.type) ? s.type.filter((t) => typeof t === 'string') : typeof s.type === 'string' ? [s.type] : [];
  const structural = types.length > 0 ? union(types.map((t) => renderTyped(s, t, depth))) : undefined;
  const inferred = structural ?? (inferType(s) ? renderTyped(s, inferType(s) as string, depth) : undefined);
  // Members that say nothing alone (e.g. `{required: [...]}` branches) are dropped rather than shown as unknown.
  const members = (key: string): string[] =>
    Array.isArray(s[key]) ? (s[key] as unknown[]).map((m) => renderNode(m, depth + 1)).filter((m) => m !== 'unknown') : [];
  const alternatives = [...members('anyOf'), ...members('oneOf')];
  const all = members('allOf');
  const pieces: string[] = [];
  if (inferred) pieces.push(inferred);
  if (alternatives.length > 0) pieces.push(pieces.length > 0 || all.length > 0 ? `(${union(alternatives)})` : union(alternatives));
  for (const a of all) pieces.push(pieces.length > 0 || all.length > 1 ? wrap(a) : a);
  if (pieces.length === 0 && 'not' in s) return `not ${wrap(renderNode(s.not, depth + 1))}`;
  return pieces.length > 0 ? pieces.join(' & ') : 'unknown';
}

/** Renders any schema node; nested calls go through here so the depth cap holds everywhere. */
export function renderNode(schema: unknown, depth: number): string {
  if (schema === false) return 'never';
  if (!isSchemaObject(schema)) return 'unknown';
  if (depth > MAX_DEPTH) return clip(json(schema), MAX_FALLBACK_JSON);
  let text = renderShape(schema, depth);
  if (schema.nullable === true && !/(^| )null( |$)/.test(text)) text = `${wrap(text)} | null`;
  if ('default' in schema) text += ` = ${clip(json(schema.default), MAX_DEFAULT)}`;
  const examples = Array.isArray(schema.examples) ? schema.examples : 'example' in schema ? [schema.example] : [];
  if (examples.length > 0) text += ` e.g. ${examples.slice(0, MAX_EXAMPLES).map((e) => clip(json(e), MAX_DEFAULT)).join(', ')}`;
  const flags = [schema.deprecated === true && 'deprecated', schema.readOnly === true && 'read-only', schema.writeOnly === true && 'write-only'].filter(Boolean);
  if (flags.length > 0) text += ` (${flags.join(', ')})`;
  return text;
}

/**
 * The one-line field list of a JSON Schema. `{}` renders as `unknown (no schema published)`. Reused by the
 * agent-context document, the web pages and the directory worker.
 */
export function renderSchemaInline(schema: unknown): string {
  if (isUnpublishedSchema(schema)) return 'unknown (no schema published)';
  // Free text from the schema (formats, patterns, type names) may carry line breaks; the result is one line.
  return clip(renderNode(schema, 0).replace(/[\r\n\t]+/g, ' '), MAX_LINE);
}
