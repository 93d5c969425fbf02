import type { Field } from './fields';

/**
 * BM25F over the fields of fields.ts. Per field f: weight W_f and length normalisation b_f; a term's pseudo
 * frequency in a worker is Σ_f W_f·tf_f / (1 − b_f + b_f·len_f/avglen_f), saturated once by k1 across all fields,
 * times the term's idf. In per-entry fields (functions, triggers, their schemas) tf and len are those of the
 * best entry. The saturated part depends only on the worker and the term, so it is computed when the worker is
 * indexed and stored in the posting; a query multiplies by idf and adds. Length averages are those at indexing
 * time (exact after a rebuild, drifting slightly with later publishes until the next start).
 */
export const FIELD_WEIGHTS: Record<Field, number> = { name: 6, tags: 3, description: 3, fn_names: 2, fn_text: 1.5, schema: 0.7, routes: 1.5 };
export const FIELD_B: Record<Field, number> = { name: 0.3, tags: 0.3, description: 0.5, fn_names: 0.5, fn_text: 0.6, schema: 0.6, routes: 0.5 };
export const K1 = 1.2;
/** Alternatives for a query word, as a share of an exact match. */
export const PREFIX_WEIGHT = 0.6;
export const TYPO_WEIGHT = 0.8;
export const SYNONYM_OF_ALTERNATIVE = 0.8;
export const MAX_COMPLETIONS = 12;
export const LENGTH_SAMPLE = 1000;
export const MIN_PREFIX = 3;
