/**
 * The words of the index as written (`spreadsheets`, `postgres`), each with its stem, as a structure for the two
 * lookups a query may need beyond an exact term: completions of a prefix (binary search in a sorted array) and
 * words within a small edit distance (a symmetric-delete table: every word is filed under itself with one letter
 * removed, so a typo and its target meet under a shared key; candidates are then checked with the
 * optimal-string-alignment distance). Neither scans the vocabulary. Lookups answer stems, the index's terms.
 */
export class Vocabulary {
  private readonly stemOf: Map<string, string>;
  private sorted: string[] = [];
  private sortedDirty: boolean;

  /** Empty, or the words (word -> stem) of another vocabulary (a persisted index, search/snapshot.ts). */
  constructor(words?: Map<string, string>) {
    this.stemOf = words ?? new Map();
    this.sortedDirty = this.stemOf.size > 0;
  }

  /** Every word as written, with its stem. */
  get words(): Map<string, string> {
    return this.stemOf;
  }
  /** Built on the first typo lookup (most queries never need one; start-up need not pay for it). */
  private deletes: Map<string, string[]> | undefined;

  add(word: string, stemmed: string): void {
    if (this.stemOf.has(word)) return;
    this.stemOf.set(word, stemmed);
    this.sortedDirty = true;
    if (this.deletes) this.fileDeletes(this.deletes, word);
  }

  private fileDeletes(deletes: Map<string, string[]>, word: string): void {
    if (word.length < MIN_TYPO_WORD) return;
    for (const key of deleteKeys(word)) {
      const list = deletes.get(key);
      if (list) list.push(word);
      else deletes.set(key, [word]);
    }
  }

  get size(): number {
    return this.stemOf.size;
  }

  /** Stems of words that start with `prefix` (not the word itself), shortest words first, at most `max`. */
  completions(prefix: string, max: number): string[] {
    if (this.sortedDirty) {
      this.sorted = [...this.stemOf.keys()].sort();
      this.sortedDirty = false;
    }
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const found: string[] = [];
    for (let i = lo; i < this.sorted.length && found.length < max * 4 && this.sorted[i].startsWith(prefix); i++)
      if (this.sorted[i] !== prefix) found.push(this.sorted[i]);
    found.sort((a, b) => a.length - b.length);
    return [...new Set(found.map((w) => this.stemOf.get(w) as string))].slice(0, max);
  }

  /** Stems of words within `maxEdits` (1 or 2) of `word`, with the distance; only words sharing a one-delete key. */
  near(word: string, maxEdits: number): Map<string, number> {
    if (!this.deletes) {
      const deletes = new Map<string, string[]>();
      for (const w of this.stemOf.keys()) this.fileDeletes(deletes, w);
      this.deletes = deletes;
    }
    const out = new Map<string, number>();
    const seen = new Set<string>();
    for (const key of deleteKeys(word)) {
      for (const candidate of this.deletes.get(key) ?? []) {
        if (seen.has(candidate) || candidate === word) continue;
        seen.add(candidate);
        const d = osaDistance(word, candidate, maxEdits);
        const stemmed = this.stemOf.get(candidate) as string;
        if (d <= maxEdits && d < (out.get(stemmed) ?? Infinity)) out.set(stemmed, d);
      }
    }
    return out;
  }
}

/** Words shorter than this are never corrected (too many neighbours), so they need no delete keys. */
export const MIN_TYPO_WORD = 4;

/** The word and every copy of it with one letter removed. */
function deleteKeys(word: string): Set<string> {
  const keys = new Set<string>([word]);
  for (let i = 0; i < word.length; i++) keys.add(word.slice(0, i) + word.slice(i + 1));
  return keys;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), giving up past `max`. */
export function osaDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}
