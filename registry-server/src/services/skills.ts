import { SkillFrontmatterSchema, SkillsPublishRequestSchema, validate, type SkillsResponse } from '@iii-registry/schemas';
import YAML from 'yaml';
import type { SkillsRepository } from '../db/skills-repository';
import type { WorkersRepository } from '../db/workers-repository';
import { forbidden, RegistryError, validationFailed } from '../errors';
import { mayWrite } from './publish';
import type { ReadService } from './read';
import type { Principal } from './types';
import { resolveSpec } from './version-rules';

export interface SkillsDeps {
  workers: WorkersRepository;
  skills: SkillsRepository;
  read: ReadService;
  onChanged(name: string): Promise<void>;
}

async function versionOf(deps: SkillsDeps, name: string, spec: string | undefined) {
  const worker = await deps.read.requireWorker(name);
  const [metas, tags] = await Promise.all([deps.workers.versions(worker.id), deps.workers.tags(worker.id)]);
  return { worker, meta: resolveSpec(name, metas, tags, spec, 404) };
}

/** POST /w/{slug}/skills replaces the whole snapshot of one version (an empty map clears it). */
export async function publishSkills(deps: SkillsDeps, principal: Principal, name: string, body: unknown) {
  const checked = validate(SkillsPublishRequestSchema, body);
  if (!checked.ok) throw validationFailed('skills payload', checked.problems);
  const { worker, meta } = await versionOf(deps, name, checked.value.version);
  if (!mayWrite(principal, worker)) throw forbidden(name);
  await deps.skills.replace(meta.id, checked.value.skills);
  await deps.onChanged(name);
  return { name, version: meta.version, count: Object.keys(checked.value.skills).length };
}

/** The frontmatter of a skill file, or {} when it has none or it does not parse. */
export function frontmatterOf(content: string): { name?: string; description?: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(content);
  if (!m) return {};
  try {
    const parsed = SkillFrontmatterSchema.safeParse(YAML.parse(m[1]));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** GET /w/{slug}/skills: the snapshot of the resolved version; `prompts` lists files under agents/. */
export async function getSkills(deps: SkillsDeps, name: string, spec: string | undefined): Promise<SkillsResponse> {
  const { meta } = await versionOf(deps, name, spec);
  const files = await deps.skills.get(meta.id);
  if (files === null)
    throw new RegistryError(404, 'skills_not_found', `${name}@${meta.version} has no skills snapshot.`,
      `Publish one with POST /w/${name}/skills, or ask for another version.`);
  const prompts = files
    .filter((f) => f.path.startsWith('agents/'))
    .map((f) => ({ name: f.path.slice('agents/'.length).replace(/\.md$/i, ''), description: frontmatterOf(f.content).description ?? '' }));
  return { name, version: meta.version, skills: files, prompts };
}
