import type { Repositories } from '../db/backend';
import type { ArchiveBlobs } from '../storage/archive-store';
import { createKitsService, type KitsService } from './kits';
import { createAgentContextService } from './agent-context';
import { uploadArchive } from './archives';
import { download } from './downloads';
import type { AuthLimiter } from './auth-limiter';
import { createKeysService, type KeysService } from './keys';
import { publishVersion } from './publish';
import { createReadService } from './read';
import { parseResolveRequest, resolveGraph } from './resolve';
import { WorkerSearch } from './worker-search';
import { getSkills, publishSkills } from './skills';
import { moveTag, setVersionStatus } from './tags';
import type { AgentContextDocument, RegistryServices } from './types';
import { ResponseCache, type CachedBody } from './response-cache';

/** An object whose values are all primitives (a resolve request's shape): cheap to serialize as a cache key. */
function isFlatObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const k in value) if (typeof (value as Record<string, unknown>)[k] === 'object' && (value as Record<string, unknown>)[k] !== null) return false;
  return true;
}

/**
 * Cache hits of the hot reads, answered without waiting (routes/prepared.ts): the answer the async service
 * would give when it is cached under the stamp known now, else undefined (the route then takes the async path).
 * Local services only: with an upstream, app.ts passes none.
 */
export interface PreparedHits {
  /** GET /w/{slug} without a query: what detailJson(name) answers. */
  detail(name: string): CachedBody | undefined;
  /** GET /w?search= alone: what listJson({ search }) answers. */
  search(search: string): CachedBody | undefined;
  /** POST /resolve: what resolveJson(body) answers, for a flat body (any other takes the validating path). */
  resolve(body: unknown): CachedBody | undefined;
  /** GET /workers/{name}.md without a query: what agentContext(name) answers. */
  agentContext(name: string): AgentContextDocument | undefined;
  /** GET /k/{handle}/{name} without a query: what the kit cache's detail(handle, name) answers. */
  kit(handle: string, name: string): CachedBody | undefined;
}

export interface ServicesContext {
  services: RegistryServices;
  hits: PreparedHits;
  keys: KeysService;
  search: WorkerSearch;
  kits: KitsService;
  /** Rebuilds the search index from the store (start-up, or a replica catching up). */
  reindex(): Promise<void>;
  /** Refreshes the search index for workers another replica changed. */
  refresh(names: string[]): Promise<void>;
}

/** Wires repositories into the services routes and pages call; the only place that knows every part. */
export function createServices(repos: Repositories, store: ArchiveBlobs, publicUrl: string, authLimiter?: AuthLimiter): ServicesContext {
  const { workers, skills, staged } = repos;
  const search = new WorkerSearch(workers, repos.readmes, repos.searchSnapshots);
  const read = createReadService(workers, search);
  const archiveUrl = (sha256: string) => `${publicUrl}/archives/${sha256}.tar.gz`;

  const reindexOne = (name: string) => search.update(name);
  const agentContext = createAgentContextService({ workers, skills, read });
  const changed = { onChanged: reindexOne };
  // Byte budgets (issue 16, RSS): at 10,000 workers a detail is ~5.5 KB and a search page ~11 KB, so these hold the
  // hot set of a busy registry; a catalog of large answers (long READMEs) keeps fewer of them instead of growing.
  const MiB = 1024 * 1024;
  const details = new ResponseCache(2000, 16 * MiB);
  const graphs = new ResponseCache(1000, 4 * MiB);
  // Keyed by open-ended queries: a page is kept from the second time its query is asked (see ResponseCache).
  const pages = new ResponseCache(1000, 8 * MiB, true);
  /** A list page's cache key: the query as parsed (a search alone is `{ search }`, which hits look up directly). */
  const pageKey = (query: object) => JSON.stringify(query);

  const services: RegistryServices = {
    publish: (principal, payload) => publishVersion({ workers, staged, archiveUrl, onPublished: reindexOne }, principal, payload),
    list: (query) => read.list(query),
    listJson: async (query) => pages.get(pageKey(query), await workers.listStamp(), () => read.list(query)),
    detail: (name, spec) => read.detail(name, spec),
    async detailJson(name, spec) {
      const stamp = await workers.stamp(name);
      if (stamp === null) await read.requireWorker(name);
      // Keyed by the name alone without a version (what clients send), so a hit builds no key; see PreparedHits.
      return details.get(spec === undefined ? name : `${name}\u0000${spec}`, String(stamp), async () => ({ worker: await read.detail(name, spec) }));
    },
    async apiReferenceJson(name, spec) {
      const stamp = await workers.stamp(name);
      if (stamp === null) await read.requireWorker(name);
      return details.get(`api\u0000${name}\u0000${spec ?? ''}`, String(stamp), async () => {
        const d = await read.detail(name, spec);
        return { name: d.name, version: d.version, functions: d.functions, triggers: d.triggers };
      });
    },
    versions: (name) => read.versions(name),
    moveTag: (principal, name, tag, body) => moveTag({ workers, read, ...changed }, principal, name, tag, body),
    setStatus: (principal, name, version, body) => setVersionStatus({ workers, read, ...changed }, principal, name, version, body),
    publishSkills: (principal, name, body) => publishSkills({ workers, skills, read, ...changed }, principal, name, body),
    skills: (name, spec) => getSkills({ workers, skills, read, ...changed }, name, spec),
    resolve: async (body) => resolveGraph(workers, search, parseResolveRequest(body)),
    async resolveJson(body) {
      // A flat object (what a resolve request is) is keyed as sent: an identical body validates identically, so a
      // hit skips the zod parse. Anything else is validated first (and refused), never serialized as a key.
      const flat = isFlatObject(body);
      const request = flat ? undefined : parseResolveRequest(body);
      const key = JSON.stringify(request ?? body);
      return graphs.get(key, await workers.catalogStamp(), () => resolveGraph(workers, search, request ?? parseResolveRequest(body)));
    },
    download: (name, version, ci) => download(workers, read, name, version, ci),
    agentContext,
    recent: async (limit, name) =>
      (await workers.recent(limit, name)).map((r) => ({ name: r.name, version: r.version, description: r.doc_description ?? '', published_at: r.published_at })),
    index: async () => (await workers.indexRows()).map((r) => ({ name: r.name, version: r.version, description: r.summary.description })),
    uploadArchive: (principal, name, version, body) => uploadArchive({ store, staged, workers, archiveUrl }, principal, name, version, body),
    openArchive: (sha256) => store.open(sha256),
  };

  const kits = createKitsService(repos.kits, workers);
  const now = workers.stampsNow;
  const hits: PreparedHits = {
    detail(name) {
      const stamp = now.worker(name);
      return stamp === undefined || stamp === null ? undefined : details.peek(name, stamp);
    },
    search(search) {
      const stamp = now.list();
      return stamp === undefined ? undefined : pages.peek(pageKey({ search }), stamp);
    },
    resolve(body) {
      if (!isFlatObject(body)) return undefined;
      const stamp = now.catalog();
      return stamp === undefined ? undefined : graphs.peek(JSON.stringify(body), stamp);
    },
    agentContext: (name) => agentContext.hit(name),
    kit: (handle, name) => kits.cached.detailHit(handle, name),
  };

  return {
    services,
    hits,
    keys: createKeysService(repos.keys, authLimiter),
    search,
    kits,
    reindex: () => search.rebuild(),
    async refresh(names) {
      for (const name of names) await search.update(name);
    },
  };
}
