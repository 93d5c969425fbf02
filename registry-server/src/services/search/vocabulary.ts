/**
 * The index's terms as a structure for the two lookups a query may need beyond an exact term: completions of a
 * prefix (binary search in a sorted array) and terms within a small edit distance (a symmetric-delete table:
 * every term is filed under itself with one letter removed, so a typo and its target meet under a shared key;
 * candidates are then checked with the optimal-string-alignment distance). Neither scans the vocabulary.
 * Synonym tokens (`~kv`) are not words and stay out.
 */
export class Vocabulary {
  private readonly terms = new Set<string>();
  private sorted: string[] = [];
  private sortedDirty = false;
  private deletes = new Map<string, string[]>();

  add(term: string): void {
    if (term.startsWith('~') || this.terms.has(term)) return;
    this.terms.add(term);
    this.sortedDirty = true;
    for (const key of deleteKeys(term)) {
      const list = this.deletes.get(key);
      if (list) list.push(term);
      else this.deletes.set(key, [term]);
    }
  }

  clear(): void {
    this.terms.clear();
    this.sorted = [];
    this.deletes = new Map();
  }

  /** Terms that start with `prefix` (not `prefix` itself), shortest first, at most `max`. */
  completions(prefix: string, max: number): string[] {
    if (this.sortedDirty) {
      this.sorted = [...this.terms].sort();
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
    return found.sort((a, b) => a.length - b.length).slice(0, max);
  }

  /** Terms within `maxEdits` (1 or 2) of `word`, as [term, distance]; only pairs that share a one-delete key. */
  near(word: string, maxEdits: number): [string, number][] {
    const out = new Map<string, number>();
    for (const key of deleteKeys(word)) {
      for (const term of this.deletes.get(key) ?? []) {
        if (out.has(term) || term === word) continue;
        const d = osaDistance(word, term, maxEdits);
        if (d <= maxEdits) out.set(term, d);
      }
    }
    return [...out];
  }
}

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
