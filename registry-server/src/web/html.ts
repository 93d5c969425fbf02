/**
 * The one way pages build HTML: every interpolation is escaped unless it is already SafeHtml (another html``
 * fragment, or raw() around markup that went through the sanitizer). Arrays are joined, null/undefined/false
 * render nothing, so conditionals read naturally: ${cond && html`...`}.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Trusts markup as is. Only for output of the markdown sanitizer and of this module's own builders. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Query-string URL built from defined, non-empty params only (the template escapes it for attributes). */
export function withQuery(path: string, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s === '' ? path : `${path}?${s}`;
}

export const workerPath = (name: string): string => `/workers/${encodeURIComponent(name)}`;

/** "4.2k" style counts for badges and lists. */
export function compactCount(n: number): string {
  if (n < 1000) return String(n);
  const units = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const;
  for (const [size, unit] of units) {
    if (n >= size) {
      const v = n / size;
      return `${v >= 100 ? Math.round(v) : Math.round(v * 10) / 10}${unit}`;
    }
  }
  return String(n);
}

/** The date part of an ISO timestamp, or the input when it is not one. */
export const isoDate = (ts: string): string => (/^\d{4}-\d{2}-\d{2}/.test(ts) ? ts.slice(0, 10) : ts);
