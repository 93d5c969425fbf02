import type { KitDetail, KitFiles, KitFunction, KitVersions } from '@iii-registry/schemas';
import type { KitsRepository } from '../db/kits-repository';
import type { KitRow, KitTagRow, KitVersionMeta, KitVersionRecord } from '../db/kits-types';
import type { WorkersRepository } from '../db/workers-repository';
import { RegistryError } from '../errors';
import { newestFirst, resolveKitSpec } from './kit-rules';
import { resolveAll, toKitWorker, type ResolvedWorker } from './kit-workers';

export interface KitReadDeps {
  kits: KitsRepository;
  workers: WorkersRepository;
}

export const kitNotFound = (handle: string, name: string) =>
  new RegistryError(404, 'kit_not_found', `No kit named '${handle}/${name}' is published here.`, 'Check the handle and name, or search with GET /k?search=<words>.');

export const kitVersionNotFound = (id: string, asked: string, available: string[]) =>
  new RegistryError(404, 'kit_version_not_found', `Kit '${id}' has no version or tag '${asked}'.`,
    available.length > 0 ? `Ask for one of: ${available.slice(0, 10).join(', ')} (or a tag such as latest).` : 'Publish a version first.', available.slice(0, 20));

export async function requireKit(deps: KitReadDeps, handle: string, name: string): Promise<KitRow> {
  const kit = await deps.kits.kit(handle, name);
  if (!kit) throw kitNotFound(handle, name);
  return kit;
}

export interface KitState {
  kit: KitRow;
  metas: KitVersionMeta[];
  tags: KitTagRow[];
  record: KitVersionRecord;
}

/** The kit and the version a `version=` value names (tag, exact, or range), or 404. */
export async function kitAt(deps: KitReadDeps, handle: string, name: string, spec: string | undefined): Promise<KitState> {
  const kit = await requireKit(deps, handle, name);
  const [metas, tags] = await Promise.all([deps.kits.versions(kit.id), deps.kits.tags(kit.id)]);
  const meta = resolveKitSpec(metas, tags, spec);
  if (!meta) throw kitVersionNotFound(`${handle}/${name}`, spec ?? 'latest', newestFirst(metas).map((m) => m.version));
  return { kit, metas, tags, record: (await deps.kits.version(kit.id, meta.version)) as KitVersionRecord };
}

export const releaseTags = (tags: KitTagRow[]): Record<string, string> => Object.fromEntries(tags.map((t) => [t.name, t.version]));

export const deprecationOf = (m: KitVersionMeta) =>
  m.status === 'deprecated' ? { message: m.status_message, replaced_by: m.replaced_by } : null;

export function toKitDetail(s: KitState, resolved: ResolvedWorker[]): KitDetail {
  const { kit, tags, record } = s;
  const d = record.doc;
  return {
    id: `${kit.handle}/${kit.name}`,
    // Key names are private labels: the author is the handle; admin-owned handles are the registry's own (verified).
    author: { handle: kit.handle, name: null, verified: kit.owner_admin || kit.owner_key_id === null },
    name: kit.name,
    description: d.description,
    tags: d.tags,
    version: record.version,
    repo: d.repo,
    license: d.license,
    notes: d.notes,
    published_at: record.published_at,
    release_tags: releaseTags(tags),
    counts: { agents: d.agents.length, skills: d.skills.length, workers: d.workers.length },
    deprecation: deprecationOf(record),
    experimental: d.experimental,
    workers: resolved.map(toKitWorker),
    agents: d.agents,
    skills: d.skills,
    total_downloads: kit.total_downloads,
    yanked: record.status === 'yanked' ? { message: record.status_message } : null,
    ci_downloads: kit.ci_downloads,
    has_readme: record.readme_sha256 !== null,
  };
}

export async function kitDetail(deps: KitReadDeps, handle: string, name: string, spec?: string): Promise<KitDetail> {
  const s = await kitAt(deps, handle, name, spec);
  return toKitDetail(s, await resolveAll(deps.workers, s.record.doc.workers));
}

export async function kitVersions(deps: KitReadDeps, handle: string, name: string): Promise<KitVersions> {
  const kit = await requireKit(deps, handle, name);
  const [metas, tags] = await Promise.all([deps.kits.versions(kit.id), deps.kits.tags(kit.id)]);
  return {
    release_tags: releaseTags(tags),
    versions: newestFirst(metas).map((v) => ({
      version: v.version,
      published_at: v.published_at,
      license: v.license,
      tags: tags.filter((t) => t.version_id === v.id).map((t) => t.name),
      deprecated: v.status === 'deprecated',
      yanked: v.status === 'yanked',
      prerelease: v.prerelease,
    })),
  };
}

/** `/files` and `/download` share this one serialization, so both answer byte-identical bodies. */
export async function kitFilesJson(deps: KitReadDeps, handle: string, name: string, spec: string | undefined): Promise<{ body: string; kitId: number }> {
  const s = await kitAt(deps, handle, name, spec);
  const [rows, resolved] = await Promise.all([deps.kits.files(s.record.id), resolveAll(deps.workers, s.record.doc.workers)]);
  const files: KitFiles = {
    version: s.record.version,
    files: rows.map((f) => ({
      path: f.path,
      kind: f.path.startsWith('agents/') ? 'agent' : 'skill',
      sha256: f.sha256,
      size_bytes: Buffer.byteLength(f.content, 'utf8'),
      content: f.content,
    })),
    workers: resolved.map(toKitWorker),
  };
  return { body: JSON.stringify(files), kitId: s.kit.id };
}

/** Each function an agent preloads, with the kit worker (at its resolved version) that provides it, or `missing`. */
export async function kitFunctions(deps: KitReadDeps, handle: string, name: string, spec?: string): Promise<{ functions: KitFunction[] }> {
  const s = await kitAt(deps, handle, name, spec);
  const resolved = await resolveAll(deps.workers, s.record.doc.workers);
  const usedBy = new Map<string, string[]>();
  for (const agent of s.record.doc.agents)
    for (const fn of agent.functions) usedBy.set(fn, [...(usedBy.get(fn) ?? []), agent.id]);
  const functions = [...usedBy.keys()].sort().map((id): KitFunction => {
    for (const w of resolved) {
      const found = w.record?.doc.functions.find((f) => f.name === id);
      if (found && w.record) return { id, used_by: usedBy.get(id) ?? [], status: 'ok', worker: w.name, worker_version: w.record.version, description: found.description || null };
    }
    return { id, used_by: usedBy.get(id) ?? [], status: 'missing', worker: null, worker_version: null, description: null };
  });
  return { functions };
}

export async function kitReadme(deps: KitReadDeps, handle: string, name: string, spec?: string): Promise<string> {
  const s = await kitAt(deps, handle, name, spec);
  const text = s.record.readme_sha256 ? await deps.kits.blob(s.record.readme_sha256) : null;
  if (text === null)
    throw new RegistryError(404, 'readme_not_found', `Kit '${handle}/${name}' ${s.record.version} has no README.`, 'Publish the next version with a `readme` (README.md beside iii.kit.yaml).');
  return text;
}
