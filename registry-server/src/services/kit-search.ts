import type { KitListQuery, KitListResponse, KitSummary } from '@iii-registry/schemas';
import type { KitListRow } from '../db/kits-types';
import type { KitReadDeps } from './kit-read';

/**
 * `GET /k?search=&tag=&handle=&limit=`: kits ranked by where the words match (id > tags > description, agents and
 * skills), then downloads. Kits are few next to workers, so this scans the listing rows; every word must match.
 */
export function toKitSummary(r: KitListRow): KitSummary {
  const d = r.version.doc;
  return {
    id: `${r.kit.handle}/${r.kit.name}`,
    author: { handle: r.kit.handle, name: null, verified: r.kit.owner_admin || r.kit.owner_key_id === null },
    name: r.kit.name,
    description: d.description,
    version: r.version.version,
    tags: d.tags,
    counts: { agents: d.agents.length, skills: d.skills.length, workers: d.workers.length },
    published_at: r.version.published_at,
    total_downloads: r.kit.total_downloads,
    deprecated: r.version.status === 'deprecated',
  };
}

function score(r: KitListRow, words: string[]): number {
  const id = `${r.kit.handle}/${r.kit.name}`;
  let total = 0;
  for (const w of words) {
    if (id.includes(w)) total += id === w || r.kit.name === w ? 100 : 10;
    else if (r.version.doc.tags.includes(w)) total += 5;
    else if (r.search_text.includes(w)) total += 1;
    else return 0;
  }
  return total;
}

export async function listKits(deps: KitReadDeps, query: KitListQuery): Promise<KitListResponse> {
  const words = (query.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const rows = (await deps.kits.list())
    .filter((r) => !query.tag || r.version.doc.tags.includes(query.tag))
    .filter((r) => !query.handle || r.kit.handle === query.handle)
    .map((r) => ({ r, s: words.length === 0 ? 1 : score(r, words) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || b.r.kit.total_downloads - a.r.kit.total_downloads || (a.r.kit.handle + a.r.kit.name).localeCompare(b.r.kit.handle + b.r.kit.name));
  return { kits: rows.slice(0, query.limit ?? 50).map((x) => toKitSummary(x.r)), total: rows.length };
}
