import type { VersionRow, WorkerDetail, WorkerListItem, WorkerListQuery, WorkerListResponse } from '@iii-registry/schemas';
import type { WorkersRepository } from '../db/workers-repository';
import type { WorkerRow } from '../db/types';
import { notFoundWorker, RegistryError } from '../errors';
import { decodeCursor, encodeCursor, invalidCursor, SnapshotCache } from './cursor';
import type { RankedHits, SearchHit } from './search-index';
import type { WorkerSearch } from './worker-search';
import { newestFirst, resolveForReading } from './version-rules';
import { ListItems } from './list-items';
import { toDetail, toListItem } from './views';

export const PAGE_SIZE = 20;

export interface ReadService {
  list(query: WorkerListQuery): Promise<WorkerListResponse>;
  detail(name: string, versionOrTag?: string): Promise<WorkerDetail>;
  versions(name: string): Promise<VersionRow[]>;
  requireWorker(name: string): Promise<WorkerRow>;
}

const withRelevance = (item: WorkerListItem, hit: SearchHit | undefined): WorkerListItem =>
  hit ? { ...item, score: hit.score, match: hit.match } : item;

export function createReadService(workers: WorkersRepository, search: WorkerSearch): ReadService {
  const snapshots = new SnapshotCache<RankedHits>();
  const listItems = new ListItems(workers);

  const requireWorker = async (name: string): Promise<WorkerRow> => {
    const w = await workers.findWorker(name);
    if (!w) throw notFoundWorker(name, await search.suggest(name));
    return w;
  };

  const sinceOf = (raw: string | undefined): string | undefined => {
    if (raw === undefined || raw.trim() === '') return undefined;
    const t = Date.parse(raw);
    if (Number.isNaN(t))
      throw new RegistryError(422, 'validation_failed', `updated_since '${raw}' is not a date.`, 'Pass an ISO 8601 timestamp such as 2026-05-04T00:00:00Z.');
    return new Date(t).toISOString();
  };

  async function searchPage(query: WorkerListQuery, limit: number, since: string | undefined): Promise<WorkerListResponse> {
    const cursor = decodeCursor(query.cursor);
    if (cursor && cursor.k !== 's') throw invalidCursor();
    let id = cursor?.k === 's' ? cursor.id : undefined;
    let names = id ? snapshots.get(id) : undefined;
    if (!names) {
      const hits = await search.hits(query.search ?? '');
      const filtered = query.type !== undefined || query.tag !== undefined || since !== undefined;
      names = !filtered ? hits : hits.filter((n) => {
        const m = search.metaOf(n);
        return m !== undefined && (!query.type || m.type === query.type) && (!query.tag || m.tags.includes(query.tag)) && (!since || m.updated_at >= since);
      });
      id = undefined;
    }
    const offset = cursor?.k === 's' ? cursor.o : 0;
    const slice = names.slice(offset, offset + limit);
    const items = await listItems.of(slice.map((h) => h.name));
    const found = new Map(slice.map((h) => [h.name, h]));
    const hasMore = offset + limit < names.length;
    // Only a page with a next one needs its result list kept for the cursor.
    if (hasMore && id === undefined) id = snapshots.put(names);
    return {
      workers: items.map((item) => withRelevance(item, found.get(item.name))),
      pagination: { next_cursor: hasMore ? encodeCursor({ k: 's', id: id as string, o: offset + limit }) : null, has_more: hasMore, page_size: limit },
    };
  }

  return {
    requireWorker,
    async list(query) {
      const limit = query.limit ?? PAGE_SIZE;
      const since = sinceOf(query.updated_since);
      if (query.search !== undefined && query.search.trim() !== '') return searchPage(query, limit, since);
      const cursor = decodeCursor(query.cursor);
      if (cursor && cursor.k !== 'b') throw invalidCursor();
      const rows = await workers.listPage({
        after: cursor ? { downloads: cursor.d, name: cursor.n } : undefined,
        limit: limit + 1,
        updatedSince: since,
        type: query.type,
        tag: query.tag,
      });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const hasMore = rows.length > limit;
      return {
        workers: page.map((r) => toListItem(r.worker, r.version)),
        pagination: {
          next_cursor: hasMore && last ? encodeCursor({ k: 'b', d: last.worker.total_downloads, n: last.worker.name }) : null,
          has_more: hasMore,
          page_size: limit,
        },
      };
    },
    async detail(name, versionOrTag) {
      const worker = await requireWorker(name);
      const [metas, tags] = await Promise.all([workers.versions(worker.id), workers.tags(worker.id)]);
      const meta = resolveForReading(name, metas, tags, versionOrTag);
      const record = await workers.getVersion(worker.id, meta.version);
      if (!record) throw notFoundWorker(name);
      return toDetail(worker, record, tags);
    },
    async versions(name) {
      const worker = await requireWorker(name);
      const [metas, tags] = await Promise.all([workers.versions(worker.id), workers.tags(worker.id)]);
      return newestFirst(metas).map((m) => ({
        version: m.version,
        tags: tags.filter((t) => t.version_id === m.id).map((t) => t.name),
        published_at: m.published_at,
        status: m.status,
        status_message: m.status_message,
      }));
    },
  };
}
