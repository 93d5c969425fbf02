import { Parser } from 'htmlparser2';

/**
 * A README for an agent: its Markdown kept, the HTML inside it reduced to text. READMEs on GitHub mix the two
 * (`<p align="center"><img alt="logo"></p>`, badge rows, `<details>`); an agent needs the words, not the markup.
 * Images (HTML or Markdown) become their alt text, or nothing without one; links keep their text (Markdown links
 * keep their target too, they are facts); block tags become line breaks; script, style and comments vanish;
 * entities are decoded. Fenced code blocks and inline code spans are never touched (`Array<string>` is code).
 * Parsing is htmlparser2's (the parser sanitize-html uses), not regular expressions.
 */

const BLOCK = new Set(['p', 'div', 'br', 'details', 'summary', 'section', 'article', 'header', 'footer', 'table', 'tr', 'ul', 'ol', 'li', 'hr', 'center', 'picture', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'dl', 'dt', 'dd']);
const INLINE = new Set(['a', 'img', 'b', 'i', 'strong', 'em', 'kbd', 'sub', 'sup', 'span', 'code', 'td', 'th', 'source', 'small', 'u', 's', 'del', 'ins', 'mark', 'abbr', 'tbody', 'thead']);
const DROP = new Set(['script', 'style', 'svg', 'iframe', 'object', 'noscript', 'template']);
const HTML_TAG = /<\/?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>|<!--/;

/** HTML of one Markdown segment (no code in it) as text. Tags it does not know stay as written. */
function htmlToText(html: string): string {
  let out = '';
  let dropping = 0;
  const parser = new Parser(
    {
      onopentag(tag, attribs) {
        const name = tag.toLowerCase();
        if (DROP.has(name)) dropping++;
        else if (dropping > 0) return;
        else if (name === 'img') out += attribs.alt?.trim() ? attribs.alt.trim() : '';
        else if (name === 'li') out += '\n- ';
        else if (BLOCK.has(name)) out += '\n';
        else if (!INLINE.has(name)) out += `<${tag}>`;
      },
      ontext(text) {
        if (dropping === 0) out += text;
      },
      onclosetag(tag, implied) {
        const name = tag.toLowerCase();
        if (DROP.has(name)) dropping = Math.max(0, dropping - 1);
        else if (dropping > 0) return;
        else if (BLOCK.has(name) && name !== 'br' && name !== 'hr') out += '\n';
        else if (!INLINE.has(name) && !BLOCK.has(name) && !implied) out += `</${tag}>`;
      },
    },
    { decodeEntities: true, lowerCaseTags: false },
  );
  parser.write(html);
  parser.end();
  return out;
}

/** Markdown images `![alt](src)` (a badge is one, often inside a link) become their alt text. */
const mdImages = (text: string): string =>
  text.replace(/\[!\[([^\]]*)\]\([^)]*\)\]\([^)]*\)/g, '$1').replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1');

/** Collapses the blank lines and trailing spaces that removed markup leaves behind. */
const tidy = (text: string): string => text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n');

/** Splits Markdown into code (fences, inline spans: kept) and prose (cleaned). */
export function readmeToText(markdown: string): string {
  const parts = markdown.split(/(^ {0,3}(?:```|~~~)[^\n]*\n[\s\S]*?^ {0,3}(?:```|~~~)[ \t]*$|`[^`\n]+`)/m);
  const out = parts.map((part, i) => {
    if (i % 2 === 1) return part;
    const prose = mdImages(part);
    return HTML_TAG.test(prose) ? htmlToText(prose) : prose;
  });
  return tidy(out.join('')).trim();
}
