import type {
  AgentContextOptions,
  ArchiveUploadResponse,
  DownloadResponse,
  ResolveResponse,
  SkillsResponse,
  TagMoveResponse,
  VersionRow,
  WorkerDetail,
  WorkerListQuery,
  WorkerListResponse,
} from '@iii-registry/schemas';
import type { Readable } from 'node:stream';
import type { CachedBody } from './response-cache';

/** The caller of a write, after its API key was checked. */
export interface Principal {
  keyId: number;
  name: string;
  admin: boolean;
}

export interface RecentPublish {
  name: string;
  version: string;
  description: string;
  published_at: string;
}

export interface AgentContextDocument {
  body: string;
  etag: string;
  /** The prepared answer: the UTF-8 body and every response header (services/agent-context.ts, renderedDocument). */
  prepared: { bytes: Buffer; headers: Record<string, string> };
  version: string;
  /** True when the request named an exact version (the response may be cached for a long time). */
  exact: boolean;
}

/**
 * What routes and web pages call. Every method throws RegistryError for expected failures. Async on purpose:
 * a PostgreSQL implementation for stateless replicas can slot in without touching callers.
 */
export interface RegistryServices {
  publish(principal: Principal, payload: unknown): Promise<{ version: WorkerDetail }>;
  list(query: WorkerListQuery): Promise<WorkerListResponse>;
  /** The same page serialized, reused until anything it shows changes (a write or a download). */
  listJson(query: WorkerListQuery): Promise<CachedBody>;
  /** `versionOrTag` is a tag or an exact version; default latest. */
  detail(name: string, versionOrTag?: string): Promise<WorkerDetail>;
  /** `{"worker": detail}` serialized, with its ETag; reused until the worker changes. */
  detailJson(name: string, versionOrTag?: string): Promise<CachedBody>;
  /** `{name, version, functions, triggers}`: the version's API reference exactly as published, with its ETag. */
  apiReferenceJson(name: string, versionOrTag?: string): Promise<CachedBody>;
  versions(name: string): Promise<VersionRow[]>;
  moveTag(principal: Principal, name: string, tag: string, body: unknown): Promise<TagMoveResponse>;
  setStatus(principal: Principal, name: string, version: string, body: unknown): Promise<VersionRow>;
  publishSkills(principal: Principal, name: string, body: unknown): Promise<{ name: string; version: string; count: number }>;
  skills(name: string, versionOrTag?: string): Promise<SkillsResponse>;
  resolve(body: unknown): Promise<ResolveResponse>;
  /** The resolve response serialized, reused until any worker changes. */
  resolveJson(body: unknown): Promise<CachedBody>;
  /** null for engine workers (204). Counts the download. */
  download(name: string, version: string | undefined, ci: boolean): Promise<DownloadResponse | null>;
  agentContext(name: string, versionOrTag: string | undefined, options?: AgentContextOptions): Promise<AgentContextDocument>;
  recent(limit: number, name?: string): Promise<RecentPublish[]>;
  /** Every worker name with its latest version and description, for llms.txt. */
  index(): Promise<{ name: string; version: string; description: string }[]>;
  uploadArchive(principal: Principal, name: string, version: string, body: Readable): Promise<ArchiveUploadResponse>;
  /** A stored archive's bytes as a stream, or null. */
  openArchive(sha256: string): Promise<Readable | null>;
}
