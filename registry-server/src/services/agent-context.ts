import crypto from 'node:crypto';
import { renderAgentContext, type AgentContextOptions } from '@iii-registry/schemas';
import type { SkillsRepository } from '../db/skills-repository';
import type { WorkersRepository } from '../db/workers-repository';
import { isExactVersion } from '@iii-registry/schemas';
import type { ReadService } from './read';
import { frontmatterOf } from './skills';
import type { AgentContextDocument } from './types';
import { newestFirst } from './version-rules';

export interface AgentContextDeps {
  workers: WorkersRepository;
  skills: SkillsRepository;
  read: ReadService;
}

/**
 * A rendered document. The text is kept once, as bytes: `body` decodes on demand (pages), the HTTP route sends the
 * bytes with the headers prepared here. A class rather than an object literal with a `get body()`: V8 keeps such a
 * literal in dictionary mode, so every cache hit read `etag` and `prepared` through a generic lookup (bench/README.md,
 * "Two costs `perf` found").
 */
class RenderedDocument implements AgentContextDocument {
  readonly prepared: { bytes: Buffer; headers: Record<string, string> };

  constructor(readonly etag: string, readonly version: string, readonly exact: boolean, bytes: Buffer, headers: Record<string, string>) {
    this.prepared = { bytes, headers };
  }

  get body(): string {
    return this.prepared.bytes.toString();
  }
}

/**
 * The answer to GET /workers/{name}.md for a rendered text (local, or rendered from an upstream detail): its bytes,
 * ETag and every header. `exact` is true when the request named an exact version.
 */
export function renderedDocument(text: string, name: string, version: string, exact: boolean): AgentContextDocument {
  const bytes = Buffer.from(text);
  const etag = `"${crypto.createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
  return new RenderedDocument(etag, version, exact, bytes, {
    'content-type': 'text/markdown; charset=utf-8',
    etag,
    // An exact version's document changes only when its status does; a tag's can move any time.
    'cache-control': exact ? 'public, max-age=86400' : 'public, max-age=60',
    'content-location': `/workers/${name}.md?version=${version}`,
  });
}

/**
 * GET /workers/{name}.md: one renderer for every stored version. Rendered documents are kept keyed by the worker's
 * `revision` (bumped by every write that could change the text), so repeated reads cost a map lookup.
 */
export function createAgentContextService(deps: AgentContextDeps, maxEntries = 2000) {
  const cache = new Map<string, { stamp: string | null; doc: AgentContextDocument }>();
  /** The document of the shown version (no query), when it is cached under the revision known now; else undefined. */
  const hit = (name: string): AgentContextDocument | undefined => {
    const revision = deps.workers.stampsNow.revision(name);
    if (revision === undefined || revision === null) return undefined;
    const entry = cache.get(name);
    return entry !== undefined && entry.stamp === revision ? entry.doc : undefined;
  };
  return Object.assign(async function agentContext(name: string, spec: string | undefined, options: AgentContextOptions = {}): Promise<AgentContextDocument> {
    const revision = await deps.workers.revision(name);
    if (revision === null) await deps.read.requireWorker(name);
    const exact = spec !== undefined && isExactVersion(spec);
    // The document of the shown version with no options (what agents ask for) is keyed by the name alone, so a hit
    // needs no key built per request; names never contain \u0000, so it cannot collide with the other keys.
    const plain = spec === undefined && options.tokens === undefined && options.sections === undefined;
    const key = plain ? name : `${name}\u0000${spec ?? ''}\u0000${options.tokens ?? ''}\u0000${(options.sections ?? []).join(',')}`;
    const cached = cache.get(key);
    if (cached && cached.stamp === revision) return cached.doc;

    const worker = await deps.read.requireWorker(name);
    const detail = await deps.read.detail(name, spec);
    const metas = await deps.workers.versions(worker.id);
    const record = metas.find((m) => m.version === detail.version);
    const files = record ? ((await deps.skills.get(record.id)) ?? []) : [];
    const body = renderAgentContext(
      {
        worker: detail,
        other_versions: newestFirst(metas).map((m) => m.version).filter((v) => v !== detail.version),
        skills: files.map((f) => ({ path: f.path, description: frontmatterOf(f.content).description })),
      },
      options,
    );
    const doc = renderedDocument(body, name, detail.version, exact);
    cache.set(key, { stamp: String(worker.revision), doc });
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    return doc;
  }, { hit });
}
