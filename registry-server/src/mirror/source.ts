import {
  PublicWorkerDetailResponseSchema,
  SkillsResponseSchema,
  VersionsResponseSchema,
  WorkerListResponseSchema,
  type PublicWorkerDetail,
  type SkillsResponse,
  type VersionRow,
  type z,
} from '@iii-registry/schemas';
import crypto from 'node:crypto';
import { boundedFetch, UpstreamFault, type FetchLimits } from '../upstream/bounded-fetch';

/** Reads of the registry being mirrored, each validated; any failure is an UpstreamFault naming the URL. */
export interface MirrorSource {
  readonly url: string;
  names(): Promise<string[]>;
  versions(name: string): Promise<VersionRow[]>;
  detail(name: string, version: string): Promise<PublicWorkerDetail>;
  /** null when the version has no skills snapshot. */
  skills(name: string, version: string): Promise<SkillsResponse | null>;
  /** The archive's bytes, checked against `sha256` before they are returned. */
  archive(url: string, sha256: string): Promise<Buffer>;
}

const JSON_LIMITS: FetchLimits = { timeoutMs: 30_000, maxBytes: 16 * 1024 * 1024, maxRedirects: 3 };
const ARCHIVE_LIMITS: FetchLimits = { timeoutMs: 120_000, maxBytes: 64 * 1024 * 1024, maxRedirects: 3 };

export function createMirrorSource(baseUrl: string): MirrorSource {
  const url = baseUrl.replace(/\/+$/, '');
  const seg = encodeURIComponent;

  async function getJson<T>(path: string, schema: z.ZodType<T>, allow404 = false): Promise<T | null> {
    const res = await boundedFetch(`${url}${path}`, JSON_LIMITS, { headers: { accept: 'application/json' } });
    if (res.status === 404 && allow404) return null;
    if (res.status !== 200) throw new UpstreamFault('bad_status', `${url}${path} answered HTTP ${res.status}.`);
    let json: unknown;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new UpstreamFault('invalid_body', `${url}${path} answered a body that is not JSON.`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new UpstreamFault('invalid_body', `${url}${path} answered a body of the wrong shape.`);
    return parsed.data;
  }

  return {
    url,
    async names() {
      const out: string[] = [];
      let cursor: string | null = null;
      do {
        const page = (await getJson(`/w?limit=100${cursor ? `&cursor=${seg(cursor)}` : ''}`, WorkerListResponseSchema)) as z.infer<typeof WorkerListResponseSchema>;
        out.push(...page.workers.map((w) => w.name));
        cursor = page.pagination.next_cursor;
      } while (cursor);
      return [...new Set(out)];
    },
    async versions(name) {
      return ((await getJson(`/w/${seg(name)}/versions`, VersionsResponseSchema)) as z.infer<typeof VersionsResponseSchema>).versions;
    },
    async detail(name, version) {
      return ((await getJson(`/w/${seg(name)}?version=${seg(version)}`, PublicWorkerDetailResponseSchema)) as z.infer<typeof PublicWorkerDetailResponseSchema>).worker;
    },
    async skills(name, version) {
      return getJson(`/w/${seg(name)}/skills?version=${seg(version)}`, SkillsResponseSchema, true);
    },
    async archive(archiveUrl, sha256) {
      const res = await boundedFetch(archiveUrl, ARCHIVE_LIMITS);
      if (res.status !== 200) throw new UpstreamFault('bad_status', `${archiveUrl} answered HTTP ${res.status}.`);
      const actual = crypto.createHash('sha256').update(res.body).digest('hex');
      if (actual !== sha256) throw new UpstreamFault('checksum_mismatch', `${archiveUrl} has sha256 ${actual}, but the version says ${sha256}.`);
      return res.body;
    },
  };
}
