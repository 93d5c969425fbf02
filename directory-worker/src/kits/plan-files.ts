import type { AgentEntry, KitDetail, KitFiles, LockedKit, PlanContents, PlanFile, PlanIssue } from '@iii-registry/schemas';
import type { LocalView } from './context';
import { readText, sha256 } from './files';
import type { KitRegistry } from './kit-registry';
import { threeWay } from './merge';
import { agentOwner } from './origin';
import { absPath, idFor, installPathFor, kindOf, sourceFor, type KitsEnv } from './paths';

export const BUILTIN_AGENTS = ['default', 'iii', 'iii-minimal'];

export interface IndexedFile { source: string; sha: string; content: string }

/** A version's installable files by install path; any path that would leave its folder refuses the whole kit (D516). */
export function indexFiles(env: KitsEnv, kit: string, files: KitFiles): Map<string, IndexedFile> {
  const out = new Map<string, IndexedFile>();
  for (const f of files.files) {
    const path = installPathFor(kit, f.path);
    if (path === null) continue;
    absPath(env, path);
    out.set(path, { source: f.path, sha: sha256(f.content), content: f.content });
  }
  return out;
}

const agentOf = (d: KitDetail | null | undefined, source: string) => d?.agents.find((a) => a.path === source);
const skillOf = (d: KitDetail | null | undefined, source: string) => d?.skills.find((s) => s.path === source);

function collisionIssue(path: string, c: NonNullable<PlanFile['collision']>): PlanIssue {
  const v = c.version ? ` ${c.version}` : '';
  switch (c.owner) {
    case 'worker': return { code: 'agent_overwrite', path, message: `${path} came from worker ${c.worker}${v} and will be replaced${c.modified ? ' (it was edited in this project)' : ''}.` };
    case 'kit': return { code: 'agent_overwrite_kit', path, message: `${path} belongs to kit ${c.kit}${v}; replacing it moves the file to this kit.` };
    case 'builtin': return { code: 'builtin_override', path, message: `${path} replaces a profile built into iii-directory for this whole project.` };
    case 'global': return { code: 'agent_shadows_global', path, message: `${path} shadows your user-global profile of the same id in this project.` };
    default: return path.startsWith('agents/')
      ? { code: 'agent_overwrite_local', path, message: `${path} was created in this project and does not come from any package; replacing it loses that profile.` }
      : { code: 'file_overwrite_local', path, message: `${path} already exists in this project and is not tracked by kits.lock.` };
  }
}

/** A file the kit adds (install, or new in an update): free, identical, or someone else's (a collision). */
export async function addedFile(env: KitsEnv, view: LocalView, kit: string, detail: KitDetail, path: string, f: IndexedFile,
  contents: PlanContents, warnings: PlanIssue[]): Promise<PlanFile> {
  const abs = absPath(env, path);
  const text = await readText(abs);
  const ours = text === null ? undefined : sha256(text);
  let collision: PlanFile['collision'];
  if (text !== null && ours !== f.sha) {
    contents.ours[path] = text;
    if (path.startsWith('agents/')) {
      const o = agentOwner(view.lock, view.markers, idFor(path), ours ?? null);
      if (!(o.owner === 'kit' && o.kit === kit)) collision = { ...o, sha256: ours };
    } else {
      collision = { owner: 'local', sha256: ours };
    }
  } else if (text === null && path.startsWith('agents/') && BUILTIN_AGENTS.includes(idFor(path))) {
    collision = { owner: 'builtin' };
  }
  if (collision) warnings.push(collisionIssue(path, collision));
  const identical = text !== null && ours === f.sha;
  return {
    path, source: f.source, kind: kindOf(path), id: idFor(path), change: 'added',
    local: text === null ? 'absent' : identical ? 'intact' : 'occupied',
    theirs: f.sha, ...(ours ? { ours } : {}), ...(collision ? { collision } : {}),
    default: 'overwrite', options: collision && text !== null ? ['overwrite', 'keep'] : ['overwrite'],
    ...(identical ? { note: 'already identical on disk' } : collision ? { note: `${collision.owner === 'worker' ? `came from worker ${collision.worker}` : collision.owner === 'kit' ? `belongs to kit ${collision.kit}` : collision.owner === 'builtin' ? 'built-in profile' : 'created in this project'}` } : {}),
    ...withEntries(detail, f.source),
  };
}

function withEntries(detail: KitDetail | null | undefined, source: string): Pick<PlanFile, 'agent' | 'skill'> {
  const agent = agentOf(detail, source);
  const skill = skillOf(detail, source);
  return { ...(agent ? { agent } : {}), ...(skill ? { skill } : {}) };
}

function agentChanges(old: AgentEntry | undefined, now: AgentEntry | undefined): PlanFile['agent_changes'] {
  if (!old || !now) return undefined;
  const fields: Record<string, [string | null, string | null]> = {};
  for (const k of ['name', 'description', 'logo', 'model', 'reasoning_effort', 'extends', 'icon', 'color'] as const)
    if ((old[k] ?? null) !== (now[k] ?? null)) fields[k] = [old[k] ?? null, now[k] ?? null];
  const added = (a: string[], b: string[]) => b.filter((x) => !a.includes(x));
  const out = {
    ...(Object.keys(fields).length ? { fields } : {}),
    ...(added(old.functions, now.functions).length ? { functions_added: added(old.functions, now.functions) } : {}),
    ...(added(now.functions, old.functions).length ? { functions_removed: added(now.functions, old.functions) } : {}),
    ...(added(old.skills, now.skills).length ? { skills_added: added(old.skills, now.skills) } : {}),
    ...(added(now.skills, old.skills).length ? { skills_removed: added(now.skills, old.skills) } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}

const body = (text: string) => text.replace(/^---\n[\s\S]*?\n---\n?/, '');

/**
 * A file both versions carry with different content. Untouched locally: the kit's version, silently. Edited: a
 * three-way merge against the installed base (GET /blobs/{sha}); clean merges default to `merged`, conflicts
 * need a decision. Deleted locally: restored unless the caller keeps it deleted.
 */
export async function modifiedFile(env: KitsEnv, registry: KitRegistry, kit: string, detail: KitDetail, oldDetail: KitDetail | null,
  path: string, old: LockedKit['files'][string], f: IndexedFile, contents: PlanContents, warnings: PlanIssue[]): Promise<PlanFile> {
  const abs = absPath(env, path);
  const text = await readText(abs);
  const ours = text === null ? undefined : sha256(text);
  const base: PlanFile = {
    path, source: f.source, kind: kindOf(path), id: idFor(path), change: 'modified', local: 'intact',
    base: old.sha256, theirs: f.sha, ...(ours ? { ours } : {}), default: 'kit', options: ['kit'], ...withEntries(detail, f.source),
  };
  const changes = agentChanges(agentOf(oldDetail, f.source), agentOf(detail, f.source));
  if (changes) base.agent_changes = changes;
  if (old.skipped) {
    if (text !== null) contents.ours[path] = text;
    return { ...base, change: 'kept', local: text === null ? 'absent' : 'occupied', skipped: true, default: 'keep',
      options: ['keep', 'overwrite'], note: "you kept the existing file at install; the kit's version changed" };
  }
  const baseText = await registry.blob(old.sha256);
  if (baseText !== null) {
    contents.blobs[old.sha256] = baseText;
    if (base.kind === 'agent') base.body_changed = body(baseText) !== body(f.content);
  }
  if (text === null)
    return { ...base, local: 'missing', options: ['kit', 'mine'], note: 'you deleted this file; the update restores it unless you keep it deleted' };
  if (ours === old.sha256) return base;
  contents.ours[path] = text;
  if (baseText === null) {
    warnings.push({ code: 'merge_conflict', path, message: `${path} was edited here and its base is unavailable; choose the kit's version or yours.` });
    return { ...base, local: 'edited', merge: 'conflicts', default: null, options: ['kit', 'mine'],
      note: 'edited by you; the installed version is no longer in the registry, so it cannot be merged' };
  }
  const merged = threeWay(baseText, text, f.content, `${kit}@${detail.version}`);
  contents.merged[path] = merged.content;
  const file: PlanFile = { ...base, local: 'edited', merge: merged.status, options: ['kit', 'mine', 'merged'] };
  if (merged.status === 'clean') {
    warnings.push({ code: 'local_edits_merged', path, message: `${path} has local edits; the update merges them with the kit's changes.` });
    return { ...file, default: 'merged', note: 'edited by you and changed in the kit; the changes merge cleanly' };
  }
  const n = merged.conflicts;
  warnings.push({ code: 'merge_conflict', path, message: `${path} was edited here and changed in the kit; ${n} conflict${n === 1 ? ' needs' : 's need'} a decision.` });
  return { ...file, default: null, conflicts: n, note: 'edited by you and changed in the kit; the changes conflict' };
}

/** A file the lock lists that the target version (or a removal) drops: removed, or kept when edited. */
export async function removedFile(env: KitsEnv, registry: KitRegistry, kit: string, oldDetail: KitDetail | null, path: string,
  old: LockedKit['files'][string], contents: PlanContents): Promise<PlanFile | null> {
  if (old.skipped) return null;
  const text = await readText(absPath(env, path));
  if (text === null) return null; // already gone: the lock simply forgets it
  const ours = sha256(text);
  const edited = ours !== old.sha256;
  const baseText = await registry.blob(old.sha256).catch(() => null);
  if (baseText !== null) contents.blobs[old.sha256] = baseText;
  if (edited) contents.ours[path] = text;
  const source = sourceFor(kit, path);
  return {
    path, source, kind: kindOf(path), id: idFor(path), change: 'removed', local: edited ? 'edited' : 'intact',
    base: old.sha256, ours, default: edited ? 'keep' : 'remove', options: ['remove', 'keep'],
    note: edited ? 'removed from the kit; you edited it, so it stays as a local file unless you remove it' : 'removed from the kit',
    ...withEntries(oldDetail, source),
  };
}
