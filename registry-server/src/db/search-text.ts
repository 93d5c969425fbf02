/**
 * What search reads from a version's API, extracted once at publish and stored in `versions.fn_text` as JSON, so
 * building the index at start-up parses a few short strings per worker instead of every schema. Rows written
 * before this format hold plain text there; the repository recomputes theirs from the document.
 */
export interface ApiSearchText {
  /** Function and trigger-type names, one per entry. */
  names: string[];
  /** Their descriptions, same order. */
  descriptions: string[];
  /** Per entry: property names, titles, descriptions and enum strings of its schemas, at any depth. */
  schemas: string[];
  /** HTTP routes of registered triggers: `GET /users/:id`. */
  routes: string[];
}

const MAX_WALK = 2_000;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Property names, titles and descriptions at any depth of a JSON Schema, `$defs`/`definitions` included (they are
 * plain objects under the root, so one bounded walk over every object reaches them). Enum strings too: a
 * `format: "webp" | "avif"` is how a reader learns what a converter supports. Lines keep phrases apart.
 */
export function schemaWords(schema: unknown, out: string[] = [], budget = { left: MAX_WALK }): string[] {
  if (budget.left-- <= 0 || schema === null || typeof schema !== 'object') return out;
  if (Array.isArray(schema)) {
    for (const s of schema) schemaWords(s, out, budget);
    return out;
  }
  const s = schema as Record<string, unknown>;
  if (typeof s.description === 'string') out.push(s.description);
  if (typeof s.title === 'string') out.push(s.title);
  if (Array.isArray(s.enum)) for (const e of s.enum) if (typeof e === 'string') out.push(e);
  if (isObject(s.properties)) out.push(...Object.keys(s.properties));
  for (const [key, value] of Object.entries(s)) if (key !== 'enum' && key !== 'examples' && key !== 'default' && key !== 'const') schemaWords(value, out, budget);
  return out;
}

/** Registered triggers of `{type:'http', config:{api_path, http_method}}`, when a version carries them. */
function routesOf(registered: unknown[]): string[] {
  const out: string[] = [];
  for (const r of registered) {
    const config = isObject(r) && isObject(r.config) ? r.config : {};
    const path = str(config.api_path);
    if (path) out.push(`${str(config.http_method)} ${path}`.trim());
  }
  return out;
}

export function apiSearchTextOf(api: { functions: unknown[]; triggers: unknown[]; registered_triggers: unknown[] }): ApiSearchText {
  const entries = [...api.functions, ...api.triggers].filter(isObject);
  return {
    names: entries.map((e) => str(e.name)),
    descriptions: entries.map((e) => str(e.description)),
    schemas: entries.map((e) => [e.request_schema, e.response_schema, e.invocation_schema, e.return_schema].flatMap((s) => schemaWords(s)).join('\n')),
    routes: routesOf(api.registered_triggers),
  };
}

/** Reads the stored column: the JSON form, or undefined for a row written in the older plain-text form. */
export function parseApiSearchText(text: string): ApiSearchText | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(text) as Partial<ApiSearchText>;
    const list = (x: unknown): string[] => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);
    return { names: list(v.names), descriptions: list(v.descriptions), schemas: list(v.schemas), routes: list(v.routes) };
  } catch {
    return undefined;
  }
}
