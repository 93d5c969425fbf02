import type { IndexRow } from '../../db/types';

/**
 * The texts a worker is found by, one per BM25F field. Field weights and length normalisation live in
 * bm25f-index.ts; this file only decides which words go where.
 */
export const FIELDS = ['name', 'tags', 'description', 'fn_names', 'fn_text', 'schema', 'routes'] as const;
export type Field = (typeof FIELDS)[number];
export type FieldTexts = Record<Field, string>;

const MAX_WALK = 2_000;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Property names, titles and descriptions at any depth of a JSON Schema, `$defs`/`definitions` included (they are
 * plain objects under the root, so one bounded walk over every object reaches them). Enum strings too: a
 * `format: "webp" | "avif"` is how a reader learns what a converter supports.
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
  if (isObject(s.properties)) out.push(Object.keys(s.properties).join(' '));
  for (const [key, value] of Object.entries(s)) if (key !== 'enum' && key !== 'examples' && key !== 'default') schemaWords(value, out, budget);
  return out;
}

/** HTTP routes of registered triggers (`{type:'http', config:{api_path, http_method}}`), when a version has them. */
function routeWords(registered: unknown[]): string[] {
  const out: string[] = [];
  for (const r of registered) {
    if (!isObject(r)) continue;
    const config = isObject(r.config) ? r.config : {};
    const path = str(config.api_path);
    if (path) out.push(`${str(config.http_method)} ${path}`);
  }
  return out;
}

export function fieldTexts(row: IndexRow): FieldTexts {
  const entries = [...row.api.functions, ...row.api.triggers].filter(isObject);
  return {
    name: row.name,
    tags: row.summary.tags.join(' '),
    description: row.summary.description,
    fn_names: entries.map((e) => str(e.name)).join('\n'),
    fn_text: entries.map((e) => str(e.description)).join('\n'),
    schema: entries
      .flatMap((e) => [e.request_schema, e.response_schema, e.invocation_schema, e.return_schema].flatMap((s) => schemaWords(s)))
      .join('\n'),
    routes: routeWords(row.api.registered_triggers).join('\n'),
  };
}

/** Lower-cased function and trigger names: a query that is exactly one (`state::set`) names that worker. */
export const entryNames = (row: IndexRow): string[] =>
  [...row.api.functions, ...row.api.triggers].filter(isObject).map((e) => str(e.name).toLowerCase()).filter((n) => n !== '');
