import { isStable } from '@iii-registry/schemas';
import type { TagRow, VersionDoc, VersionMeta, VersionRecord, WorkerRow } from '../db/types';
import type { WorkersRepository } from '../db/workers-repository';
import { RegistryError } from '../errors';
import type { UpstreamReads } from './upstream-reads';

/** The part of the store that the resolver reads. */
export type GraphSource = Pick<WorkersRepository, 'findWorker' | 'versions' | 'tags' | 'getVersion'>;

/**
 * Local workers first, then the upstream's, behind the store's read interface, so one resolver walks a graph that
 * mixes both and every node comes from where it lives. Upstream workers get negative ids (made per resolve).
 */
export function createMixedSource(local: GraphSource, upstream: UpstreamReads): GraphSource {
  const names = new Map<number, string>();
  const metasOf = new Map<number, VersionMeta[]>();
  const tagsOf = new Map<number, TagRow[]>();

  const upstreamMetas = async (id: number): Promise<void> => {
    if (metasOf.has(id)) return;
    const rows = await upstream.versions(names.get(id) as string);
    const metas: VersionMeta[] = rows.map((r, i) => ({
      id: -(i + 1),
      version: r.version,
      prerelease: !isStable(r.version),
      status: r.status ?? 'active',
      status_message: r.status_message ?? null,
      published_at: r.published_at ?? '',
      type: 'bundle', // the real type comes with the version's detail (getVersion)
    }));
    metasOf.set(id, metas);
    tagsOf.set(id, rows.flatMap((r, i) => r.tags.map((t) => ({ name: t, version: r.version, version_id: -(i + 1) }))));
  };

  return {
    async findWorker(name) {
      const found = await local.findWorker(name);
      if (found) return found;
      if (!(await upstream.has(name))) return null;
      const id = -(names.size + 1);
      names.set(id, name);
      const row: WorkerRow = { id, name, owner_key_id: null, owner_name: null, owner_admin: false, created_at: '', updated_at: '', total_downloads: 0, ci_downloads: 0, revision: 0 };
      return row;
    },
    async versions(id) {
      if (id > 0) return local.versions(id);
      await upstreamMetas(id);
      return metasOf.get(id) as VersionMeta[];
    },
    async tags(id) {
      if (id > 0) return local.tags(id);
      await upstreamMetas(id);
      return tagsOf.get(id) as TagRow[];
    },
    async getVersion(id, version) {
      if (id > 0) return local.getVersion(id, version);
      await upstreamMetas(id);
      const meta = (metasOf.get(id) as VersionMeta[]).find((m) => m.version === version);
      if (!meta) throw new RegistryError(502, 'upstream_invalid_body', `The upstream lists no version ${version} of '${names.get(id)}'.`, 'Retry later.');
      const d = await upstream.detail(names.get(id) as string, version);
      const doc = {
        type: d.type,
        readme: '',
        repo: d.repo,
        description: d.description,
        license: d.license ?? undefined,
        tags: [],
        experimental: false,
        dependencies: d.dependencies,
        config: d.config,
        functions: [],
        triggers: [],
        binaries: d.binaries,
        image_tag: d.image,
        archive_url: d.archive_url,
        sha256: d.sha256,
      } as VersionDoc;
      const record: VersionRecord = { ...meta, type: d.type, worker_id: id, content_hash: '', doc };
      return record;
    },
  };
}
