import { analyzeQuery, analyzeText, synonymOfStem, type Concept } from './analyze';
import { ENTRY_FIELDS, FIELDS, type Field, type FieldTexts } from './fields';
import type { Bm25fState, ScoredDocs } from './bm25f-state';
import { estimatedLengths, lengthsOf, type Analyzed } from './field-lengths';
import { FIELD_B, FIELD_WEIGHTS, K1, LENGTH_SAMPLE, MAX_COMPLETIONS, MIN_PREFIX, PREFIX_WEIGHT, SYNONYM_OF_ALTERNATIVE, TYPO_WEIGHT } from './bm25f-weights';
import { MIN_TYPO_WORD, Vocabulary } from './vocabulary';

interface Posting {
  docs: number[];
  sat: number[];
}

interface Alternative {
  term: string;
  weight: number;
  typo: boolean;
}

/** BM25F over the fields of fields.ts, with the parameters and the formula of bm25f-weights.ts. */
export class Bm25fIndex {
  private readonly postings: Map<string, Posting>;
  private readonly docTerms: (string[] | undefined)[];
  private readonly docLengths: (Record<Field, [number, number]> | undefined)[];
  private readonly free: number[];
  /** Per field: total length and number of texts (entries for per-entry fields, documents otherwise). */
  private readonly lengths: Map<Field, [number, number]>;
  private docs: number;
  readonly vocabulary: Vocabulary;
  private acc = new Float64Array(0);
  private best = new Float64Array(0);
  private bestTypo = new Uint8Array(0);
  private matched = new Uint16Array(0);
  private typo = new Uint8Array(0);
  private touched = new Int32Array(0);
  private local = new Int32Array(0);
  private outScores = new Float64Array(0);
  private outMatched = new Uint16Array(0);
  private outTypo = new Uint8Array(0);

  /** Empty, or exactly the index `state` was taken from (`toState`). */
  constructor(state?: Bm25fState) {
    this.postings = new Map();
    this.docTerms = [];
    this.docLengths = [];
    this.free = state ? [...state.free] : [];
    this.lengths = new Map(FIELDS.map((f, i) => [f, state ? [state.lengths[2 * i], state.lengths[2 * i + 1]] : [0, 0]]));
    this.docs = state?.count ?? 0;
    const words = new Map<string, string>();
    if (state) {
      for (let i = 0; i < state.words.length; i += 2) words.set(state.words[i], state.words[i + 1]);
      state.terms.forEach((term, i) => {
        const [from, to] = [state.offsets[i], state.offsets[i + 1]];
        this.postings.set(term, { docs: Array.from(state.docs.subarray(from, to)), sat: Array.from(state.sat.subarray(from, to)) });
      });
      // Slots (free ones at the end included: new documents take ids after them); each document's terms and lengths
      // are needed only to remove it, so they are rebuilt on the first removal (`materialize`), not here.
      this.docTerms.length = state.docLengths.length / (2 * FIELDS.length);
      this.restoredLengths = state.docLengths;
    }
    this.vocabulary = new Vocabulary(words);
  }

  /** Per-document lengths of a restored index, until `materialize` turns them into docTerms/docLengths. */
  private restoredLengths: Float64Array | undefined;

  private materialize(): void {
    const flat = this.restoredLengths;
    if (!flat) return;
    this.restoredLengths = undefined;
    const width = 2 * FIELDS.length;
    const restored: boolean[] = [];
    for (let d = 0; d < flat.length / width; d++) {
      // A slot set since the restore (a new document in a free or new slot) already has its own terms and lengths.
      if (Number.isNaN(flat[d * width]) || this.docTerms[d] !== undefined) continue;
      const l = {} as Record<Field, [number, number]>;
      FIELDS.forEach((f, i) => (l[f] = [flat[d * width + 2 * i], flat[d * width + 2 * i + 1]]));
      this.docLengths[d] = l;
      this.docTerms[d] = [];
      restored[d] = true;
    }
    for (const [term, p] of this.postings) for (const d of p.docs) if (restored[d]) this.docTerms[d]?.push(term);
  }

  /** The index's content, copied into the compact form. */
  toState(): Bm25fState {
    this.materialize();
    const terms = [...this.postings.keys()];
    const offsets = new Int32Array(terms.length + 1);
    terms.forEach((t, i) => (offsets[i + 1] = offsets[i] + (this.postings.get(t) as Posting).docs.length));
    const docs = new Int32Array(offsets[terms.length]);
    const sat = new Float64Array(offsets[terms.length]);
    terms.forEach((t, i) => {
      const p = this.postings.get(t) as Posting;
      docs.set(p.docs, offsets[i]);
      sat.set(p.sat, offsets[i]);
    });
    const width = 2 * FIELDS.length;
    const docLengths = new Float64Array(this.docTerms.length * width).fill(NaN);
    this.docLengths.forEach((l, d) => l && FIELDS.forEach((f, i) => docLengths.set(l[f], d * width + 2 * i)));
    const lengths = Float64Array.from(FIELDS.flatMap((f) => this.lengths.get(f) as [number, number]));
    const words = [...this.vocabulary.words].flat();
    return { terms, offsets, docs, sat, docLengths, free: Int32Array.from(this.free), lengths, count: this.docs, words };
  }

  get size(): number {
    return this.docs;
  }

  /**
   * Each document analysed and inserted on its own, so a rebuild never holds every document's tokens at once.
   * Length averages for the normalisation come first, estimated from word counts of up to LENGTH_SAMPLE
   * documents; the exact lengths replace the estimate as documents go in.
   */
  addAll(texts: FieldTexts[]): number[] {
    const estimate = texts.slice(0, LENGTH_SAMPLE).map(estimatedLengths);
    const scale = texts.length / Math.max(1, estimate.length);
    for (const e of estimate) this.count(e, scale);
    const docs = texts.map((t) => {
      const a = this.analyze(t);
      this.docs++;
      this.count(lengthsOf(a), 1);
      return this.insert(a);
    });
    for (const e of estimate) this.count(e, -scale);
    return docs;
  }

  add(texts: FieldTexts): number {
    return this.addAll([texts])[0];
  }

  remove(doc: number): void {
    this.materialize();
    const terms = this.docTerms[doc];
    const lengths = this.docLengths[doc];
    if (!terms || !lengths) return;
    for (const term of terms) {
      const p = this.postings.get(term);
      if (!p) continue;
      const i = p.docs.indexOf(doc);
      if (i >= 0) {
        p.docs.splice(i, 1);
        p.sat.splice(i, 1);
      }
      if (p.docs.length === 0) this.postings.delete(term);
    }
    this.count(lengths, -1);
    this.docTerms[doc] = undefined;
    this.docLengths[doc] = undefined;
    this.free.push(doc);
    this.docs--;
  }

  private analyze(t: FieldTexts): Analyzed {
    const out = {} as Analyzed;
    const surface = (w: string, s: string) => this.vocabulary.add(w, s);
    for (const f of FIELDS) out[f] = t[f].map((text) => analyzeText(text, surface));
    return out;
  }

  private count(lengths: Record<Field, [number, number]>, sign: number): void {
    for (const f of FIELDS) {
      const l = this.lengths.get(f) as [number, number];
      l[0] += sign * lengths[f][0];
      l[1] += sign * lengths[f][1];
    }
  }

  private insert(a: Analyzed): number {
    const doc = this.free.pop() ?? this.docTerms.length;
    const tf = new Map<string, number>();
    const best = new Map<string, number>();
    const local = new Map<string, number>();
    for (const f of FIELDS) {
      const [total, texts] = this.lengths.get(f) as [number, number];
      const avg = texts > 0 ? total / texts : 0;
      best.clear();
      for (const tokens of ENTRY_FIELDS.has(f) ? a[f] : [a[f].flat()]) {
        const norm = avg > 0 ? 1 - FIELD_B[f] + (FIELD_B[f] * tokens.length) / avg : 1;
        const add = FIELD_WEIGHTS[f] / norm;
        local.clear();
        for (const term of tokens) local.set(term, (local.get(term) ?? 0) + add);
        for (const [term, v] of local) if (v > (best.get(term) ?? 0)) best.set(term, v);
      }
      for (const [term, v] of best) tf.set(term, (tf.get(term) ?? 0) + v);
    }
    for (const [term, t] of tf) {
      let p = this.postings.get(term);
      if (!p) this.postings.set(term, (p = { docs: [], sat: [] }));
      p.docs.push(doc);
      p.sat.push(t / (K1 + t));
    }
    this.docTerms[doc] = [...tf.keys()];
    this.docLengths[doc] = lengthsOf(a);
    return doc;
  }

  private idf(df: number): number {
    return Math.log(1 + (this.docs - df + 0.5) / (df + 0.5));
  }

  /** Alternatives for one concept: the word, its synonym group, completions; typos only when those found nothing. */
  private alternatives(c: Concept, last: boolean): Alternative[] {
    const out: Alternative[] = [];
    const push = (term: string, weight: number, typo: boolean) => {
      if (this.postings.has(term) && !out.some((a) => a.term === term)) out.push({ term, weight, typo });
    };
    if (c.stem !== undefined) push(c.stem, 1, false);
    if (c.synonym) push(c.synonym.token, c.synonym.weight, false);
    if (c.stem === undefined) return out;
    const derived = (term: string, weight: number, typo: boolean) => {
      push(term, weight, typo);
      const syn = synonymOfStem(term);
      if (syn) push(syn, weight * SYNONYM_OF_ALTERNATIVE, typo);
    };
    // A word being typed (the last one) or unknown as a whole word may be the start of a longer one.
    if ((last || out.length === 0) && c.word.length >= MIN_PREFIX)
      for (const t of this.vocabulary.completions(c.word, MAX_COMPLETIONS)) if (t !== c.stem) derived(t, PREFIX_WEIGHT, false);
    if (out.length === 0 && c.word.length >= MIN_TYPO_WORD)
      for (const [t, d] of this.vocabulary.near(c.word, c.word.length >= 8 ? 2 : 1)) derived(t, TYPO_WEIGHT / d, true);
    return out;
  }

  private ensureBuffers(): void {
    const n = this.docTerms.length;
    if (this.acc.length >= n) return;
    const size = Math.max(n, this.acc.length * 2, 1024);
    this.acc = new Float64Array(size);
    this.best = new Float64Array(size);
    this.bestTypo = new Uint8Array(size);
    this.matched = new Uint16Array(size);
    this.typo = new Uint8Array(size);
    this.touched = new Int32Array(size);
    this.local = new Int32Array(size);
    this.outScores = new Float64Array(size);
    this.outMatched = new Uint16Array(size);
    this.outTypo = new Uint8Array(size);
  }

  /**
   * Every document matching at least one concept, unsorted; `concepts` are the query's. The arrays are views of
   * buffers the next search reuses: read them before searching again (search is synchronous).
   */
  search(query: string): { hits: ScoredDocs; concepts: Concept[] } {
    const concepts = analyzeQuery(query);
    this.ensureBuffers();
    const { acc, best, bestTypo, matched, typo, touched, local } = this;
    let nTouched = 0;
    concepts.forEach((c, i) => {
      let nLocal = 0;
      for (const alt of this.alternatives(c, i === concepts.length - 1)) {
        const p = this.postings.get(alt.term) as Posting;
        const w = alt.weight * this.idf(p.docs.length);
        const { docs, sat } = p;
        for (let k = 0; k < docs.length; k++) {
          const d = docs[k];
          const v = w * sat[k];
          if (best[d] === 0) local[nLocal++] = d;
          if (v > best[d]) {
            best[d] = v;
            bestTypo[d] = alt.typo ? 1 : 0;
          }
        }
      }
      for (let k = 0; k < nLocal; k++) {
        const d = local[k];
        if (matched[d] === 0) touched[nTouched++] = d;
        acc[d] += best[d];
        matched[d]++;
        if (bestTypo[d]) typo[d] = 1;
        best[d] = 0;
        bestTypo[d] = 0;
      }
    });
    const { outScores, outMatched, outTypo } = this;
    for (let k = 0; k < nTouched; k++) {
      const d = touched[k];
      outScores[k] = acc[d];
      outMatched[k] = matched[d];
      outTypo[k] = typo[d];
      acc[d] = 0;
      matched[d] = 0;
      typo[d] = 0;
    }
    const n = nTouched;
    return { hits: { count: n, docs: touched.subarray(0, n), scores: outScores.subarray(0, n), matched: outMatched.subarray(0, n), typo: outTypo.subarray(0, n) }, concepts };
  }
}
