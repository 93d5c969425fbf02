import { STOP_WORDS } from './analyze';
import { ENTRY_FIELDS, FIELDS, type Field, type FieldTexts } from './fields';

/** A document's analysed words: per field, per entry (one entry per function or trigger in per-entry fields). */
export type Analyzed = Record<Field, string[][]>;

/** Field lengths (total words, entries) for BM25F's length normalisation. */
export function estimatedLengths(t: FieldTexts): Record<Field, [number, number]> {
  const out = {} as Record<Field, [number, number]>;
  for (const f of FIELDS) out[f] = [t[f].reduce((n, text) => n + countWords(text), 0), ENTRY_FIELDS.has(f) ? t[f].length : 1];
  return out;
}

const countWords = (text: string): number => {
  let n = 0;
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) if (!STOP_WORDS.has(m[0].toLowerCase())) n++;
  return n;
};

export function lengthsOf(a: Analyzed): Record<Field, [number, number]> {
  const out = {} as Record<Field, [number, number]>;
  for (const f of FIELDS) {
    const total = a[f].reduce((n, t) => n + t.length, 0);
    out[f] = [total, ENTRY_FIELDS.has(f) ? a[f].length : 1];
  }
  return out;
}
