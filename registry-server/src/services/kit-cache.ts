import type { KitListQuery } from '@iii-registry/schemas';
import { cachedJson, cachedText, ResponseCache, type CachedBody } from './response-cache';
import { kitDetail, kitFilesJson, kitFunctions, kitReadme, kitVersions, type KitReadDeps } from './kit-read';
import { listKits } from './kit-search';

/** The `/files` answer with the kit it belongs to, so `/download` counts without another lookup. */
export interface CachedKitFiles extends CachedBody {
  kitId: number;
}

/** Prepared answers of the kit read API: bytes and ETag, reused while the stamps they were built under hold. */
export interface KitCache {
  /** `{"kit": detail}` (GET /k/{handle}/{name}, `?version=`). */
  detail(handle: string, name: string, spec?: string): Promise<CachedBody>;
  /** What detail(handle, name) answers when it is cached under the stamps known now (no waiting), else undefined. */
  detailHit(handle: string, name: string): CachedBody | undefined;
  versions(handle: string, name: string): Promise<CachedBody>;
  /** The KitFiles body: `/files` sends it, `/download` counts then sends the same bytes. */
  files(handle: string, name: string, spec?: string): Promise<CachedKitFiles>;
  functions(handle: string, name: string, spec?: string): Promise<CachedBody>;
  /** The README's markdown. */
  readme(handle: string, name: string, spec?: string): Promise<CachedBody>;
  /** GET /k (`?search=&tag=&handle=&limit=`). */
  list(query: KitListQuery): Promise<CachedBody>;
}

const key = (...parts: (string | number | undefined)[]) => parts.map((p) => p ?? '').join('\u0000');

/**
 * What each answer depends on, and so the stamp it is kept under (docs/kits.md, "Read cache"):
 * - the kit revision (bumped in the transaction of every kit publish, tag move and status change): everything;
 * - the kit download counter: the detail and the list (they carry `total_downloads`/`ci_downloads`), so a download
 *   shows in the next answer on this process, and on another replica within the follower's poll, as worker counts do;
 * - the workers' catalog revision (bumped by every worker write, not by downloads): answers that resolve the kit's
 *   worker ranges today (detail, files, functions). Downloads of workers do not change a resolution.
 * The stamps are global, not per kit: kits are few, and a kit write drops every kit answer at once.
 */
export function createKitCache(deps: KitReadDeps): KitCache {
  const { kits, workers } = deps;
  const details = new ResponseCache(1000);
  const versionLists = new ResponseCache(1000);
  const files = new ResponseCache<CachedKitFiles>(500);
  const functionLists = new ResponseCache(1000);
  const readmes = new ResponseCache(500);
  const lists = new ResponseCache(500);
  const withWorkers = async (stamp: Promise<string>) => `${await stamp}|${await workers.catalogStamp()}`;

  return {
    detailHit(h, n) {
      const counts = kits.stampsNow.kits();
      const catalog = workers.stampsNow.catalog();
      return counts === undefined || catalog === undefined ? undefined : details.peek(key(h, n, undefined), `${counts}|${catalog}`);
    },
    detail: async (h, n, spec) =>
      details.get(key(h, n, spec), await withWorkers(kits.countsStamp()), async () => ({ kit: await kitDetail(deps, h, n, spec) })),
    versions: async (h, n) => versionLists.get(key(h, n), await kits.revisionStamp(), () => kitVersions(deps, h, n)),
    files: async (h, n, spec) =>
      files.prepared(key(h, n, spec), await withWorkers(kits.revisionStamp()), async () => {
        const { body, kitId } = await kitFilesJson(deps, h, n, spec);
        return { ...cachedText(body), kitId };
      }),
    functions: async (h, n, spec) =>
      functionLists.get(key(h, n, spec), await withWorkers(kits.revisionStamp()), () => kitFunctions(deps, h, n, spec)),
    readme: async (h, n, spec) =>
      readmes.prepared(key(h, n, spec), await kits.revisionStamp(), async () => cachedText(await kitReadme(deps, h, n, spec))),
    list: async (query) => lists.prepared(JSON.stringify(query), await kits.countsStamp(), async () => cachedJson(await listKits(deps, query))),
  };
}
