import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument, parse as parseYaml } from 'yaml';
import {
  MANIFEST_KEYS,
  WorkerManifestSchema,
  bundleManifestProblems,
  validate,
  type JsonObject,
  type WorkerManifest,
} from '@iii-registry/schemas';
import { CliError, EXIT, type FixedProblem } from './errors';
import { collectSkills, type CollectedSkill } from './collect-skills';
import { resolveMetadata, type MetadataFlags, type PublishMetadata } from './metadata';
import { rangeWarnings } from './range-readings';

export const MANIFEST_FILE = 'iii.worker.yaml';

export interface Project {
  dir: string;
  manifest: WorkerManifest;
  version: string;
  /** Version, type, license, repo, description: from flags, the manifest, or the package file. */
  meta: PublishMetadata;
  readme: string;
  config: JsonObject;
  skills: CollectedSkill[];
  warnings: string[];
}

/** The fix for one manifest problem, keyed by the field it concerns. */
function fixFor(p: { path: string; message: string }): string {
  if (p.message === 'unknown field')
    return p.path.includes('.') || p.path.includes('[')
      ? 'remove it (the engine refuses unknown keys)'
      : `remove it; known keys: ${MANIFEST_KEYS.join(', ')}`;
  const top = p.path.split(/[.[]/)[0];
  const fixes: Record<string, string> = {
    iii: 'set `iii: v1`',
    name: 'use lower-case letters, digits, - and _ (at most 64), e.g. `name: my-worker`',
    version: 'set `version: 0.1.0` (strict semver), pass --version, or set `manifest:` naming package.json, Cargo.toml or pyproject.toml',
    type: 'set `type: engine` for engine built-ins (binary, image and bundle go in `deploy:`), or pass --type',
    dependencies: 'map worker names to semver ranges, e.g. `iii-state: "^0.21.0"`',
    tags: 'use a list of short lower-case words',
    resources: '`cpus` and `memory` (MiB) are whole numbers; bundles get at most 4 cpus and 4096 MiB',
    scripts: 'keys: setup, install, start',
    runtime: 'keys: base_image, language, entry, kind, package_manager',
    env: 'map NAME to a string value',
  };
  return fixes[top] ?? `fix \`${p.path}\` in ${MANIFEST_FILE}`;
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Reads and checks everything a publish needs from a worker folder, collecting every problem before
 * failing, so one run of `validate` lists them all.
 */
export async function collectProject(dir: string, flags: MetadataFlags = {}): Promise<Project> {
  const manifestPath = path.join(dir, MANIFEST_FILE);
  const text = await readOptional(manifestPath);
  if (text === undefined)
    throw new CliError(EXIT.validation, 'manifest_missing', `${MANIFEST_FILE} not found in ${dir}`, 'Run `iii-publish init` to write one.');
  const problems: FixedProblem[] = [];
  const warnings: string[] = [];

  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  for (const e of doc.errors) {
    const where = e.linePos?.[0] ? `${MANIFEST_FILE}:${e.linePos[0].line}:${e.linePos[0].col}` : MANIFEST_FILE;
    const duplicate = e.code === 'DUPLICATE_KEY';
    problems.push({
      path: where,
      message: duplicate ? 'duplicate key' : e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
      fix: duplicate ? 'keep one of the duplicate keys' : 'fix the YAML syntax',
    });
  }
  let raw: unknown = {};
  try {
    raw = doc.toJS() ?? {};
  } catch {
    raw = undefined;
  }
  const checked = raw === undefined ? undefined : validate(WorkerManifestSchema, raw);
  if (checked && !checked.ok) for (const p of checked.problems) problems.push({ ...p, fix: fixFor(p) });
  const manifest = checked?.ok ? checked.value : undefined;

  const { meta, type } = manifest ? await resolveMetadata(dir, manifest, flags, { problems, warnings }) : {};
  if (manifest?.dependencies) warnings.push(...rangeWarnings(manifest.dependencies));
  if (manifest && type === 'bundle')
    for (const message of bundleManifestProblems(manifest, manifest.name)) {
      const [p, ...rest] = message.split(': ');
      problems.push({ path: p, message: rest.join(': '), fix: p === 'scripts.start' ? 'set `scripts.start`, e.g. `node bundle.js`' : `remove \`${p}\`` });
    }

  const readme = await readOptional(path.join(dir, 'README.md'));
  if (readme === undefined || readme.trim() === '')
    warnings.push('README.md is missing or empty: readers and agents will see no documentation');

  let config: JsonObject = manifest?.config ?? {};
  const configText = await readOptional(path.join(dir, 'config.yaml'));
  if (configText !== undefined) {
    try {
      const parsed: unknown = parseYaml(configText, { uniqueKeys: true });
      if (parsed === null || parsed === undefined) config = {};
      else if (typeof parsed === 'object' && !Array.isArray(parsed)) config = parsed as JsonObject;
      else problems.push({ path: 'config.yaml', message: 'must be a mapping of keys to default values', fix: 'write `key: value` lines' });
      if (manifest?.config) warnings.push('both config.yaml and the manifest `config` are set: config.yaml wins');
    } catch (error) {
      problems.push({ path: 'config.yaml', message: (error as Error).message.split('\n')[0], fix: 'fix the YAML syntax' });
    }
  }

  const skills = await collectSkills(dir, problems);

  if (problems.length > 0 || !manifest || !meta)
    throw new CliError(
      EXIT.validation,
      'validation_failed',
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${dir}`,
      `Fix the problems above, then run \`iii-publish validate\` again.`,
      problems,
    );
  return { dir, manifest, version: meta.version, meta, readme: readme ?? '', config, skills, warnings };
}
