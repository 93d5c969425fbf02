import { SkillFrontmatterSchema, SkillsPublishRequestSchema, validate, type SkillPrompt, type SkillsResponse } from '@iii-registry/schemas';
import YAML from 'yaml';
import type { SkillsRepository } from '../db/skills-repository';
import type { WorkersRepository } from '../db/workers-repository';
import { forbidden, validationFailed } from '../errors';
import { mayWrite } from './publish';
import type { ReadService } from './read';
import type { Principal } from './types';
import { resolveForReading, resolveSpec } from './version-rules';

export interface SkillsDeps {
  workers: WorkersRepository;
  skills: SkillsRepository;
  read: ReadService;
  onChanged(name: string): Promise<void>;
}

/** The version a spec names: any tag (`latest`, `rc`) or exact version; reading shows prerelease-only workers too. */
async function versionOf(deps: SkillsDeps, name: string, spec: string | undefined, reading: boolean) {
  const worker = await deps.read.requireWorker(name);
  const [metas, tags] = await Promise.all([deps.workers.versions(worker.id), deps.workers.tags(worker.id)]);
  return { worker, meta: reading ? resolveForReading(name, metas, tags, spec) : resolveSpec(name, metas, tags, spec, 404) };
}

/** POST /w/{slug}/skills replaces the whole snapshot of one version (an empty map clears it). */
export async function publishSkills(deps: SkillsDeps, principal: Principal, name: string, body: unknown) {
  const checked = validate(SkillsPublishRequestSchema, body);
  if (!checked.ok) throw validationFailed('skills payload', checked.problems);
  const { worker, meta } = await versionOf(deps, name, checked.value.version, false);
  if (!mayWrite(principal, worker)) throw forbidden(name);
  await deps.skills.replace(meta.id, checked.value.skills);
  await deps.onChanged(name);
  return { name, version: meta.version, count: Object.keys(checked.value.skills).length };
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/** The frontmatter of a skill file, or {} when it has none or it does not parse. */
export function frontmatterOf(content: string): { name?: string; description?: string; args_schema?: Record<string, unknown> } {
  const m = FRONTMATTER.exec(content);
  if (!m) return {};
  try {
    const parsed = SkillFrontmatterSchema.safeParse(YAML.parse(m[1]));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** `prompts/<name>.md` files as the prompt rows older iii-directory versions decode (content without front-matter). */
export function promptsOf(files: { path: string; content: string }[]): SkillPrompt[] {
  return files
    .filter((f) => /^prompts\/[^/]+\.md$/i.test(f.path))
    .map((f) => {
      const fm = frontmatterOf(f.content);
      return {
        name: f.path.slice('prompts/'.length).replace(/\.md$/i, ''),
        description: fm.description ?? '',
        args_schema: fm.args_schema ?? null,
        content: f.content.replace(FRONTMATTER, ''),
      };
    });
}

/**
 * GET /w/{slug}/skills: the snapshot of the resolved version, every file in `skills` (SKILL.md, index.md, skills/,
 * agents/, system-prompts/, prompts/) and `prompts/*.md` again as prompt rows. A version without a snapshot answers
 * empty lists, never 404: the Rust iii-directory fetches detail and skills together and fails on either's error.
 */
export async function getSkills(deps: SkillsDeps, name: string, spec: string | undefined): Promise<SkillsResponse> {
  const { meta } = await versionOf(deps, name, spec, true);
  const files = (await deps.skills.get(meta.id)) ?? [];
  return { name, version: meta.version, skills: files, prompts: promptsOf(files) };
}
