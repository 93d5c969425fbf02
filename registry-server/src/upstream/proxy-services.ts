import { isExactVersion, renderAgentContext, SlugSchema, type WorkerListItem, type WorkerListQuery, type WorkerListResponse } from '@iii-registry/schemas';
import { RegistryError } from '../errors';
import { frontmatterOf } from '../services/skills';
import { parseResolveRequest, resolveGraph } from '../services/resolve';
import { renderedDocument } from '../services/agent-context';
import { cachedJson } from '../services/response-cache';
import type { AgentContextDocument, RegistryServices } from '../services/types';
import { PAGE_SIZE } from '../services/read';
import { createMixedSource, type GraphSource } from './mixed-source';
import { noteUpstream } from './request-state';
import type { UpstreamReads } from './upstream-reads';

export interface ProxyDeps {
  local: RegistryServices;
  /** The store's reads, for resolving graphs that mix local and upstream workers. */
  store: GraphSource;
  suggest(name: string): string[] | Promise<string[]>;
  upstream: UpstreamReads;
  upstreamUrl: string;
}

/** Cursors of pages that continue in the upstream's results carry this prefix before the upstream's own cursor. */
const UPSTREAM_CURSOR = 'up.';

const isMissing = (err: unknown): boolean => err instanceof RegistryError && err.code === 'worker_not_found';
const isMissingInGraph = (err: unknown): boolean => err instanceof RegistryError && (err.code === 'worker_not_found' || err.code === 'dependency_not_found');

/** Local first; a name not hosted here is answered by the upstream. Missing in both: the local error (its suggestions). */
async function localOr<T>(local: () => Promise<T>, remote: () => Promise<T>): Promise<T> {
  try {
    return await local();
  } catch (err) {
    if (!isMissing(err)) throw err;
    try {
      return await remote();
    } catch (upstreamErr) {
      throw isMissing(upstreamErr) ? err : upstreamErr;
    }
  }
}

/**
 * The registry's services with an upstream behind them: reads of workers not hosted here go to the upstream (through
 * its cache), search appends the upstream's results after the local ones, and a publish may not silently shadow an
 * upstream name. Everything else is the local service unchanged.
 */
export function withUpstream(deps: ProxyDeps): RegistryServices {
  const { local, upstream } = deps;
  const mark = (rows: WorkerListItem[], origin: 'local' | 'upstream') => rows.map((r) => ({ ...r, origin }));

  async function upstreamRows(query: WorkerListQuery, cursor: string | undefined, limit: number) {
    try {
      const page = await upstream.list(query, cursor, limit);
      return page;
    } catch (err) {
      if (!(err instanceof RegistryError) || err.status < 500) throw err;
      noteUpstream('unavailable'); // search still answers with the local results
      return null;
    }
  }

  async function list(query: WorkerListQuery): Promise<WorkerListResponse> {
    const limit = query.limit ?? PAGE_SIZE;
    const isLocal = async (name: string) => (await localOr(async () => (await local.versions(name), true), async () => false));
    const merge = async (page: WorkerListResponse | null, localRows: WorkerListItem[]): Promise<WorkerListResponse> => {
      const seen = new Set(localRows.map((r) => r.name));
      const extra: WorkerListItem[] = [];
      for (const row of page?.workers ?? []) if (!seen.has(row.name) && !(await isLocal(row.name))) extra.push(row);
      const next = page?.pagination.next_cursor ?? null;
      return {
        workers: [...mark(localRows, 'local'), ...mark(extra, 'upstream')],
        pagination: { next_cursor: next !== null ? UPSTREAM_CURSOR + next : null, has_more: next !== null, page_size: limit },
      };
    };
    if (query.cursor?.startsWith(UPSTREAM_CURSOR)) {
      const rest = query.cursor.slice(UPSTREAM_CURSOR.length);
      return merge(await upstreamRows(query, rest || undefined, limit), []);
    }
    const own = await local.list(query);
    if (own.pagination.has_more) return { ...own, workers: mark(own.workers, 'local') };
    const room = limit - own.workers.length;
    if (room === 0) {
      return { workers: mark(own.workers, 'local'), pagination: { next_cursor: UPSTREAM_CURSOR, has_more: true, page_size: limit } };
    }
    return merge(await upstreamRows(query, undefined, room), own.workers);
  }

  async function agentContext(name: string, spec: string | undefined, options = {}): Promise<AgentContextDocument> {
    const detail = await upstream.detail(name, spec);
    const [versions, skills] = await Promise.all([upstream.versions(name), upstream.skills(name, detail.version).catch(() => null)]);
    const body = renderAgentContext(
      {
        worker: detail,
        other_versions: versions.map((v) => v.version).filter((v) => v !== detail.version),
        skills: (skills?.skills ?? []).map((f) => ({ path: f.path, description: frontmatterOf(f.content).description })),
      },
      options,
    );
    return renderedDocument(body, name, detail.version, spec !== undefined && isExactVersion(spec));
  }

  async function resolveMixed(body: unknown) {
    return resolveGraph(createMixedSource(deps.store, upstream), { suggest: deps.suggest }, parseResolveRequest(body));
  }

  return {
    ...local,
    async publish(principal, payload) {
      const name = (payload as { worker_name?: unknown } | null)?.worker_name;
      if (!principal.admin && SlugSchema.safeParse(name).success) {
        const n = name as string;
        const hostedHere = await localOr(async () => (await local.versions(n), true), async () => false);
        if (!hostedHere && (await upstream.has(n)))
          throw new RegistryError(409, 'upstream_name_taken', `'${n}' is a worker of the upstream registry (${deps.upstreamUrl}); publishing it here would hide it.`,
            `Pick another name (for example '${n}-private'), or ask an admin to publish it with an admin key to shadow the upstream deliberately.`);
      }
      return local.publish(principal, payload);
    },
    list,
    listJson: async (query) => cachedJson(await list(query)),
    detail: (name, spec) => localOr(() => local.detail(name, spec), () => upstream.detail(name, spec)),
    detailJson: (name, spec) => localOr(() => local.detailJson(name, spec), async () => cachedJson({ worker: await upstream.detail(name, spec) })),
    versions: (name) => localOr(() => local.versions(name), () => upstream.versions(name)),
    skills: (name, spec) => localOr(() => local.skills(name, spec), () => upstream.skills(name, spec)),
    download: (name, spec, ci) => localOr(() => local.download(name, spec, ci), () => upstream.download(name, spec, ci)),
    agentContext: (name, spec, options) => localOr(() => local.agentContext(name, spec, options), () => agentContext(name, spec, options)),
    async resolve(body) {
      try {
        return await local.resolve(body);
      } catch (err) {
        if (!isMissingInGraph(err)) throw err;
        return resolveMixed(body);
      }
    },
    async resolveJson(body) {
      try {
        return await local.resolveJson(body);
      } catch (err) {
        if (!isMissingInGraph(err)) throw err;
        return cachedJson(await resolveMixed(body));
      }
    },
  };
}
