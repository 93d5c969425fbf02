import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { D516 } from './errors';

/** Where kit operations read and write, resolved once from the config so tests can use a temp dir. */
export interface KitsEnv {
  projectDir: string;
  agentsFolder: string;
  skillsFolder: string;
  lockPath: string;
  composeFile: string;
  plansDir: string;
  updatesCache: string;
  /** Base of the registry's web pages (kit and worker links). */
  webUrl: string;
  /** Count downloads as CI (`CI` set and not "false"/"0"). */
  ci: boolean;
}

export interface KitsEnvOptions {
  projectDir?: string;
  agentsFolder?: string;
  skillsFolder?: string;
  registryUrl: string;
  registryWebUrl?: string;
  env?: Record<string, string | undefined>;
}

/** The registry's web base: the config value, else the API base with `://api.` replaced by `://`. */
export function webBase(registryUrl: string, registryWebUrl?: string): string {
  return (registryWebUrl ?? registryUrl.replace('://api.', '://')).replace(/\/+$/, '');
}

/** Project state lives next to the compose file: III_COMPOSE_FILE, else III_COMPOSE_DIR, else the cwd. */
export function kitsEnv(options: KitsEnvOptions): KitsEnv {
  const env = options.env ?? process.env;
  const composeFile = env.III_COMPOSE_FILE?.trim()
    ? resolve(env.III_COMPOSE_FILE)
    : join(resolve(options.projectDir ?? env.III_COMPOSE_DIR ?? process.cwd()), 'worker-compose.yaml');
  const projectDir = resolve(composeFile, '..');
  const state = join(projectDir, '.iii', 'directory');
  const ciFlag = env.CI?.trim() ?? '';
  return {
    projectDir,
    agentsFolder: resolve(projectDir, options.agentsFolder ?? 'agents'),
    skillsFolder: resolve(projectDir, options.skillsFolder ?? 'skills'),
    lockPath: join(projectDir, 'kits.lock'),
    composeFile,
    plansDir: join(state, 'kit-plans'),
    updatesCache: join(state, 'kit-updates.json'),
    webUrl: webBase(options.registryUrl, options.registryWebUrl),
    ci: ciFlag !== '' && ciFlag !== 'false' && ciFlag !== '0',
  };
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const AGENT_ID = /^[a-z0-9_-]{1,64}$/;

function safeSegments(rest: string): boolean {
  return rest.split('/').every((s) => SEGMENT.test(s) && s !== '.' && s !== '..');
}

/**
 * A kit source path as its logical install path (the key in kits.lock and plans), or null when the file is not
 * installed (README.md, nested agents). A path that tries to leave its folder throws D516 before anything is
 * written: the kit itself is unsafe, not merely uninstallable.
 */
export function installPathFor(kit: string, source: string): string | null {
  if (source.includes('\\') || source.includes('\0') || isAbsolute(source) || source.split('/').some((s) => s === '..' || s === '.'))
    throw D516(`the kit ${kit} carries a file "${source}" whose path would leave the agents or skills folder`);
  const agent = /^agents\/([^/]+)\.md$/.exec(source);
  if (agent) {
    if (!AGENT_ID.test(agent[1] ?? '')) throw D516(`the kit ${kit} carries an agent profile with an unusable id: "${source}"`);
    return source;
  }
  if (source.startsWith('skills/') && source.endsWith('.md')) {
    const rest = source.slice('skills/'.length);
    if (!safeSegments(rest)) throw D516(`the kit ${kit} carries a skill with an unusable path: "${source}"`);
    return `skills/${kit}/${rest}`;
  }
  return null;
}

/** The kit source path behind an install path (used for files the lock lists but the new version dropped). */
export function sourceFor(kit: string, path: string): string {
  const prefix = `skills/${kit}/`;
  return path.startsWith(prefix) ? `skills/${path.slice(prefix.length)}` : path;
}

export const kindOf = (path: string): 'agent' | 'skill' => (path.startsWith('agents/') ? 'agent' : 'skill');

/** Agent id, or skill id `<handle>/<kit>/<rest without .md>` with SKILL.md / SKILLS.md as `index`. */
export function idFor(path: string): string {
  if (path.startsWith('agents/')) return path.slice('agents/'.length, -'.md'.length);
  return path.slice('skills/'.length).replace(/(^|\/)SKILLS?\.md$/, '$1index').replace(/\.md$/, '');
}

/** The file on disk behind an install path, checked to stay inside its folder. */
export function absPath(env: KitsEnv, path: string): string {
  const [root, rest] = path.startsWith('agents/')
    ? [env.agentsFolder, path.slice('agents/'.length)]
    : [env.skillsFolder, path.slice('skills/'.length)];
  const abs = resolve(root, rest);
  const rel = relative(root, abs);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel) || !safeSegments(rest))
    throw D516(`the path "${path}" would leave the ${path.startsWith('agents/') ? 'agents' : 'skills'} folder`);
  return abs;
}
