import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AssetUrls } from './layout';

export interface Asset {
  body: string;
  type: string;
  etag: string;
}

export interface Assets {
  files: Record<string, Asset>;
  urls: AssetUrls;
}

/**
 * Reads the stylesheet and the script once, at registration. Pages link them with a content hash in the query
 * so the files can be cached for a year and still change on the next deploy.
 */
export function loadAssets(): Assets {
  const read = (file: string, type: string): Asset => {
    const body = readFileSync(new URL(`./assets/${file}`, import.meta.url), 'utf8');
    return { body, type, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"` };
  };
  const files = {
    'site.css': read('site.css', 'text/css; charset=utf-8'),
    'site.js': read('site.js', 'text/javascript; charset=utf-8'),
    'favicon.svg': read('favicon.svg', 'image/svg+xml; charset=utf-8'),
  };
  const v = (f: keyof typeof files) => files[f].etag.slice(1, 9);
  return {
    files,
    urls: { css: `/assets/site.css?v=${v('site.css')}`, js: `/assets/site.js?v=${v('site.js')}`, icon: `/assets/favicon.svg?v=${v('favicon.svg')}` },
  };
}
