import type { IndexRow } from '../../db/types';

/**
 * The texts a worker is found by, one per BM25F field. Field weights and length normalisation live in
 * bm25f-index.ts; this file only decides which words go where.
 */
export const FIELDS = ['name', 'tags', 'description', 'fn_names', 'fn_text', 'schema', 'routes'] as const;
export type Field = (typeof FIELDS)[number];
/**
 * Fields with one text per function or trigger type. A term's frequency in them is that of the best-matching
 * entry, not the sum over entries: a worker with twenty functions that each mention "key" is no more about keys
 * than one with a single such function.
 */
export const ENTRY_FIELDS: ReadonlySet<Field> = new Set<Field>(['fn_names', 'fn_text', 'schema']);
export type FieldTexts = Record<Field, string[]>;

export function fieldTexts(row: IndexRow): FieldTexts {
  return {
    name: [row.name],
    tags: [row.summary.tags.join('\n')],
    description: [row.summary.description],
    fn_names: row.api.names,
    fn_text: row.api.descriptions,
    schema: row.api.schemas,
    routes: [row.api.routes.join('\n')],
  };
}

/** Lower-cased function and trigger names: a query that is exactly one (`state::set`) names that worker. */
export const entryNames = (row: IndexRow): string[] => row.api.names.map((n) => n.toLowerCase()).filter((n) => n !== '');
