/** The measured read paths (the four worker reads, and the kit detail when the catalog has kits), each as the rotating request list autocannon sends and the bare route that mirrors it. */
import type { AutocannonRequest } from 'autocannon';
import type { ResolveRequest } from '@iii-registry/schemas';
import { SYNTHETIC_QUERIES } from '@iii-registry/seed';
import type { BareRoute } from './bare-server';
import { BENCH_KIT_HANDLE } from './kits';

export interface Endpoint {
  name: string;
  /** The bare route shares the registry's URL pattern so both servers get byte-identical request lists. */
  route: Pick<BareRoute, 'method' | 'url'>;
  requests: AutocannonRequest[];
}

/** `count` names spread evenly over the catalog, so the rotation touches old and new rows alike. */
export function spreadNames(names: string[], count: number): string[] {
  const step = Math.max(1, Math.floor(names.length / count));
  return names.filter((_, i) => i % step === 0).slice(0, count);
}

export function searchRequests(): AutocannonRequest[] {
  return SYNTHETIC_QUERIES.map((q) => ({ method: 'GET', path: `/w?search=${encodeURIComponent(q)}` }));
}

/**
 * Two-word queries that never repeat within a run (word pairs across SYNTHETIC_QUERIES), so a per-query result
 * cache in the registry cannot answer them: this is the cold cost of a search.
 */
export function distinctSearchRequests(count = 5000): AutocannonRequest[] {
  const words = [...new Set(SYNTHETIC_QUERIES.flatMap((q) => q.split(/\s+/)))];
  const out: AutocannonRequest[] = [];
  for (let i = 0; i < words.length && out.length < count; i++)
    for (let j = 0; j < words.length && out.length < count; j++)
      if (i !== j) out.push({ method: 'GET', path: `/w?search=${encodeURIComponent(`${words[i]} ${words[j]}`)}` });
  // Interleave so consecutive requests do not share their first word.
  return out.map((r, k) => ({ r, key: (k * 7919) % out.length })).sort((a, b) => a.key - b.key).map((x) => x.r);
}

export function endpoints(names: string[], kits: string[] = []): Endpoint[] {
  const json = { 'content-type': 'application/json' };
  const resolveBody = (worker: string): string => JSON.stringify({ worker, version: 'latest' } satisfies Partial<ResolveRequest>);
  return [
    {
      name: 'GET /w/{slug}',
      route: { method: 'GET', url: '/w/:slug' },
      requests: names.map((n) => ({ method: 'GET', path: `/w/${n}` })),
    },
    {
      name: 'GET /w?search= (2-word queries)',
      route: { method: 'GET', url: '/w' },
      requests: searchRequests(),
    },
    {
      name: 'GET /workers/{name}.md',
      route: { method: 'GET', url: '/workers/:name.md' },
      requests: names.map((n) => ({ method: 'GET', path: `/workers/${n}.md` })),
    },
    {
      name: 'POST /resolve',
      route: { method: 'POST', url: '/resolve' },
      requests: names.map((n) => ({ method: 'POST', path: '/resolve', headers: json, body: resolveBody(n) })),
    },
    ...(kits.length === 0 ? [] : [{
      name: 'GET /k/{handle}/{name}',
      route: { method: 'GET' as const, url: '/k/:handle/:name' },
      requests: kits.map((k): AutocannonRequest => ({ method: 'GET', path: `/k/${BENCH_KIT_HANDLE}/${k}` })),
    }]),
  ];
}

/**
 * Fetches the first `count` requests of an endpoint from the real registry: every one must answer 200, and the
 * bare route is sized to their mean body length with the first one's content type.
 */
export async function sampleBodies(baseUrl: string, endpoint: Endpoint, count = 20): Promise<{ contentType: string; size: number }> {
  const sizes: number[] = [];
  let contentType = '';
  for (const r of endpoint.requests.slice(0, count)) {
    const res = await fetch(`${baseUrl}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`${endpoint.name}: ${r.method} ${r.path} answered ${res.status}: ${bytes.toString().slice(0, 300)}`);
    contentType ||= res.headers.get('content-type') ?? 'application/octet-stream';
    sizes.push(bytes.length);
  }
  return { contentType, size: Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length) };
}
