import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SkillsResponse, WorkerDetail, WorkerListItem } from '@iii-registry/schemas';

/**
 * A small real HTTP server answering GET /w, GET /w/{slug} and GET /w/{slug}/skills with contract-shaped JSON,
 * for unit tests of the directory worker (the e2e tests use the real registry process).
 */
export function detail(name: string, version: string, extra: Partial<WorkerDetail> = {}): WorkerDetail {
  return {
    name,
    description: `${name} worker`,
    type: 'binary',
    version,
    repo: `https://github.com/iii-hq/${name}`,
    config: {},
    supported_targets: ['x86_64-unknown-linux-gnu'],
    total_downloads: 7,
    dependencies: [],
    author: { name: 'iii', pfp: null, verified: true },
    license: 'MIT',
    tags: ['demo'],
    experimental: false,
    readme: `# ${name}\n\nVersion ${version}.`,
    functions: [{ name: `${name}::run`, description: 'Run it.', request_schema: { type: 'object' }, response_schema: {}, metadata: {} }],
    triggers: [],
    published_at: '2026-01-01T00:00:00.000Z',
    status: 'active',
    status_message: null,
    version_tags: [],
    ...extra,
  };
}

export function listItem(d: WorkerDetail): WorkerListItem {
  const { name, description, type, version, repo, config, supported_targets, total_downloads, dependencies, author } = d;
  return { name, description, type, version, repo, config, supported_targets, total_downloads, dependencies, author };
}

export interface FakeRegistry {
  url: string;
  port: number;
  /** Every request path with its query, in arrival order. */
  requests: string[];
  /** name -> { ref (tag or version) -> detail } */
  workers: Map<string, Map<string, WorkerDetail>>;
  skills: Map<string, SkillsResponse>;
  /** When set, every request answers this status (e.g. 500). */
  failWith?: number;
  /** Requests wait on this before answering, to hold calls in flight. */
  gate?: Promise<void>;
  close(): Promise<void>;
}

const notFound = (code: string, message: string) => ({ error: { code, message, fix: 'Check the name.', available: [] } });

export async function startFakeRegistry(port = 0): Promise<FakeRegistry> {
  const reg: Omit<FakeRegistry, 'url' | 'port' | 'close'> = { requests: [], workers: new Map(), skills: new Map() };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    reg.requests.push(`${url.pathname}${url.search}`);
    if (reg.gate) await reg.gate;
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (reg.failWith) return send(reg.failWith, { error: { code: 'internal', message: 'boom', fix: '', available: [] } });
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const ref = url.searchParams.get('version') ?? 'latest';
    if (parts[0] !== 'w') return send(404, notFound('not_found', 'no route'));
    if (parts.length === 1) {
      // Two rows per page; the cursor is the offset, which is enough for a fake.
      const all = [...reg.workers.values()].map((m) => m.get('latest')).filter((d): d is WorkerDetail => Boolean(d));
      const search = url.searchParams.get('search');
      const rows = search ? all.filter((d) => `${d.name} ${d.description}`.includes(search)) : all;
      const offset = Number(url.searchParams.get('cursor') ?? 0);
      const page = rows.slice(offset, offset + 2);
      const more = offset + 2 < rows.length;
      // Search rows carry the registry's relevance extension fields (issue 12), which clients must pass through.
      const rowOf = (d: WorkerDetail) => (search ? { ...listItem(d), score: 2.5, match: 'all_words' } : listItem(d));
      return send(200, { workers: page.map(rowOf), pagination: { next_cursor: more ? String(offset + 2) : null, has_more: more, page_size: 2 } });
    }
    const versions = reg.workers.get(parts[1]);
    if (!versions) return send(404, notFound('worker_not_found', `Worker '${parts[1]}' not found.`));
    const found = versions.get(ref);
    if (!found) return send(404, { error: { code: 'version_not_found', message: 'no such version', fix: '', available: [...versions.keys()] } });
    if (parts[2] === 'skills') {
      const skills = reg.skills.get(`${parts[1]}@${found.version}`);
      return skills ? send(200, skills) : send(404, notFound('skills_not_found', 'no skills'));
    }
    return send(200, { worker: found });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return Object.assign(reg, {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** Adds a worker under its version and under each of `tags`. */
export function addWorker(reg: FakeRegistry, d: WorkerDetail, tags: string[] = ['latest']): void {
  const versions = reg.workers.get(d.name) ?? new Map<string, WorkerDetail>();
  versions.set(d.version, d);
  for (const t of tags) versions.set(t, d);
  reg.workers.set(d.name, versions);
}
