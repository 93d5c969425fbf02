import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SkillFrontmatterSchema, SkillKeySchema, validate } from '@iii-registry/schemas';
import type { ProblemList } from './seed-error';

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/;

/** Every markdown file under `dir`, as paths relative to it with `/` separators, sorted. */
function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const full = join(current, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.md')) out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

/**
 * Checks the frontmatter a seed skill must carry. formats.md makes it optional for publishers; the seed
 * requires name, description and type because its skills are the examples others copy.
 */
function checkFrontmatter(file: string, content: string, problems: ProblemList): void {
  const match = FRONTMATTER.exec(content);
  if (!match) {
    problems.add(file, 'frontmatter', 'missing: start the file with --- name, description, type ---');
    return;
  }
  let data: unknown;
  try {
    data = parseYaml(match[1], { uniqueKeys: true });
  } catch (err) {
    problems.add(file, 'frontmatter', `invalid YAML: ${(err as Error).message.split('\n')[0]}`);
    return;
  }
  const result = validate(SkillFrontmatterSchema, data ?? {});
  if (!result.ok) {
    for (const p of result.problems) problems.add(file, `frontmatter.${p.path}`, p.message);
    return;
  }
  for (const key of ['name', 'description', 'type'] as const)
    if (!result.value[key]) problems.add(file, `frontmatter.${key}`, 'required in seed skills');
}

/**
 * Reads `skills/` (and `agents/`) of one worker folder into the published skills map:
 * `skills/SKILL.md` becomes `SKILL.md`, `skills/<rel>.md` stays `skills/<rel>.md`, `agents/<id>.md` stays.
 */
export function readSkills(workerDir: string, problems: ProblemList): Record<string, string> {
  const skills: Record<string, string> = {};
  for (const root of ['skills', 'agents']) {
    const dir = join(workerDir, root);
    if (!existsSync(dir)) continue;
    for (const rel of markdownFiles(dir)) {
      const file = join(dir, rel);
      const content = readFileSync(file, 'utf8');
      if (content.trim() === '') continue; // formats.md: empty files are skipped
      const key = root === 'skills' && rel === 'SKILL.md' ? 'SKILL.md' : `${root}/${rel}`;
      const keyCheck = validate(SkillKeySchema, key);
      if (!keyCheck.ok) {
        problems.add(file, 'key', `publishes as "${key}", which ${keyCheck.problems[0].message}`);
        continue;
      }
      checkFrontmatter(file, content, problems);
      skills[key] = content;
    }
  }
  if (!('SKILL.md' in skills) && Object.keys(skills).length > 0)
    problems.add(join(workerDir, 'skills', 'SKILL.md'), '(root)', 'missing: a worker with skills needs the SKILL.md overview');
  return skills;
}
