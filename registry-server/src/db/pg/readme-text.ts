/**
 * README words exactly as SQLite's FTS5 `unicode61` tokenizer cuts them: diacritics removed, lower-cased, split on
 * anything that is not a letter or a digit. PostgreSQL indexes this word list (not its own parser's reading of the
 * raw text), so both backends see the same words, counts and lengths, and rank alike (see readme-search-repository).
 */
export function readmeWords(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** The two column values stored with a version: text for to_tsvector('simple', ...) and its length in words. */
export function readmeColumns(readme: string | undefined): { words: string; length: number } {
  const words = readmeWords(readme ?? '');
  return { words: words.join(' '), length: words.length };
}
