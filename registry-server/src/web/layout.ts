import { html, type SafeHtml } from './html';

export interface AssetUrls {
  css: string;
  js: string;
  icon: string;
}

export interface LayoutOptions {
  title: string;
  description?: string;
  assets: AssetUrls;
  body: SafeHtml;
  /** The header search box; the index page has its own and turns this off. */
  headerSearch?: boolean;
  /** Extra Atom feed for this page (a worker's own feed). */
  feed?: { href: string; title: string };
}

/** The document around every page: one stylesheet and one deferred script from this host, nothing inline. */
export function layout(o: LayoutOptions): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title}</title>
${o.description && html`<meta name="description" content="${o.description}">`}
<link rel="stylesheet" href="${o.assets.css}">
<link rel="icon" type="image/svg+xml" href="${o.assets.icon}">
<link rel="alternate" type="application/atom+xml" title="Recent publishes" href="/feed.xml">
${o.feed && html`<link rel="alternate" type="application/atom+xml" title="${o.feed.title}" href="${o.feed.href}">`}
<script src="${o.assets.js}" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<a class="brand" href="/">iii workers</a>
${o.headerSearch !== false && html`<form class="header-search" role="search" action="/workers" method="get">
<label for="header-search-input" class="visually-hidden">Search workers</label>
<input id="header-search-input" type="search" name="search" placeholder="Search workers" maxlength="256">
<button type="submit">Search</button>
</form>`}
</header>
<main id="main">
${o.body}
</main>
<footer class="site-footer">
<nav aria-label="Site"><a href="/">All workers</a> · <a href="/kits">Kits</a> · <a href="/feed.xml">Recent publishes (Atom)</a></nav>
</footer>
</body>
</html>
`;
}
