import { stemmer } from 'stemmer';
import { SYNONYM_GROUPS, SYNONYM_WEIGHT } from './synonyms';

/**
 * Text analysis shared by documents and queries: lower-case words split on anything that is not a letter or
 * digit (`image_resize::resize` → image, resize, resize), English stop words dropped, Porter stems (`scheduling`
 * → `schedul`), and synonym-group tokens (`~kv`) added where a member word or phrase occurs.
 */

export const STOP_WORDS = new Set([
  'a', 'an', 'and', 'the', 'to', 'of', 'for', 'in', 'on', 'with', 'from', 'by', 'or', 'is', 'it', 'my', 'i', 'me',
  'that', 'this', 'can', 'how', 'do', 'does', 'be', 'are', 'was', 'at', 'as', 'into', 'about', 'which', 'what',
  'where', 'when', 'who', 'we', 'you', 'our', 'your', 'any', 'some', 'something', 'want', 'need', 'needs', 'please',
  'should', 'would', 'could', 'so', 'if', 'then', 'than', 'its', 'their', 'them', 'will', 'let', 'lets', 'make',
  'way', 'using', 'use', 'via', 'thing', 'things', 'stuff', 'there', 'these', 'those', 'has', 'have', 'like', 'every',
  'each',
]);

export const words = (text: string): string[] => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);

const stems = new Map<string, string>();
/** Porter stem, memoized (the vocabulary is small); words with digits or under 4 letters stay as they are. */
export function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = word.length < 4 || /\d/.test(word) ? word : stemmer(word);
    if (stems.size < 200_000) stems.set(word, s);
  }
  return s;
}

interface Phrase {
  rest: string[];
  group: string;
}

const SINGLE = new Map<string, string>();
const PHRASES = new Map<string, Phrase[]>();
for (const [group, members] of Object.entries(SYNONYM_GROUPS)) {
  for (const member of members) {
    const parts = words(member).map(stem);
    if (parts.length === 1) SINGLE.set(parts[0], group);
    else if (parts.length > 1) {
      const list = PHRASES.get(parts[0]) ?? [];
      list.push({ rest: parts.slice(1), group });
      PHRASES.set(parts[0], list);
    }
  }
}

export const synonymToken = (group: string): string => `~${group}`;

/** The synonym token of a single-word member (`cron` → `~schedule`), if any. */
export const synonymOfStem = (stemmed: string): string | undefined => {
  const g = SINGLE.get(stemmed);
  return g === undefined ? undefined : synonymToken(g);
};

/** The phrase group starting at `i`, and how many words it spans. */
function phraseAt(terms: string[], i: number): { group: string; span: number } | undefined {
  for (const p of PHRASES.get(terms[i]) ?? [])
    if (p.rest.every((r, k) => terms[i + 1 + k] === r)) return { group: p.group, span: 1 + p.rest.length };
  return undefined;
}

/**
 * Tokens of a document field: stems, plus a synonym token for each member word or phrase. A phrase counts only
 * as written, within one clause (`key-value` yes; `keys, values` or `key and value` no). `surface` receives each
 * word as written with its stem (the vocabulary completes and corrects written words, not stems).
 */
export function analyzeText(text: string, surface?: (word: string, stemmed: string) => void): string[] {
  const out: string[] = [];
  for (const clause of text.split(CLAUSE)) {
    const all = words(clause);
    if (all.length === 0) continue;
    const stems = all.map(stem);
    for (let i = 0; i < all.length; i++) {
      const phrase = PHRASES.has(stems[i]) ? phraseAt(stems, i) : undefined;
      if (phrase) out.push(synonymToken(phrase.group));
      if (STOP_WORDS.has(all[i])) continue;
      surface?.(all[i], stems[i]);
      out.push(stems[i]);
      const single = SINGLE.get(stems[i]);
      if (single) out.push(synonymToken(single));
    }
  }
  return out;
}

const CLAUSE = /[.,;:!?()[\]{}\n]+/;

/** One query concept: alternatives that satisfy it, each with its weight; `word` is what the user typed. */
export interface Concept {
  word: string;
  stem?: string;
  synonym?: { token: string; weight: number };
}

/** Query words as concepts; a synonym phrase (`key value`) becomes one concept answered by its group token. */
export function analyzeQuery(query: string): Concept[] {
  const all = words(query);
  const stems = all.map(stem);
  const out: Concept[] = [];
  for (let i = 0; i < all.length; i++) {
    const phrase = phraseAt(stems, i);
    if (phrase) {
      out.push({ word: all.slice(i, i + phrase.span).join(' '), synonym: { token: synonymToken(phrase.group), weight: 1 } });
      i += phrase.span - 1;
      continue;
    }
    if (STOP_WORDS.has(all[i])) continue;
    const single = SINGLE.get(stems[i]);
    out.push({ word: all[i], stem: stems[i], ...(single ? { synonym: { token: synonymToken(single), weight: SYNONYM_WEIGHT } } : {}) });
  }
  return out;
}
