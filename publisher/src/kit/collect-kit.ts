import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  checkKitFiles,
  DependencyRangeSchema,
  KIT_MANIFEST_FILE,
  KitManifestSchema,
  validate,
  type KitDetail,
  type KitManifest,
  type KitProblem,
  type KitPublishRequest,
} from '@iii-registry/schemas';
import { CliError, EXIT } from '../errors';

/** A kit folder read from disk: the manifest, the publish body it makes, and a local preview of the detail. */
export interface KitProject {
  manifest: KitManifest;
  handle: string;
  name: string;
  payload: KitPublishRequest;
  preview: KitDetail;
  warnings: string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}

/** Every file under `root/sub`, as posix paths relative to root (hidden entries skipped). */
async function walk(root: string, sub: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(path.join(root, sub), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const rel = `${sub}/${e.name}`;
    if (e.isDirectory()) out.push(...(await walk(root, rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

export async function readKitManifest(dir: string): Promise<KitManifest> {
  const file = path.join(dir, KIT_MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CliError(EXIT.validation, 'manifest_missing', `${KIT_MANIFEST_FILE} not found in ${dir}`, 'Run iii-publish kit init (or pass --dir <kit folder>).');
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new CliError(EXIT.validation, 'manifest_invalid', `${KIT_MANIFEST_FILE} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, 'Fix the YAML syntax.');
  }
  const checked = validate(KitManifestSchema, data ?? {});
  if (!checked.ok) throw new CliError(EXIT.validation, 'manifest_invalid', `${KIT_MANIFEST_FILE} is not valid`, 'Correct each field listed (docs/kits.md describes the manifest).', checked.problems);
  return checked.value;
}

/** Reads the manifest, agents/*.md, skills/**.md and the README, and applies the registry's own file checks. */
export async function collectKit(dir: string): Promise<KitProject> {
  const manifest = await readKitManifest(dir);
  const [handle, name] = manifest.kit.split('/');
  const warnings: string[] = [];
  const problems: KitProblem[] = [];
  const files: Record<string, string> = {};
  for (const rel of [...(await walk(dir, 'agents')), ...(await walk(dir, 'skills'))]) {
    if (!rel.endsWith('.md')) {
      warnings.push(`${rel} is not markdown and is not published (kits carry agents/*.md and skills/**.md only)`);
      continue;
    }
    try {
      files[rel] = utf8.decode(await readFile(path.join(dir, rel)));
    } catch {
      problems.push({ path: `files["${rel}"]`, code: 'file_not_utf8', message: 'is not UTF-8 text' });
    }
  }
  const readmeFile = manifest.readme ?? ((await exists(path.join(dir, 'README.md'))) ? 'README.md' : undefined);
  let readme: string | undefined;
  if (readmeFile) {
    try {
      readme = utf8.decode(await readFile(path.join(dir, readmeFile)));
    } catch {
      problems.push({ path: 'readme', code: 'file_not_utf8', message: `${readmeFile} is missing or not UTF-8 text` });
    }
  } else warnings.push('no README.md: the kit page will have no readme tab');
  const checked = checkKitFiles(handle, name, files, readme);
  problems.push(...checked.problems);
  Object.entries(manifest.workers).forEach(([w, range]) => {
    const checked = DependencyRangeSchema.safeParse(range);
    if (!checked.success) problems.push({ path: `workers["${w}"]`, code: 'invalid_range', message: `'${range}' ${checked.error.issues.map((i) => i.message).join('; ')}` });
  });
  if (problems.length > 0)
    throw new CliError(EXIT.validation, 'kit_invalid', `the kit in ${dir} is not valid`, 'Correct every problem listed, then run iii-publish kit validate again.',
      problems.map((p) => ({ path: p.path, message: `${p.message} [${p.code}]` })));
  const payload: KitPublishRequest = {
    version: manifest.version,
    ...(manifest.description ? { description: manifest.description } : {}),
    ...(manifest.license ? { license: manifest.license } : {}),
    ...(manifest.repo ? { repo: manifest.repo } : {}),
    ...(manifest.tags ? { tags: manifest.tags } : {}),
    ...(manifest.notes ? { notes: manifest.notes } : {}),
    ...(manifest.experimental !== undefined ? { experimental: manifest.experimental } : {}),
    ...(manifest.tag ? { tag: manifest.tag } : {}),
    ...(readme !== undefined ? { readme } : {}),
    workers: manifest.workers,
    files,
  };
  const preview: KitDetail = {
    id: manifest.kit, author: { handle, name: null, verified: false }, name, description: manifest.description ?? null, tags: manifest.tags ?? [],
    version: manifest.version, repo: manifest.repo ?? null, license: manifest.license ?? null, notes: manifest.notes ?? null, published_at: null,
    release_tags: {}, counts: { agents: checked.agents.length, skills: checked.skills.length, workers: Object.keys(manifest.workers).length },
    deprecation: null, experimental: manifest.experimental ?? null,
    workers: Object.entries(manifest.workers).map(([w, range]) => ({ name: w, range, resolved: null, type: null, description: null })),
    agents: checked.agents, skills: checked.skills, total_downloads: 0,
  };
  return { manifest, handle, name, payload, preview, warnings };
}
