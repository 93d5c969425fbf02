import {
  KitDetailResponseSchema, KitFilesSchema, KitFunctionsSchema, KitUpdatesResponseSchema, KitVersionsSchema,
  type KitDetail, type KitFiles, type KitFunction, type KitUpdateAnswer, type KitUpdateQuery, type KitVersions,
} from '@iii-registry/schemas';
import type { z } from 'zod';
import { D520 } from './errors';
import { sha256 } from './files';

/**
 * The Kits API as iii-directory reads it (kits.md §2). 404 means "does not exist" (null), whatever the body;
 * anything else that is not a 2xx, a transport failure or an undecodable body is D520. The sentences name the
 * kit, never the registry URL or the HTTP status (those go to the log).
 */
export interface KitRegistry {
  detail(kit: string, version: string): Promise<KitDetail | null>;
  versions(kit: string): Promise<KitVersions | null>;
  files(kit: string, version: string): Promise<KitFiles | null>;
  /** Counted as a download (`ci` counted apart). */
  download(kit: string, version: string, ci: boolean): Promise<KitFiles | null>;
  /** Errors and 404 give an empty list: a plan does not need them. */
  functions(kit: string, version: string): Promise<KitFunction[]>;
  /** Errors give null. */
  readme(kit: string, version: string): Promise<string | null>;
  updates(queries: KitUpdateQuery[]): Promise<KitUpdateAnswer[]>;
  /** Exact content whose sha256 is `sha`; null when unknown. Memoized in process (blobs never change). */
  blob(sha: string): Promise<string | null>;
}

export interface KitRegistryOptions {
  baseUrl: string;
  timeoutMs: number;
  log?: (line: string) => void;
}

export function createKitRegistry({ baseUrl, timeoutMs, log = () => {} }: KitRegistryOptions): KitRegistry {
  const root = baseUrl.replace(/\/+$/, '');
  const blobs = new Map<string, string>();

  async function request(what: string, path: string, init?: RequestInit): Promise<{ status: number; text: string }> {
    try {
      const res = await fetch(`${root}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      if (res.status !== 404 && (res.status < 200 || res.status > 299)) {
        log(`registry ${init?.method ?? 'GET'} ${path} answered HTTP ${res.status}`);
        throw D520(`the registry could not answer for ${what} (it reported a server-side error)`);
      }
      return { status: res.status, text };
    } catch (err) {
      if ((err as Error).name === 'DirectoryError') throw err;
      log(`registry ${init?.method ?? 'GET'} ${path} failed: ${(err as Error).message}`);
      throw D520('could not reach the registry');
    }
  }

  async function json<S extends z.ZodType>(schema: S, what: string, path: string, init?: RequestInit): Promise<z.output<S> | null> {
    const { status, text } = await request(what, path, init);
    if (status === 404) return null;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw D520(`could not decode the registry response for ${what}: it is not JSON`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw D520(`could not decode the registry response for ${what}: ${first ? `${first.path.join('.') || '(root)'} ${first.message}` : 'unexpected shape'}`);
    }
    return parsed.data;
  }

  const q = (version: string) => `version=${encodeURIComponent(version)}`;

  return {
    async detail(kit, version) {
      return (await json(KitDetailResponseSchema, `kit ${kit}`, `/k/${kit}?${q(version)}`))?.kit ?? null;
    },
    versions: (kit) => json(KitVersionsSchema, `the versions of ${kit}`, `/k/${kit}/versions`),
    files: (kit, version) => json(KitFilesSchema, `the files of ${kit}@${version}`, `/k/${kit}/files?${q(version)}`),
    download: (kit, version, ci) =>
      json(KitFilesSchema, `the download of ${kit}@${version}`, `/k/${kit}/download?${q(version)}&ci=${ci}`),
    async functions(kit, version) {
      try {
        return (await json(KitFunctionsSchema, `the functions of ${kit}`, `/k/${kit}/functions?${q(version)}`))?.functions ?? [];
      } catch {
        return [];
      }
    },
    async readme(kit, version) {
      try {
        const { status, text } = await request(`the README of ${kit}`, `/k/${kit}/readme?${q(version)}`);
        return status === 404 ? null : text;
      } catch {
        return null;
      }
    },
    async updates(queries) {
      const body = await json(KitUpdatesResponseSchema, 'the update check', '/k/updates', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kits: queries }),
      });
      if (body === null) throw D520('the registry has no update check');
      return body.kits;
    },
    async blob(sha) {
      if (!/^[0-9a-f]{64}$/.test(sha)) return null;
      const hit = blobs.get(sha);
      if (hit !== undefined) return hit;
      const { status, text } = await request(`a kit file base (${sha.slice(0, 12)})`, `/blobs/${sha}`);
      if (status === 404) return null;
      // A base that is not the content it names would merge against the wrong text.
      if (sha256(text) !== sha) throw D520(`the registry served a kit file base (${sha.slice(0, 12)}) whose content does not match its hash`);
      blobs.set(sha, text);
      return text;
    },
  };
}
