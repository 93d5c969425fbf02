import { stemmer } from 'stemmer';

/**
 * README words exactly as SQLite's FTS5 `unicode61` tokenizer cuts them: diacritics removed, lower-cased, split on
 * anything that is not a letter or a digit.
 */
export function readmeWords(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * A word as SQLite's `porter` tokenizer stores it: the English Porter stem (the `stemmer` package the metadata
 * search uses too; like FTS5's porter, it keeps words under 3 letters as they are).
 */
export const readmeStem = (word: string): string => stemmer(word);

/** A tsvector keeps at most this many positions per lexeme. */
const MAX_POSITIONS = 256;

/**
 * The two column values stored with a version: its stemmed README words as a tsvector literal (cast with
 * `::tsvector`, so PostgreSQL's parser never re-cuts them) and their count. Only how often each word occurs matters
 * for ranking (no phrase queries), so a word occurring n times gets positions 1..n. PostgreSQL indexes this word
 * list, so both backends see the same terms, counts and lengths, and rank alike (see readme-search-repository).
 */
export function readmeColumns(readme: string | undefined): { tsv: string; length: number } {
  const words = readmeWords(readme ?? '').map(readmeStem);
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  const entries = [...counts].map(([w, n]) => {
    const positions = Array.from({ length: Math.min(n, MAX_POSITIONS) }, (_, i) => i + 1).join(',');
    return `'${w.replace(/\\/g, '\\\\').replace(/'/g, "''")}':${positions}`;
  });
  return { tsv: entries.join(' '), length: words.length };
}

/**
 * Query words as the SQLite repository reads them: each typed word keeps only its letters and digits (`key-value`
 * is one word, `keyvalue`), then is cut and stemmed like the README text.
 */
export const readmeQueryTerms = (terms: string[]): string[] =>
  terms.flatMap((t) => readmeWords(t.replace(/[^\p{L}\p{N}]/gu, '')).map(readmeStem));
