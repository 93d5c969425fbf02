import { analyzeQuery, analyzeText, type Concept } from './analyze';
import { FIELDS, type Field, type FieldTexts } from './fields';
import { Vocabulary } from './vocabulary';

/**
 * BM25F over the fields of fields.ts. Per field f: weight W_f and length normalisation b_f; a term's pseudo
 * frequency in a worker is Σ_f W_f·tf_f / (1 − b_f + b_f·len_f/avglen_f), saturated once by k1 across all fields
 * (so twenty functions that each say "store" count little more than one), times the term's idf. The saturated
 * part depends only on the worker and the term, so it is computed when the worker is indexed and stored in the
 * posting; a query only multiplies by idf and adds. Length averages are those at indexing time (exact after a
 * rebuild, drifting slightly with later publishes until the next start).
 */
export const FIELD_WEIGHTS: Record<Field, number> = { name: 6, tags: 3, description: 3, fn_names: 2, fn_text: 1.5, schema: 0.7, routes: 1.5 };
export const FIELD_B: Record<Field, number> = { name: 0.3, tags: 0.3, description: 0.5, fn_names: 0.8, fn_text: 0.8, schema: 0.9, routes: 0.8 };
export const K1 = 1.2;
/** Alternatives for a query word, as a share of an exact match. */
export const PREFIX_WEIGHT = 0.6;
export const TYPO_WEIGHT = 0.45;
const MAX_COMPLETIONS = 12;
const MIN_PREFIX = 3;
const MIN_TYPO = 4;

interface Posting {
  docs: number[];
  sat: number[];
}

interface Alternative {
  term: string;
  weight: number;
  typo: boolean;
  exact: boolean;
}

export interface ScoredDoc {
  doc: number;
  score: number;
  /** Concepts of the query matched by an exact word, a synonym or a completion. */
  matched: number;
  typo: boolean;
}

export class Bm25fIndex {
  private readonly postings = new Map<string, Posting>();
  private readonly docTerms: (string[] | undefined)[] = [];
  private readonly docLengths: (Record<Field, number> | undefined)[] = [];
  private readonly free: number[] = [];
  private readonly lengthSums = new Map<Field, number>(FIELDS.map((f) => [f, 0]));
  private docs = 0;
  readonly vocabulary = new Vocabulary();
  private acc = new Float64Array(0);
  private best = new Float64Array(0);
  private bestTypo = new Uint8Array(0);
  private matched = new Uint16Array(0);
  private typo = new Uint8Array(0);

  get size(): number {
    return this.docs;
  }

  /** Field lengths first for every document (so averages are right), then postings. */
  addAll(texts: FieldTexts[]): number[] {
    const analyzed = texts.map(analyzeFields);
    for (const a of analyzed) for (const f of FIELDS) this.lengthSums.set(f, (this.lengthSums.get(f) ?? 0) + a[f].length);
    this.docs += analyzed.length;
    return analyzed.map((a) => this.insert(a));
  }

  add(texts: FieldTexts): number {
    return this.addAll([texts])[0];
  }

  remove(doc: number): void {
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
    for (const f of FIELDS) this.lengthSums.set(f, (this.lengthSums.get(f) ?? 0) - lengths[f]);
    this.docTerms[doc] = undefined;
    this.docLengths[doc] = undefined;
    this.free.push(doc);
    this.docs--;
  }

  private insert(a: Record<Field, string[]>): number {
    const doc = this.free.pop() ?? this.docTerms.length;
    const tf = new Map<string, number>();
    for (const f of FIELDS) {
      const avg = (this.lengthSums.get(f) ?? 0) / Math.max(1, this.docs);
      const norm = avg > 0 ? 1 - FIELD_B[f] + (FIELD_B[f] * a[f].length) / avg : 1;
      for (const term of a[f]) tf.set(term, (tf.get(term) ?? 0) + FIELD_WEIGHTS[f] / norm);
    }
    for (const [term, t] of tf) {
      let p = this.postings.get(term);
      if (!p) this.postings.set(term, (p = { docs: [], sat: [] }));
      p.docs.push(doc);
      p.sat.push(t / (K1 + t));
      this.vocabulary.add(term);
    }
    this.docTerms[doc] = [...tf.keys()];
    this.docLengths[doc] = Object.fromEntries(FIELDS.map((f) => [f, a[f].length])) as Record<Field, number>;
    return doc;
  }

  private idf(df: number): number {
    return Math.log(1 + (this.docs - df + 0.5) / (df + 0.5));
  }

  /** Alternatives for one concept: the word, its synonym group, completions; typos only when those found nothing. */
  private alternatives(c: Concept, last: boolean): Alternative[] {
    const out: Alternative[] = [];
    if (c.stem !== undefined && this.postings.has(c.stem)) out.push({ term: c.stem, weight: 1, typo: false, exact: true });
    if (c.synonym && this.postings.has(c.synonym.token)) out.push({ term: c.synonym.token, weight: c.synonym.weight, typo: false, exact: true });
    if (c.stem === undefined) return out;
    // A word being typed (the last one) or unknown as a whole word may be the start of a longer one.
    if ((last || out.length === 0) && c.word.length >= MIN_PREFIX) {
      const prefix = c.word.length <= c.stem.length ? c.word : c.stem;
      for (const t of this.vocabulary.completions(prefix, MAX_COMPLETIONS))
        if (t !== c.stem) out.push({ term: t, weight: PREFIX_WEIGHT, typo: false, exact: false });
    }
    if (out.length === 0 && c.word.length >= MIN_TYPO) {
      const maxEdits = c.word.length >= 8 ? 2 : 1;
      const near = [...this.vocabulary.near(c.stem, maxEdits), ...(c.word !== c.stem ? this.vocabulary.near(c.word, maxEdits) : [])];
      for (const [t, d] of near) out.push({ term: t, weight: TYPO_WEIGHT / d, typo: true, exact: false });
    }
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
  }

  /** Every document matching at least one concept, unsorted; `concepts` is how many the query had. */
  search(query: string): { hits: ScoredDoc[]; concepts: number } {
    const concepts = analyzeQuery(query);
    if (concepts.length === 0) return { hits: [], concepts: 0 };
    this.ensureBuffers();
    const touched: number[] = [];
    const { acc, best, bestTypo, matched, typo } = this;
    concepts.forEach((c, i) => {
      const local: number[] = [];
      for (const alt of this.alternatives(c, i === concepts.length - 1)) {
        const p = this.postings.get(alt.term);
        if (!p) continue;
        const w = alt.weight * this.idf(p.docs.length);
        for (let k = 0; k < p.docs.length; k++) {
          const d = p.docs[k];
          const v = w * p.sat[k];
          if (best[d] === 0) local.push(d);
          if (v > best[d]) {
            best[d] = v;
            bestTypo[d] = alt.typo ? 1 : 0;
          }
        }
      }
      for (const d of local) {
        if (matched[d] === 0 && acc[d] === 0) touched.push(d);
        acc[d] += best[d];
        matched[d]++;
        if (bestTypo[d]) typo[d] = 1;
        best[d] = 0;
        bestTypo[d] = 0;
      }
    });
    const hits = touched.map((doc) => {
      const h = { doc, score: acc[doc], matched: matched[doc], typo: typo[doc] === 1 };
      acc[doc] = 0;
      matched[doc] = 0;
      typo[doc] = 0;
      return h;
    });
    return { hits, concepts: concepts.length };
  }
}

function analyzeFields(t: FieldTexts): Record<Field, string[]> {
  const out = {} as Record<Field, string[]>;
  for (const f of FIELDS) out[f] = analyzeText(t[f]);
  return out;
}
