import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import semver from 'semver';

/**
 * A small real HTTP server speaking the Kits API exactly as kits.md §2 describes (client view), plus
 * GET /w/{name}/skills, with switches for the faults the directory must survive. The e2e tests use the real
 * registry process instead.
 */
export interface FakeKitVersion {
  files: Record<string, string>;
  workers?: Array<{ name: string; range: string; resolved?: string }>;
  deprecation?: { message?: string; replaced_by?: string };
  agents?: Array<{ id: string; path: string; model?: string; functions?: string[] }>;
}

export interface FakeKitRegistry {
  url: string;
  /** Every request as "METHOD path?query". */
  requests: string[];
  publish(kit: string, version: string, v: FakeKitVersion, tag?: string): void;
  skills: Map<string, { version: string; skills: Array<{ path: string; content: string }> }>;
  /** ok; 'error': every answer 503; 'garbage': every answer 200 with a non-JSON body. */
  mode: 'ok' | 'error' | 'garbage';
  /** Paths whose /download content differs from /files (integrity fault). */
  tamper: Set<string>;
  close(): Promise<void>;
}

const sha = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');

export async function startFakeKitRegistry(): Promise<FakeKitRegistry> {
  const kits = new Map<string, { versions: Map<string, FakeKitVersion>; tags: Record<string, string> }>();
  const blobs = new Map<string, string>();
  const state: Omit<FakeKitRegistry, 'url' | 'close'> = {
    requests: [], skills: new Map(), mode: 'ok', tamper: new Set(),
    publish(kit, version, v, tag = 'latest') {
      const k = kits.get(kit) ?? { versions: new Map<string, FakeKitVersion>(), tags: {} as Record<string, string> };
      k.versions.set(version, v);
      if (tag) k.tags[tag] = version;
      kits.set(kit, k);
      for (const content of Object.values(v.files)) blobs.set(sha(content), content);
    },
  };
  const detail = (kit: string, version: string, v: FakeKitVersion, tags: Record<string, string>) => {
    const [handle = '', name = ''] = kit.split('/');
    return { id: kit, name, version, author: { handle, name: handle, verified: false }, release_tags: tags,
      deprecation: v.deprecation ?? null, workers: v.workers ?? [],
      agents: (v.agents ?? []).map((a) => ({ ...a, sha256: sha(v.files[a.path] ?? ''), skills: [], functions: a.functions ?? [] })),
      skills: [], notes: `notes ${version}` };
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      state.requests.push(`${req.method} ${url.pathname}${url.search}`);
      const send = (status: number, value: unknown, raw = false) => {
        res.writeHead(status, { 'content-type': raw ? 'text/plain' : 'application/json' });
        res.end(raw ? String(value) : JSON.stringify(value));
      };
      if (state.mode === 'error') return send(503, { error: { code: 'unavailable', message: 'down', fix: 'wait' } });
      if (state.mode === 'garbage') return send(200, '<html>garbage', true);
      const notFound = () => send(404, { error: 'Kit not found' });
      const skills = /^\/w\/([^/]+)\/skills$/.exec(url.pathname);
      if (skills) {
        const s = state.skills.get(skills[1] ?? '');
        return s ? send(200, { name: skills[1], version: s.version, skills: s.skills, prompts: [] }) : notFound();
      }
      const blob = /^\/blobs\/([0-9a-f]{64})$/.exec(url.pathname);
      if (blob) return blobs.has(blob[1] ?? '') ? send(200, blobs.get(blob[1] ?? ''), true) : notFound();
      if (req.method === 'POST' && url.pathname === '/k/updates') {
        const queries = (JSON.parse(body) as { kits: Array<{ kit: string; version: string; requested: string }> }).kits;
        return send(200, { kits: queries.map((q) => {
          const k = kits.get(q.kit);
          if (!k) return { kit: q.kit, not_found: true, major: false };
          const versions = [...k.versions.keys()];
          const range = semver.validRange(q.requested) ? q.requested : '*';
          const latest = k.tags.latest ?? null;
          const candidates = q.requested === 'latest' ? (latest ? [latest] : []) : versions.filter((v) => semver.satisfies(v, range));
          const best = semver.maxSatisfying(candidates, '*');
          const available = best && semver.gt(best, q.version) ? best : null;
          return { kit: q.kit, current: q.version, available, latest, major: available ? semver.major(available) !== semver.major(q.version) : false, not_found: false };
        }) });
      }
      const m = /^\/k\/([^/]+\/[^/]+)(\/[a-z]+)?$/.exec(url.pathname);
      const k = m ? kits.get(m[1] ?? '') : undefined;
      if (!m || !k) return notFound();
      const kit = m[1] ?? '';
      const sub = m[2] ?? '';
      if (sub === '/versions') return send(200, { release_tags: k.tags, versions: [...k.versions.keys()].map((version) => ({ version, tags: [] })) });
      const asked = url.searchParams.get('version') ?? 'latest';
      const version = k.tags[asked] ?? asked;
      const v = k.versions.get(version);
      if (!v) return notFound();
      if (sub === '') return send(200, { kit: detail(kit, version, v, k.tags) });
      if (sub === '/functions') return send(200, { functions: [] });
      if (sub === '/readme') return send(200, `# ${kit}`, true);
      if (sub === '/files' || sub === '/download') {
        const files = Object.entries(v.files).map(([path, content]) => {
          const served = sub === '/download' && state.tamper.has(path) ? `${content}\ntampered` : content;
          return { path, sha256: sha(served), content: served };
        });
        return send(200, { version, files, workers: v.workers ?? [] });
      }
      return notFound();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }) as FakeKitRegistry;
}
