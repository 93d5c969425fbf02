import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument, parse as parseYaml } from 'yaml';
import { parse as parseToml } from 'smol-toml';
import {
  VersionSchema,
  WorkerManifestSchema,
  bundleManifestProblems,
  validate,
  type JsonObject,
  type WorkerManifest,
} from '@iii-registry/schemas';
import { CliError, EXIT, type FixedProblem } from './errors';
import { collectSkills, type CollectedSkill } from './collect-skills';

export const MANIFEST_FILE = 'iii.worker.yaml';
const KNOWN_KEYS = Object.keys(WorkerManifestSchema.shape);

export interface Project {
  dir: string;
  manifest: WorkerManifest;
  version: string;
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
      : `remove it; known keys: ${KNOWN_KEYS.join(', ')}`;
  const top = p.path.split(/[.[]/)[0];
  const fixes: Record<string, string> = {
    iii: 'set `iii: v1`',
    name: 'use lower-case letters, digits, - and _ (at most 64), e.g. `name: my-worker`',
    version: 'set `version: 0.1.0` (strict semver), or `manifest:` naming package.json, Cargo.toml or pyproject.toml',
    deploy: 'set `deploy: binary`, `image` or `bundle` (or `type: engine` for engine built-ins)',
    manifest: 'use package.json, Cargo.toml or pyproject.toml',
    dependencies: 'map worker names to semver ranges, e.g. `iii-state: "^0.21.0"`',
    tags: 'use a list of short lower-case words',
    resources: '`cpus` at most 4, `memory` in MiB at most 4096',
    scripts: 'keys: setup, install, start',
    runtime: 'keys: base_image, language, entry, kind, package_manager',
    env: 'map NAME to a string value',
  };
  return fixes[top] ?? `fix \`${p.path}\` in ${MANIFEST_FILE}`;
}

/** The version carried by package.json, Cargo.toml or pyproject.toml. */
async function versionFromFile(dir: string, file: string): Promise<{ version?: string; problem?: string }> {
  let text: string;
  try {
    text = await readFile(path.join(dir, file), 'utf8');
  } catch {
    return { problem: `${file} not found next to ${MANIFEST_FILE}` };
  }
  try {
    const at = (obj: unknown, keys: string[]): unknown =>
      keys.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
    let found: unknown;
    if (file === 'package.json') found = at(JSON.parse(text), ['version']);
    else if (file === 'Cargo.toml') found = at(parseToml(text), ['package', 'version']);
    else {
      const doc = parseToml(text);
      found = at(doc, ['project', 'version']) ?? at(doc, ['tool', 'poetry', 'version']);
    }
    if (typeof found !== 'string') return { problem: `${file} has no literal version (workspace or dynamic versions are not read)` };
    return { version: found };
  } catch (error) {
    return { problem: `${file} could not be parsed: ${(error as Error).message.split('\n')[0]}` };
  }
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
export async function collectProject(dir: string): Promise<Project> {
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

  let version = manifest?.version ?? '';
  if (manifest?.manifest) {
    const fromFile = await versionFromFile(dir, manifest.manifest);
    if (fromFile.problem)
      problems.push({ path: 'manifest', message: fromFile.problem, fix: `set \`version:\` in ${MANIFEST_FILE} or fix ${manifest.manifest}` });
    else if (fromFile.version !== undefined) {
      const v = validate(VersionSchema, fromFile.version);
      if (!v.ok) problems.push({ path: `${manifest.manifest}: version`, message: v.problems[0].message, fix: 'use strict semver such as 1.2.3' });
      else if (manifest.version && manifest.version !== fromFile.version)
        problems.push({
          path: 'version',
          message: `${manifest.version} differs from ${fromFile.version} in ${manifest.manifest}`,
          fix: `remove \`version:\` from ${MANIFEST_FILE} so ${manifest.manifest} decides, or make them equal`,
        });
      else version = fromFile.version;
    }
  }
  if (manifest?.deploy === 'bundle')
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

  if (problems.length > 0 || !manifest)
    throw new CliError(
      EXIT.validation,
      'validation_failed',
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${dir}`,
      `Fix the problems above, then run \`iii-publish validate\` again.`,
      problems,
    );
  return { dir, manifest, version, readme: readme ?? '', config, skills, warnings };
}
