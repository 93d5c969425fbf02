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
  'way', 'using', 'use', 'via', 'thing', 'things', 'stuff', 'there', 'these', 'those', 'has', 'have', 'like',
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

/** The phrase group starting at `i`, and how many words it spans. */
function phraseAt(terms: string[], i: number): { group: string; span: number } | undefined {
  for (const p of PHRASES.get(terms[i]) ?? [])
    if (p.rest.every((r, k) => terms[i + 1 + k] === r)) return { group: p.group, span: 1 + p.rest.length };
  return undefined;
}

/** Tokens of a document field: stems, plus a synonym token for each member word or phrase. */
export function analyzeText(text: string): string[] {
  const terms = words(text).filter((w) => !STOP_WORDS.has(w)).map(stem);
  const out = terms.slice();
  for (let i = 0; i < terms.length; i++) {
    const single = SINGLE.get(terms[i]);
    if (single) out.push(synonymToken(single));
    const phrase = phraseAt(terms, i);
    if (phrase) out.push(synonymToken(phrase.group));
  }
  return out;
}

/** One query concept: alternatives that satisfy it, each with its weight; `word` is what the user typed. */
export interface Concept {
  word: string;
  stem?: string;
  synonym?: { token: string; weight: number };
}

/** Query words as concepts; a synonym phrase (`key value`) becomes one concept answered by its group token. */
export function analyzeQuery(query: string): Concept[] {
  const raw = words(query).filter((w) => !STOP_WORDS.has(w));
  const terms = raw.map(stem);
  const out: Concept[] = [];
  for (let i = 0; i < terms.length; i++) {
    const phrase = phraseAt(terms, i);
    if (phrase) {
      out.push({ word: raw.slice(i, i + phrase.span).join(' '), synonym: { token: synonymToken(phrase.group), weight: 1 } });
      i += phrase.span - 1;
      continue;
    }
    const single = SINGLE.get(terms[i]);
    out.push({ word: raw[i], stem: terms[i], ...(single ? { synonym: { token: synonymToken(single), weight: SYNONYM_WEIGHT } } : {}) });
  }
  return out;
}
