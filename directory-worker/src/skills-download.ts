import { SkillsDownloadRequestSchema, SkillsDownloadResponseSchema, type SkillMarker, type SkillsDownloadResponse } from '@iii-registry/schemas';
import type { IIIClient } from 'iii-sdk';
import { join, relative, resolve, sep } from 'node:path';
import { bind, parseInput } from './kits/bind';
import { DirectoryError } from './kits/errors';
import { sha256, writeAtomic } from './kits/files';
import { readLock } from './kits/lock';
import { kitOwning, MARKER_FILE } from './kits/origin';
import type { KitsEnv } from './kits/paths';
import type { RegistryClient } from './registry-client';

export const SKILLS_DOWNLOAD_ID = 'directory::skills::download';
export const SKILLS_DOWNLOAD_FROM_REGISTRY_ID = 'directory::skills::download_from_registry';

const WORKER = /^[a-z0-9][a-z0-9_-]*$/;
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const AGENT_ID = /^[a-z0-9_-]{1,64}$/;

export interface SkillsDeps {
  env: KitsEnv;
  registry: RegistryClient;
  emit(event: { target: 'agents' | 'skills'; payload: Record<string, unknown> }): void;
}

const D310 = (worker: string) => new DirectoryError('D310', 'not_found', `registry worker "${worker}" has no published skills bundle`,
  'call directory::registry::workers::list to find a worker that has one');
const D320 = (what: string) => new DirectoryError('D320', 'registry_error', what, 'retry shortly');

/** Stays inside `root`, or D320: a bundle that tries to leave its folder is refused before anything is written. */
function inside(root: string, rel: string, worker: string): string {
  const abs = resolve(root, rel);
  const r = relative(root, abs);
  if (!rel.split('/').every((s) => SEGMENT.test(s)) || r === '' || r.startsWith(`..${sep}`) || r === '..')
    throw D320(`the skills bundle of ${worker} has an entry "${rel}" that would leave its folder; nothing was written`);
  return abs;
}

/**
 * Writes a worker's skills bundle (kits.md §3.2): skills under `<skills>/<worker>/`, system prompts under
 * `<skills>/<worker>/system-prompts/`, agent profiles into the agents folder (except those a kit owns: kit > worker),
 * `prompts/` entries ignored, then the `.iii-skill-complete` marker recording who wrote which profile.
 */
export async function downloadSkills(deps: SkillsDeps, payload: unknown): Promise<SkillsDownloadResponse> {
  const { worker, version, tag } = parseInput(SkillsDownloadRequestSchema, payload);
  if (!WORKER.test(worker)) throw new DirectoryError('D311', 'invalid_input', `"${worker}" is not a registry worker name (a-z, 0-9, _ and -)`,
    'call directory::registry::workers::list to find the name');
  const ref = version ?? tag ?? 'latest';
  let bundle;
  try {
    bundle = await deps.registry.getSkills(worker, ref);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'worker_not_found' || code === 'version_not_found') throw D310(worker);
    throw D320(err instanceof Error && err.name === 'RegistryUnavailableError' ? 'could not reach the registry' : `could not decode the skills bundle of ${worker}`);
  }
  if (!bundle) throw D310(worker);
  const root = join(deps.env.skillsFolder, worker);
  const lock = await readLock(deps.env.lockPath);
  const hasSkillMd = bundle.skills.some((s) => s.path.replace(/^skills\//, '') === 'SKILL.md');
  const writes: Array<{ abs: string; text: string }> = [];
  const out: SkillsDownloadResponse = { namespace: worker, skills_written: [], system_prompts_written: [], agents_written: [], agents_skipped: [],
    source: { kind: 'registry', worker, ...(version ? { version } : { tag: ref }) } };
  const agents: Record<string, string> = {};
  for (const entry of bundle.skills) {
    const rel = entry.path.replace(/^skills\//, '');
    if (rel === 'index.md' && hasSkillMd) continue;
    const segments = rel.split('/');
    if (segments.includes('prompts')) continue;
    if (segments[0] === 'agents' && segments.length === 2) {
      const id = (segments[1] ?? '').replace(/\.md$/, '');
      if (!AGENT_ID.test(id)) throw D320(`the skills bundle of ${worker} has an agent profile with an unusable id "${rel}"`);
      if (kitOwning(lock, `agents/${id}.md`)) { out.agents_skipped.push(id); continue; }
      writes.push({ abs: join(deps.env.agentsFolder, `${id}.md`), text: entry.content });
      agents[id] = sha256(entry.content);
      out.agents_written.push(id);
    } else if (segments.includes('system-prompts')) {
      writes.push({ abs: inside(root, `system-prompts/${segments[segments.length - 1]}`, worker), text: entry.content });
      out.system_prompts_written.push((segments[segments.length - 1] ?? '').replace(/\.md$/, ''));
    } else {
      writes.push({ abs: inside(root, rel, worker), text: entry.content });
      out.skills_written.push(rel);
    }
  }
  for (const w of writes) await writeAtomic(w.abs, w.text);
  const marker: SkillMarker = { worker, source: 'registry', tag_or_version: ref, schema: 2, version: bundle.version ?? ref, agents };
  await writeAtomic(join(root, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);
  if (out.agents_written.length) deps.emit({ target: 'agents', payload: { op: 'download', source: 'registry' } });
  deps.emit({ target: 'skills', payload: { op: 'download', source: 'registry' } });
  return out;
}

export function register(iii: Pick<IIIClient, 'registerFunction'>, deps: SkillsDeps): void {
  const description = 'Download a registry worker\'s skills bundle into this project: skills under the skills folder, ' +
    'its agent profiles into the agents folder (a kit\'s profiles win), system prompts beside its skills. ' +
    '`version` or `tag`, not both; neither means latest.';
  for (const id of [SKILLS_DOWNLOAD_ID, SKILLS_DOWNLOAD_FROM_REGISTRY_ID])
    bind(iii, { id, description, request: SkillsDownloadRequestSchema, response: SkillsDownloadResponseSchema, handler: (p) => downloadSkills(deps, p) });
}
