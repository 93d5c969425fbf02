import type { KitCompare, KitDetail, KitFunction, KitListQuery, KitListResponse, KitTagMoveResponse, KitUpdatesResponse, KitVersions } from '@iii-registry/schemas';
import type { KitsRepository } from '../db/kits-repository';
import type { WorkersRepository } from '../db/workers-repository';
import { compareKit, kitUpdates } from './kit-compare';
import { moveKitTag, publishKit, setKitVersionStatus } from './kit-publish';
import { createKitCache, type KitCache } from './kit-cache';
import { kitDetail, kitFunctions, kitReadme, kitVersions } from './kit-read';
import type { CachedBody } from './response-cache';
import { listKits } from './kit-search';
import type { Principal } from './types';

/** What the kit routes and pages call (docs/kits.md). Every method throws RegistryError for expected failures. */
export interface KitsService {
  list(query: KitListQuery): Promise<KitListResponse>;
  detail(handle: string, name: string, spec?: string): Promise<KitDetail>;
  versions(handle: string, name: string): Promise<KitVersions>;
  /** Prepared answers of the read API (services/kit-cache.ts): bytes and ETag, reused until a kit or worker write. */
  cached: KitCache;
  /** Counts a download, then answers the `/files` bytes (byte-identical to `/files`). */
  downloadJson(handle: string, name: string, spec: string | undefined, ci: boolean): Promise<CachedBody>;
  compare(handle: string, name: string, from: string, to?: string): Promise<KitCompare>;
  functions(handle: string, name: string, spec?: string): Promise<{ functions: KitFunction[] }>;
  readme(handle: string, name: string, spec?: string): Promise<string>;
  updates(body: unknown): Promise<KitUpdatesResponse>;
  blob(sha256: string): Promise<string | null>;
  publish(principal: Principal, handle: string, name: string, body: unknown): Promise<{ kit: KitDetail }>;
  moveTag(principal: Principal, handle: string, name: string, tag: string, body: unknown): Promise<KitTagMoveResponse>;
  setStatus(principal: Principal, handle: string, name: string, version: string, body: unknown): Promise<KitVersions>;
}

export function createKitsService(kits: KitsRepository, workers: WorkersRepository): KitsService {
  const deps = { kits, workers };
  const cached = createKitCache(deps);
  return {
    cached,
    list: (query) => listKits(deps, query),
    detail: (h, n, spec) => kitDetail(deps, h, n, spec),
    versions: (h, n) => kitVersions(deps, h, n),
    async downloadJson(h, n, spec, ci) {
      const { kitId, ...answer } = await cached.files(h, n, spec);
      await kits.countDownload(kitId, ci);
      return answer;
    },
    compare: (h, n, from, to) => compareKit(deps, h, n, from, to),
    functions: (h, n, spec) => kitFunctions(deps, h, n, spec),
    readme: (h, n, spec) => kitReadme(deps, h, n, spec),
    updates: (body) => kitUpdates(deps, body),
    blob: (sha) => kits.blob(sha),
    publish: (p, h, n, body) => publishKit(deps, p, h, n, body),
    moveTag: (p, h, n, tag, body) => moveKitTag(deps, p, h, n, tag, body),
    setStatus: (p, h, n, v, body) => setKitVersionStatus(deps, p, h, n, v, body),
  };
}
