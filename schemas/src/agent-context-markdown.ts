/** Small markdown helpers for the agent-context document: code spans, heading demotion, paragraph trimming. */

/** Line endings vary with the writer's OS; the document must not. */
export const normalizeNewlines = (text: string): string => text.replace(/\r\n?/g, '\n');

/** Collapses whitespace so free text fits on one list line. */
export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** An inline code span that survives backticks inside `text` (CommonMark: a longer fence plus padding). */
export function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const runs = flat.match(/`+/g) ?? [];
  if (runs.length === 0) return `\`${flat}\``;
  const fence = '`'.repeat(Math.max(...runs.map((r) => r.length)) + 1);
  return `${fence} ${flat} ${fence}`;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^( {0,3})(#{1,6})(?=[ \t]|$)/;

interface FenceState {
  marker: string | undefined;
}

/** Tracks fenced code blocks line by line; returns true when `line` is inside (or delimits) a fence. */
function inFence(line: string, state: FenceState): boolean {
  const m = FENCE.exec(line);
  if (state.marker !== undefined) {
    if (m && m[1][0] === state.marker[0] && m[1].length >= state.marker.length && line.trim() === m[1]) state.marker = undefined;
    return true;
  }
  if (m && !(m[1][0] === '`' && line.slice(line.indexOf(m[1]) + m[1].length).includes('`'))) {
    state.marker = m[1];
    return true;
  }
  return false;
}

/** A paragraph line that a setext underline (`---`) would turn into a heading. */
const plainText = (line: string): boolean =>
  line.trim().length > 0 && !/^ {4}/.test(line) && !/^\s*([#>|*+-]|\d+[.)]\s|<)/.test(line);

/**
 * Shifts every heading down by `shift` levels (capped at 6) so the text nests under the document's own
 * headings; setext headings become ATX. Code fences are left byte-for-byte untouched.
 */
export function demoteHeadings(markdown: string, shift: number): string {
  const lines = normalizeNewlines(markdown).split('\n');
  const state: FenceState = { marker: undefined };
  const out: string[] = [];
  const level = (n: number) => '#'.repeat(Math.min(6, n + shift));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (inFence(line, state)) {
      out.push(line);
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      out.push(`${atx[1]}${level(atx[2].length)}${line.slice(atx[0].length)}`);
      continue;
    }
    const next = lines[i + 1];
    const underline = next === undefined ? undefined : /^ {0,3}(=+|-+)[ \t]*$/.exec(next);
    const prevBlank = i === 0 || lines[i - 1].trim() === '' || out[out.length - 1]?.startsWith('#');
    if (underline && plainText(line) && prevBlank && !FENCE.test(line)) {
      out.push(`${level(underline[1][0] === '=' ? 1 : 2)} ${line.trim()}`);
      i++;
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

/** Splits markdown into blocks at blank lines outside code fences, so a cut never lands inside a fence. */
export function paragraphBlocks(markdown: string): string[] {
  const lines = normalizeNewlines(markdown).split('\n');
  const state: FenceState = { marker: undefined };
  const blocks: string[] = [];
  let current: string[] = [];
  for (const line of lines) {
    const fenced = inFence(line, state);
    if (!fenced && line.trim() === '') {
      if (current.length > 0) blocks.push(current.join('\n'));
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) blocks.push(current.join('\n'));
  return blocks;
}

/** The longest prefix of whole paragraphs (joined by blank lines) within `maxChars`; '' when none fits. */
export function trimAtParagraph(markdown: string, maxChars: number): string {
  let out = '';
  for (const block of paragraphBlocks(markdown)) {
    const next = out === '' ? block : `${out}\n\n${block}`;
    if (next.length > maxChars) break;
    out = next;
  }
  return out;
}
