import { ResolveRequestSchema, satisfiesRange, validate, type Edge, type GraphNode, type ResolveRequest, type ResolveResponse } from '@iii-registry/schemas';
import type { VersionRecord, WorkerRow } from '../db/types';
import type { WorkersRepository } from '../db/workers-repository';
import { notFoundWorker, RegistryError, validationFailed, versionNotFound } from '../errors';
import { eligible, highestSatisfying, newestFirst, resolveSpec } from './version-rules';

export const MAX_GRAPH_NODES = 256;
/** The iii CLI refuses registry answers above 1 MiB ("Registry response too large"): never send one. */
export const MAX_RESOLVE_BYTES = 1024 * 1024;

interface Picked {
  worker: WorkerRow;
  record: VersionRecord;
}

/** Graph nodes as http-api.md shapes them: dependencies become a map, artifacts by type. */
function toNode(p: Picked, target: string | undefined): GraphNode {
  const d = p.record.doc;
  const base = { name: p.worker.name, version: p.record.version, repo: d.repo, config: d.config,
    dependencies: Object.fromEntries(d.dependencies.map((x) => [x.name, x.version])) };
  switch (p.record.type) {
    case 'binary': {
      const all = d.binaries ?? {};
      return { ...base, type: 'binary', binaries: target ? { [target]: all[target] } : all };
    }
    case 'image':
      return { ...base, type: 'image', image: d.image_tag ?? '' };
    case 'bundle':
      return { ...base, type: 'bundle', archive_url: d.archive_url, sha256: d.sha256 };
    case 'engine':
      return { name: base.name, version: base.version, type: 'engine', repo: '', config: {}, dependencies: {} };
  }
}

/** Leaves first, so an installer can install in order; throws on a cycle, naming it. */
function topologicalOrder(names: string[], edges: Edge[]): string[] {
  const out: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (n: string, path: string[]) => {
    if (state.get(n) === 'done') return;
    if (state.get(n) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(n)), n].join(' -> ');
      throw new RegistryError(422, 'dependency_cycle', `The dependency graph has a cycle: ${cycle}.`,
        'Remove one of the dependencies in the cycle and publish a new version.', []);
    }
    state.set(n, 'visiting');
    for (const e of edges) if (e.from === n) visit(e.to, [...path, n]);
    state.set(n, 'done');
    out.push(n);
  };
  for (const n of names) visit(n, []);
  return out;
}

/**
 * POST /resolve: the whole pinned graph from the root, stable versions only (prereleases only when asked for by
 * exact version). A name reached twice must satisfy every range that reaches it with one version.
 */
export function parseResolveRequest(body: unknown): ResolveRequest {
  const checked = validate(ResolveRequestSchema, body);
  if (!checked.ok) throw validationFailed('resolve request', checked.problems);
  return checked.value;
}

export async function resolveGraph(
  workers: Pick<WorkersRepository, 'findWorker' | 'versions' | 'tags' | 'getVersion'>,
  search: { suggest(name: string): string[] | Promise<string[]> },
  request: ResolveRequest,
): Promise<ResolveResponse> {
  const { worker: rootName, version: spec, target } = request;

  const load = async (name: string, from?: string) => {
    const worker = await workers.findWorker(name);
    if (!worker) {
      if (!from) throw notFoundWorker(name, await search.suggest(name));
      throw new RegistryError(422, 'dependency_not_found', `'${from}' depends on '${name}', which is not published here.`,
        `Publish '${name}' to this registry first, or remove the dependency from '${from}'.`, await search.suggest(name));
    }
    const [metas, tags] = await Promise.all([workers.versions(worker.id), workers.tags(worker.id)]);
    return { worker, metas, tags };
  };

  const rootInfo = await load(rootName);
  const rootMeta = resolveSpec(rootName, rootInfo.metas, rootInfo.tags, spec, 422);
  const picked = new Map<string, Picked>();
  picked.set(rootName, { worker: rootInfo.worker, record: (await workers.getVersion(rootInfo.worker.id, rootMeta.version)) as VersionRecord });
  const ranges = new Map<string, { from: string; range: string }[]>();
  const edges: Edge[] = [];
  const queue = [rootName];

  while (queue.length > 0) {
    const from = queue.shift() as string;
    const node = picked.get(from) as Picked;
    for (const dep of node.record.doc.dependencies) {
      edges.push({ from, to: dep.name, range: dep.version });
      const seen = [...(ranges.get(dep.name) ?? []), { from, range: dep.version }];
      ranges.set(dep.name, seen);
      const current = picked.get(dep.name);
      // Dependency ranges read with Cargo rules (a bare 1.2.3 is ^1.2.3); prereleases only where a range names one.
      const fits = (v: string) => seen.every((r) => satisfiesRange(v, r.range));
      if (current && fits(current.record.version)) continue;
      const info = await load(dep.name, from);
      const pick = highestSatisfying(info.metas, seen.map((r) => r.range));
      if (!pick) {
        const available = newestFirst(eligible(info.metas)).map((m) => m.version);
        if (seen.length === 1)
          throw versionNotFound(dep.name, dep.version, available.length > 0 ? available : newestFirst(info.metas).map((m) => m.version), 422);
        throw new RegistryError(422, 'dependency_conflict',
          `No single version of '${dep.name}' satisfies ${seen.map((r) => `${r.range || '*'} (from ${r.from})`).join(' and ')}.`,
          `Align the dependency ranges on '${dep.name}' and publish new versions.`, available);
      }
      const version = pick.version;
      if (current?.record.version === version) continue;
      picked.set(dep.name, { worker: info.worker, record: (await workers.getVersion(info.worker.id, version)) as VersionRecord });
      if (picked.size > MAX_GRAPH_NODES)
        throw new RegistryError(422, 'graph_too_large', `The dependency graph of '${rootName}' exceeds ${MAX_GRAPH_NODES} workers.`, 'Reduce the dependencies.');
      // A re-pick changes that node's own dependencies: drop its old edges and walk it again.
      for (let i = edges.length - 1; i >= 0; i--) if (edges[i].from === dep.name) edges.splice(i, 1);
      queue.push(dep.name);
    }
  }

  const order = topologicalOrder([rootName], edges);
  if (target) {
    for (const name of order) {
      const p = picked.get(name) as Picked;
      const supported = Object.keys(p.record.doc.binaries ?? {}).sort();
      if (p.record.type === 'binary' && !supported.includes(target))
        throw new RegistryError(422, 'unsupported_target', `${name}@${p.record.version} has no binary for ${target}.`,
          `Install on one of the supported targets: ${supported.join(', ')}.`, supported);
    }
  }
  // A re-pick may leave a version nothing reaches any more; only reachable nodes are returned.
  const reachable = new Set(order);
  const keptEdges = edges.filter((e) => reachable.has(e.from));
  const answer: ResolveResponse = {
    root: { name: rootName, version: rootMeta.version },
    target: target ?? null,
    graph: order.map((n) => toNode(picked.get(n) as Picked, target)),
    edges: keptEdges,
  };
  const bytes = Buffer.byteLength(JSON.stringify(answer));
  if (bytes > MAX_RESOLVE_BYTES)
    throw new RegistryError(422, 'graph_too_large',
      `The resolved graph of '${rootName}' would be ${bytes} bytes; the iii CLI refuses registry answers above ${MAX_RESOLVE_BYTES} bytes (1 MiB).`,
      target ? 'Reduce the dependencies or the configs they carry.' : 'Send a target (the answer then carries one binary per worker), or reduce the dependencies or the configs they carry.');
  return answer;
}
