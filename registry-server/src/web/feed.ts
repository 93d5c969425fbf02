import type { RecentPublish } from '../services/types';
import { escapeHtml, withQuery, workerPath } from './html';

const EPOCH = '1970-01-01T00:00:00.000Z';

/**
 * An Atom feed of publishes. Entry ids are the immutable version URLs, so a reader never sees the same
 * publish twice; `updated` is the newest publish so the bytes (and the ETag) only change when something did.
 */
export function atomFeed(o: { publicUrl: string; selfPath: string; title: string; entries: RecentPublish[] }): string {
  const base = o.publicUrl.replace(/\/+$/, '');
  const x = escapeHtml;
  const updated = o.entries.reduce((max, e) => (e.published_at > max ? e.published_at : max), EPOCH);
  const entries = o.entries.map((e) => {
    const url = `${base}${withQuery(workerPath(e.name), { version: e.version })}`;
    return `<entry>
<id>${x(url)}</id>
<title>${x(`${e.name} ${e.version}`)}</title>
<updated>${x(e.published_at)}</updated>
<link rel="alternate" type="text/html" href="${x(url)}"/>
<summary>${x(e.description || `${e.name} ${e.version} was published.`)}</summary>
</entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${x(base + o.selfPath)}</id>
<title>${x(o.title)}</title>
<updated>${x(updated)}</updated>
<link rel="self" type="application/atom+xml" href="${x(base + o.selfPath)}"/>
<link rel="alternate" type="text/html" href="${x(base + '/')}"/>
<author><name>iii workers registry</name></author>
${entries.join('\n')}
</feed>
`;
}
