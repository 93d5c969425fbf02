import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type MarkdownIt from 'markdown-it';
import type sanitizeHtml from 'sanitize-html';
import { raw, type SafeHtml } from './html';

// Loaded on the first page render, not at start-up: together they take about 150 ms to import (issue 16).
const require = createRequire(import.meta.url);
let mdInstance: MarkdownIt | undefined;
let sanitizer: typeof sanitizeHtml | undefined;
const markdownIt = (): MarkdownIt =>
  (mdInstance ??= new (require('markdown-it') as typeof MarkdownIt)({ html: true, linkify: true, typographer: false }));
const sanitize = (): typeof sanitizeHtml => (sanitizer ??= require('sanitize-html') as typeof sanitizeHtml);

/**
 * READMEs and skills are untrusted. markdown-it runs with `html: true` because real READMEs lean on inline HTML
 * (`<p align="center">`, `<details>`, `<kbd>`, `<br>`) and show as tag soup without it; the security boundary is
 * sanitize-html below, which sees the complete output either way. The allowlist keeps structure only: no
 * script/style/iframe/object/form, no event handlers or style attributes, no id/name (DOM clobbering of the
 * page around it), links only http(s)/mailto/#fragment. Images are turned into links: the page promises no
 * request to any other host (and the CSP would block them anyway), so a reader clicks through instead.
 */

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
const LINK_REL = 'nofollow noopener noreferrer';
const SAFE_URL = /^(https?:\/\/|mailto:)/i;

const isSafeHref = (href: string | undefined): href is string =>
  href !== undefined && (SAFE_URL.test(href.trim()) || /^#[\w.:-]*$/.test(href));

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...HEADINGS,
    'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'kbd', 'samp', 'var', 'em', 'strong', 'b', 'i', 's', 'del',
    'ins', 'sub', 'sup', 'small', 'mark', 'abbr', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody',
    'tfoot', 'tr', 'th', 'td', 'caption', 'a', 'details', 'summary', 'span', 'div',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    abbr: ['title'],
    th: ['align', 'colspan', 'rowspan'],
    td: ['align', 'colspan', 'rowspan'],
    ol: ['start'],
    details: ['open'],
    p: ['align'],
    div: ['align'],
    span: ['class'],
  },
  allowedClasses: { code: ['language-*'], span: ['md-image'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Text inside these is code or UI, never prose: drop it with the tag.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'template'],
  transformTags: {
    // The page owns <h1>; README headings move one level down so the outline stays correct.
    ...Object.fromEntries(
      HEADINGS.map((h, i) => [h, (_tag: string, _attribs: sanitizeHtml.Attributes) => ({ tagName: HEADINGS[Math.min(i + 1, 5)], attribs: {} })]),
    ),
    a: (_tag, attribs) => {
      const { href, title } = attribs;
      const out: sanitizeHtml.Attributes = {};
      if (isSafeHref(href)) {
        out.href = href.trim();
        if (!href.startsWith('#')) out.rel = LINK_REL;
      }
      if (title !== undefined) out.title = title;
      return { tagName: 'a', attribs: out };
    },
    img: (_tag, attribs): sanitizeHtml.Tag => {
      const label = `image: ${attribs.alt?.trim() || attribs.title?.trim() || 'untitled'}`;
      if (isSafeHref(attribs.src) && /^https?:/i.test(attribs.src.trim())) {
        return { tagName: 'a', attribs: { href: attribs.src.trim(), rel: LINK_REL }, text: `[${label}]` };
      }
      return { tagName: 'span', attribs: { class: 'md-image' }, text: `[${label}]` };
    },
  },
};

/** Renders untrusted markdown to sanitized HTML, safe to place in a page with raw(). */
export function renderMarkdown(source: string): SafeHtml {
  return raw(sanitizeMarkdownHtml(markdownIt().render(source)));
}

/** Exposed for tests: the sanitizer alone, fed raw HTML. */
export function sanitizeMarkdownHtml(markup: string): string {
  return sanitize()(markup, OPTIONS);
}

export type MarkdownRenderer = (source: string) => SafeHtml;

/**
 * renderMarkdown with a small LRU keyed by the source's hash: a published README never changes, and rendering
 * plus sanitizing is most of a worker page's cost. Bounded by entries and by total cached bytes.
 */
export function createMarkdownRenderer(maxEntries = 500, maxBytes = 32 * 1024 * 1024): MarkdownRenderer {
  const cache = new Map<string, SafeHtml>();
  let bytes = 0;
  return (source) => {
    if (source.length > maxBytes / 16) return renderMarkdown(source);
    const key = createHash('sha256').update(source).digest('base64url');
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const out = renderMarkdown(source);
    cache.set(key, out);
    bytes += out.value.length;
    for (const [k, v] of cache) {
      if (cache.size <= maxEntries && bytes <= maxBytes) break;
      cache.delete(k);
      bytes -= v.value.length;
    }
    return out;
  };
}
