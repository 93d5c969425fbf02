/** The shapes a BM25F index answers with and persists (bm25f-index.ts, snapshot.ts). */

/** Every document matching at least one concept, as parallel arrays (no object per hit: queries touch thousands). */
export interface ScoredDocs {
  count: number;
  docs: Int32Array;
  /** Σ over concepts of the best alternative's idf-weighted saturated frequency. */
  scores: Float64Array;
  /** Concepts matched (by the word, a synonym, a completion or a typo-tolerant match). */
  matched: Uint16Array;
  /** 1 when some concept matched only through a typo-tolerant alternative. */
  typo: Uint8Array;
}

/**
 * An index's whole content in a compact form (typed arrays, no per-document objects) that search/snapshot.ts
 * persists: posting lists concatenated with their offsets; which terms a document has is derived from them.
 */
export interface Bm25fState {
  terms: string[];
  /** Posting i is docs/sat[offsets[i] .. offsets[i + 1]). */
  offsets: Int32Array;
  docs: Int32Array;
  sat: Float64Array;
  /** Per document slot, per field: total length and texts (NaN for a free slot). */
  docLengths: Float64Array;
  free: Int32Array;
  lengths: Float64Array;
  count: number;
  /** Words as written and their stems, alternating. */
  words: string[];
}
