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
 * GET /workers/{name}.md: one renderer for every stored version. Rendered documents are kept keyed by the worker's
 * `revision` (bumped by every write that could change the text), so repeated reads cost a map lookup.
 */
export function createAgentContextService(deps: AgentContextDeps, maxEntries = 2000) {
  const cache = new Map<string, { stamp: string | null; doc: AgentContextDocument }>();
  return async function agentContext(name: string, spec: string | undefined, options: AgentContextOptions = {}): Promise<AgentContextDocument> {
    const revision = await deps.workers.revision(name);
    if (revision === null) await deps.read.requireWorker(name);
    const exact = spec !== undefined && isExactVersion(spec);
    const key = `${name}\u0000${spec ?? ''}\u0000${options.tokens ?? ''}\u0000${(options.sections ?? []).join(',')}`;
    const hit = cache.get(key);
    if (hit && hit.stamp === revision) return hit.doc;

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
    const etag = `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    const doc = { body, etag, version: detail.version, exact };
    cache.set(key, { stamp: String(worker.revision), doc });
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    return doc;
  };
}
