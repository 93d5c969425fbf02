import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SkillFrontmatterSchema, SkillKeySchema, validate } from '@iii-registry/schemas';
import type { FixedProblem } from './errors';

export interface CollectedSkill {
  /** The key it is published under (formats.md): SKILL.md, skills/<rel>.md or agents/<id>.md. */
  key: string;
  file: string;
  content: string;
  description?: string;
}

async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (e.isFile() && e.name.endsWith('.md')) out.push(full);
  }
  return out;
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?(?:\n|$)/;

/** Reads the optional YAML frontmatter of a skill; problems use the file as the path. */
function frontmatterOf(file: string, content: string, problems: FixedProblem[]): { description?: string } {
  const match = FRONTMATTER.exec(content);
  if (!match) return {};
  let data: unknown;
  try {
    data = parseYaml(match[1]);
  } catch (error) {
    problems.push({
      path: `${file} (frontmatter)`,
      message: `invalid YAML: ${(error as Error).message.split('\n')[0]}`,
      fix: 'fix the YAML between the --- lines',
    });
    return {};
  }
  if (data === null || data === undefined) return {};
  const checked = validate(SkillFrontmatterSchema, data);
  if (!checked.ok) {
    for (const p of checked.problems)
      problems.push({
        path: `${file} (frontmatter).${p.path}`,
        message: p.message,
        fix: 'frontmatter keys: name, description (at most 1024 characters), title, type (index | how-to | reference), function_id',
      });
    return {};
  }
  return { description: checked.value.description };
}

/**
 * Skills per formats.md: skills/SKILL.md as SKILL.md, the other skills/**.md under skills/, agents/<id>.md.
 * Empty files are skipped; bad keys and bad frontmatter are problems, never silently dropped.
 */
export async function collectSkills(dir: string, problems: FixedProblem[]): Promise<CollectedSkill[]> {
  const found: { key: string; file: string }[] = [];
  for (const full of await walk(path.join(dir, 'skills'))) {
    const rel = path.relative(path.join(dir, 'skills'), full).split(path.sep).join('/');
    found.push({ key: rel === 'SKILL.md' ? 'SKILL.md' : `skills/${rel}`, file: `skills/${rel}` });
  }
  for (const full of await walk(path.join(dir, 'agents'))) {
    const rel = path.relative(path.join(dir, 'agents'), full).split(path.sep).join('/');
    if (rel.includes('/')) continue; // only agents/<id>.md are agent prompts
    found.push({ key: `agents/${rel}`, file: `agents/${rel}` });
  }
  const skills: CollectedSkill[] = [];
  for (const { key, file } of found) {
    const content = await readFile(path.join(dir, file), 'utf8');
    if (content.trim() === '') continue;
    const checked = validate(SkillKeySchema, key);
    if (!checked.ok) {
      problems.push({
        path: file,
        message: `skill key '${key}' ${checked.problems[0]?.message ?? 'is invalid'}`,
        fix: 'rename the file with lower-case letters, digits, ., _, - and / only',
      });
      continue;
    }
    skills.push({ key, file, content, ...frontmatterOf(file, content, problems) });
  }
  return skills;
}
