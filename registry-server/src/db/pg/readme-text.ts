import { stemmer } from 'stemmer';

/** Letters FTS5's unicode61 folds besides lower-casing: the micro sign to mu, final sigma to sigma. */
const FOLD: Record<string, string> = { '\u00b5': '\u03bc', '\u03c2': '\u03c3' };
/** Combining diacritical marks: unicode61 drops them; any other mark separates words, as punctuation does. */
const DIACRITICS = /[\u0300-\u036f]/g;

/**
 * README words exactly as SQLite's FTS5 `unicode61` tokenizer cuts them: diacritics removed from Latin letters
 * (`café` → `cafe`, not Cyrillic `й` or Greek `ά`), lower-cased (µ and ς folded as unicode61 folds them), split on
 * anything that is not a letter or a digit (so other combining marks split a word, as in FTS5).
 */
export function readmeWords(text: string): string[] {
  return text
    .replace(/\p{Script=Latin}/gu, (c) => c.normalize('NFD').replace(DIACRITICS, ''))
    .replace(DIACRITICS, '')
    .toLowerCase()
    .replace(/[\u00b5\u03c2]/g, (c) => FOLD[c])
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** FTS5's porter tokenizer leaves tokens longer than this many bytes as they are. */
const PORTER_MAX_BYTES = 64;

/**
 * A word as SQLite's `porter` tokenizer stores it: the English Porter stem of the `stemmer` package the metadata
 * search uses too. FTS5 counts bytes where `stemmer` counts characters: tokens over 64 bytes stay whole, and a
 * two-character word of three or more bytes still loses a final `s` (the only rule that can apply to it).
 */
export function readmeStem(word: string): string {
  const bytes = Buffer.byteLength(word);
  if (bytes > PORTER_MAX_BYTES) return word;
  if (word.length < 3 && bytes >= 3) return word.length === 2 && word.endsWith('s') && word !== 'ss' ? word.slice(0, 1) : word;
  return stemmer(word);
}

/** A tsvector keeps at most this many positions per lexeme. */
const MAX_POSITIONS = 256;
/** PostgreSQL refuses a lexeme of 2047 bytes or more, and a tsvector whose lexemes exceed 1 MiB in total. */
const MAX_LEXEME_BYTES = 2046;
const MAX_TSVECTOR_LEXEME_BYTES = 1_000_000;

/**
 * The two column values stored with a version: its stemmed README words as a tsvector literal (cast with
 * `::tsvector`, so PostgreSQL's parser never re-cuts them) and their count. Only how often each word occurs matters
 * for ranking (no phrase queries), so a word occurring n times gets positions 1..n. PostgreSQL indexes this word
 * list, so both backends see the same terms, counts and lengths, and rank alike (see readme-search-repository).
 */
export function readmeColumns(readme: string | undefined): { tsv: string; length: number } {
  const words = readmeWords(readme ?? '').map(readmeStem);
  const counts = new Map<string, number>();
  let budget = MAX_TSVECTOR_LEXEME_BYTES;
  for (const w of words) {
    const n = counts.get(w);
    if (n !== undefined) counts.set(w, n + 1);
    else {
      // Words PostgreSQL cannot index are left out (they still count in the README's length).
      const bytes = Buffer.byteLength(w);
      if (bytes > MAX_LEXEME_BYTES || bytes > budget) continue;
      budget -= bytes;
      counts.set(w, 1);
    }
  }
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
