import { escapeHtml } from './html';

/** Rough advance widths of 11px Verdana, so label and value boxes fit their text without a font at hand. */
function textWidth(text: string): number {
  let w = 0;
  for (const c of text) w += /[mwMW@]/.test(c) ? 10 : /[A-Z0-9#%&_]/.test(c) ? 7.5 : /[iljtf.:,;'|! ]/.test(c) ? 3.8 : 6.6;
  return Math.ceil(w);
}

export const BADGE_COLORS = { ok: '#2e7d32', info: '#1565c0', warn: '#b26a00', error: '#b71c1c', label: '#555' } as const;

/** A flat two-part badge (label | value), shields.io style, self-contained: no fonts or images fetched. */
export function badgeSvg(label: string, value: string, color: string): string {
  const lw = textWidth(label) + 12;
  const vw = textWidth(value) + 12;
  const total = lw + vw;
  const l = escapeHtml(label);
  const v = escapeHtml(value);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="20" role="img" aria-label="${l}: ${v}">
<title>${l}: ${v}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${total}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="${BADGE_COLORS.label}"/><rect x="${lw}" width="${vw}" height="20" fill="${color}"/><rect width="${total}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${l}</text><text x="${lw / 2}" y="14">${l}</text>
<text x="${lw + vw / 2}" y="15" fill="#010101" fill-opacity=".3">${v}</text><text x="${lw + vw / 2}" y="14">${v}</text>
</g>
</svg>
`;
}
