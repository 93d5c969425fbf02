import crypto from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { kitSkillId, type AgentEntry, type SkillEntry } from './kits';
import { KIT_LIMITS, type KitProblem, type KitProblemCode } from './kits-publish';

/**
 * Checks a kit's files and derives what the read side serves: sha256 per file (lowercase hex of the UTF-8 bytes),
 * agent entries from `agents/<id>.md` front-matter (kits.md §1.5), skill entries from `skills/**.md`
 * front-matter (§3.3), and the `used_by` links. Pure: every problem is returned with its path and code.
 */

export const sha256Hex = (content: string) => crypto.createHash('sha256').update(content, 'utf8').digest('hex');

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const AGENT_ID = /^[a-z0-9_-]{1,64}$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface CheckedFile {
  path: string;
  kind: 'agent' | 'skill';
  sha256: string;
  size: number;
  content: string;
}

export interface CheckedFiles {
  files: CheckedFile[];
  agents: AgentEntry[];
  skills: SkillEntry[];
  problems: KitProblem[];
}

const problem = (path: string, code: KitProblemCode, message: string): KitProblem => ({ path, code, message });

/** Front-matter between a leading `---` line and the next `---` line; null when the file has none. */
export function frontMatter(content: string): { data: Record<string, unknown> | null; error?: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(content);
  if (!m) return content.startsWith('---') ? { data: null, error: 'front-matter starts with --- but has no closing --- line' } : { data: null };
  try {
    const data = parseYaml(m[1]) as unknown;
    if (data === null || data === undefined) return { data: {} };
    if (typeof data !== 'object' || Array.isArray(data)) return { data: null, error: 'front-matter must be a YAML mapping' };
    return { data: data as Record<string, unknown> };
  } catch (e) {
    return { data: null, error: `front-matter is not valid YAML: ${(e as Error).message.split('\n')[0]}` };
  }
}

type Fields = Record<string, unknown>;
const STRING_FIELDS = ['name', 'description', 'logo', 'icon', 'color', 'model', 'reasoning_effort', 'extends'] as const;

function agentEntry(path: string, id: string, file: CheckedFile, fm: Fields, problems: KitProblem[]): AgentEntry {
  const at = `files["${path}"].front_matter`;
  const str = (key: string): string | null => {
    const v = fm[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    problems.push(problem(`${at}.${key}`, 'bad_front_matter', 'must be a string'));
    return null;
  };
  const list = (key: string): string[] => {
    const v = fm[key];
    if (v === undefined || v === null) return [];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    problems.push(problem(`${at}.${key}`, 'bad_front_matter', 'must be a list of strings'));
    return [];
  };
  const strings = Object.fromEntries(STRING_FIELDS.map((k) => [k, str(k)])) as Record<(typeof STRING_FIELDS)[number], string | null>;
  if (!strings.name || strings.name.trim() === '') problems.push(problem(`${at}.name`, 'bad_front_matter', 'an agent profile needs a non-empty name'));
  let hidden: boolean | null = null;
  if (fm.hidden !== undefined && fm.hidden !== null) {
    if (typeof fm.hidden === 'boolean') hidden = fm.hidden;
    else problems.push(problem(`${at}.hidden`, 'bad_front_matter', 'must be true or false'));
  }
  return { id, path, sha256: file.sha256, size_bytes: file.size, ...strings, hidden, skills: list('skills'), functions: list('functions') };
}

function skillEntry(handle: string, name: string, path: string, file: CheckedFile, fm: Fields, problems: KitProblem[]): SkillEntry {
  const at = `files["${path}"].front_matter`;
  const str = (key: string): string | null => {
    const v = fm[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return v;
    problems.push(problem(`${at}.${key}`, 'bad_front_matter', 'must be a string'));
    return null;
  };
  const title = str('title') ?? str('name');
  const dmi = fm['disable-model-invocation'];
  if (dmi !== undefined && typeof dmi !== 'boolean') problems.push(problem(`${at}.disable-model-invocation`, 'bad_front_matter', 'must be true or false'));
  return { id: kitSkillId(handle, name, path), path, sha256: file.sha256, size_bytes: file.size, title, description: str('description'), type: str('type'), used_by: [] };
}

/** Does an agent's `skills:` entry name this skill? Full id, id relative to the kit, or a `prefix/*` glob. */
export function agentNamesSkill(entry: string, skill: SkillEntry, handle: string, name: string): boolean {
  const rel = skill.id.slice(`${handle}/${name}/`.length);
  for (const candidate of [skill.id, rel]) {
    if (entry === candidate) return true;
    if (entry.endsWith('/*') || entry.endsWith('/**')) {
      const prefix = entry.replace(/\/\*\*?$/, '/');
      if (candidate.startsWith(prefix)) return true;
    }
  }
  return false;
}

export function checkKitFiles(handle: string, name: string, input: Record<string, string>, readme: string | undefined): CheckedFiles {
  const problems: KitProblem[] = [];
  const files: CheckedFile[] = [];
  const agents: AgentEntry[] = [];
  const skills: SkillEntry[] = [];
  const entries = Object.entries(input).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) problems.push(problem('files', 'invalid_field', 'a kit needs at least one agents/<id>.md or skills/**.md file'));
  if (entries.length > KIT_LIMITS.files) problems.push(problem('files', 'too_many_files', `${entries.length} files; at most ${KIT_LIMITS.files}`));
  let total = readme === undefined ? 0 : Buffer.byteLength(readme, 'utf8');
  if (readme !== undefined && total > KIT_LIMITS.readmeBytes) problems.push(problem('readme', 'file_too_large', `${total} bytes; at most ${KIT_LIMITS.readmeBytes}`));
  if (readme !== undefined && (LONE_SURROGATE.test(readme) || readme.includes('\u0000'))) problems.push(problem('readme', 'file_not_utf8', 'must be UTF-8 text (no lone surrogates, no NUL)'));
  for (const [path, content] of entries) {
    const at = `files["${path}"]`;
    const segments = path.split('/');
    const bad = (code: KitProblemCode, message: string) => problems.push(problem(at, code, message));
    if (path.length > KIT_LIMITS.pathChars || !segments.every((s) => SEGMENT.test(s)) || !path.endsWith('.md')) {
      bad('invalid_kit_path', 'must be a relative .md path of segments [A-Za-z0-9][A-Za-z0-9._-]* (no "..", no leading /)');
      continue;
    }
    let kind: 'agent' | 'skill';
    if (segments[0] === 'agents') {
      if (segments.length !== 2) { bad('nested_agent_path', 'agent profiles are flat: agents/<id>.md (nested ones are never installed)'); continue; }
      kind = 'agent';
      if (!AGENT_ID.test(segments[1].slice(0, -3))) { bad('invalid_agent_id', 'the agent id (file stem) must match ^[a-z0-9_-]{1,64}$'); continue; }
    } else if (segments[0] === 'skills' && segments.length >= 2) {
      kind = 'skill';
    } else {
      bad('invalid_kit_path', 'must be agents/<id>.md or skills/**.md (other files are never installed; send the README as `readme`)');
      continue;
    }
    if (typeof content !== 'string') { bad('invalid_field', 'must be the file content as a string'); continue; }
    if (LONE_SURROGATE.test(content) || content.includes('\u0000')) { bad('file_not_utf8', 'must be UTF-8 markdown text (no lone surrogates, no NUL)'); continue; }
    const size = Buffer.byteLength(content, 'utf8');
    total += size;
    if (content.trim() === '') { bad('file_empty', 'must not be empty'); continue; }
    if (size > KIT_LIMITS.fileBytes) { bad('file_too_large', `${size} bytes; at most ${KIT_LIMITS.fileBytes}`); continue; }
    const file: CheckedFile = { path, kind, sha256: sha256Hex(content), size, content };
    files.push(file);
    const fm = frontMatter(content);
    if (fm.error) { problems.push(problem(`${at}.front_matter`, 'bad_front_matter', fm.error)); continue; }
    if (kind === 'agent') {
      if (!fm.data) { problems.push(problem(`${at}.front_matter`, 'bad_front_matter', 'an agent profile starts with --- front-matter --- (name, description, functions, skills...)')); continue; }
      agents.push(agentEntry(path, segments[1].slice(0, -3), file, fm.data, problems));
    } else {
      skills.push(skillEntry(handle, name, path, file, fm.data ?? {}, problems));
    }
  }
  if (total > KIT_LIMITS.totalBytes) problems.push(problem('files', 'kit_too_large', `${total} bytes in all; at most ${KIT_LIMITS.totalBytes}`));
  for (const skill of skills) skill.used_by = agents.filter((a) => a.skills.some((s) => agentNamesSkill(s, skill, handle, name))).map((a) => a.id);
  return { files, agents, skills, problems };
}
