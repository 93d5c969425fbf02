import {
  DownloadResponseSchema,
  PublicWorkerDetailResponseSchema,
  SkillsResponseSchema,
  VersionsResponseSchema,
  WorkerListResponseSchema,
  type DownloadResponse,
  type SkillsResponse,
  type VersionRow,
  type WorkerDetail,
  type WorkerListQuery,
  type WorkerListResponse,
} from '@iii-registry/schemas';
import { notFoundWorker, RegistryError } from '../errors';
import type { UpstreamAnswer, UpstreamClient } from './upstream-client';

/** The upstream's reads, each validated, cached and normalized to this registry's shapes. */

const q = (params: Record<string, string | undefined>): string => {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
};
const seg = encodeURIComponent;

/** The upstream's own error, kept as it is (its code and fix), or worker_not_found; null for a 200. */
function failure<T>(name: string, answer: UpstreamAnswer<T>): RegistryError | null {
  if (!('error' in answer)) return null;
  const e = answer.error;
  if (answer.status === 404 && e.code === 'worker_not_found') return notFoundWorker(name, []);
  return new RegistryError(answer.status, e.code, `Upstream: ${e.message}`, e.fix || 'Check the request against the upstream registry.', e.available ?? []);
}

function value<T>(name: string, answer: UpstreamAnswer<T>): T {
  const err = failure(name, answer);
  if (err) throw err;
  if (!('value' in answer)) throw new RegistryError(502, 'upstream_invalid_body', `The upstream answered no body for '${name}'.`, 'Retry later.');
  return answer.value;
}

export function createUpstreamReads(client: UpstreamClient) {
  return {
    /** true/false when the upstream says so (a cached answer counts); throws when it cannot tell. */
    async has(name: string): Promise<boolean> {
      const answer = await client.get(`/w/${seg(name)}`, PublicWorkerDetailResponseSchema);
      if ('value' in answer) return true;
      if (answer.status === 404) return false;
      throw failure(name, answer) as RegistryError;
    },
    async detail(name: string, spec?: string): Promise<WorkerDetail> {
      const w = value(name, await client.get(`/w/${seg(name)}${q({ version: spec })}`, PublicWorkerDetailResponseSchema)).worker;
      return {
        ...w,
        license: w.license ?? '',
        published_at: w.published_at ?? '',
        status: w.status ?? 'active',
        status_message: w.status_message ?? null,
        version_tags: w.version_tags ?? [],
        origin: 'upstream',
      };
    },
    async versions(name: string): Promise<VersionRow[]> {
      return value(name, await client.get(`/w/${seg(name)}/versions`, VersionsResponseSchema)).versions;
    },
    async skills(name: string, spec?: string): Promise<SkillsResponse> {
      return value(name, await client.get(`/w/${seg(name)}/skills${q({ version: spec })}`, SkillsResponseSchema));
    },
    /** Asks the upstream every time (it counts the download, `ci` included); the cached answer only when it fails. */
    async download(name: string, spec: string | undefined, ci: boolean): Promise<DownloadResponse | null> {
      const answer = await client.get(`/download/${seg(name)}${q({ version: spec, ci: ci ? 'true' : undefined })}`, DownloadResponseSchema, {
        always: true,
        cacheKey: `/download/${seg(name)}${q({ version: spec })}`,
      });
      if (answer.status === 204) return null;
      return value(name, answer);
    },
    async list(query: WorkerListQuery, cursor: string | undefined, limit: number): Promise<WorkerListResponse> {
      const { search, type, tag, updated_since } = query;
      return value('', await client.get(`/w${q({ search, type, tag, updated_since, cursor, limit: String(limit) })}`, WorkerListResponseSchema));
    },
  };
}

export type UpstreamReads = ReturnType<typeof createUpstreamReads>;
