import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { SEMVER_PATTERN } from '@iii-registry/schemas';
import { type SeedVersionFile, type SeedWorkerFile, SeedVersionFileSchema, SeedWorkerFileSchema } from './seed-files';
import { readYamlFile } from './read-yaml';
import { readSkills } from './read-skills';
import type { ProblemList } from './seed-error';

export interface RawVersion {
  version: string;
  file: string;
  data: SeedVersionFile;
}

export interface RawWorker {
  name: string;
  dir: string;
  workerFile: string;
  meta: SeedWorkerFile;
  readme: string;
  /** Ascending by semver. */
  versions: RawVersion[];
  skills: Record<string, string>;
}

function readVersions(dir: string, problems: ProblemList): RawVersion[] {
  const versionsDir = join(dir, 'versions');
  if (!existsSync(versionsDir)) {
    problems.add(versionsDir, '(root)', 'missing: add versions/<version>.yaml for each published version');
    return [];
  }
  const out: RawVersion[] = [];
  for (const entry of readdirSync(versionsDir).sort()) {
    const file = join(versionsDir, entry);
    const version = entry.replace(/\.yaml$/, '');
    if (!entry.endsWith('.yaml') || !SEMVER_PATTERN.test(version)) {
      problems.add(file, '(file name)', 'must be <semver version>.yaml, for example 1.2.0.yaml or 1.3.0-rc.1.yaml');
      continue;
    }
    const data = readYamlFile(file, SeedVersionFileSchema, problems);
    if (data) out.push({ version, file, data });
  }
  if (out.length === 0 && readdirSync(versionsDir).length === 0)
    problems.add(versionsDir, '(root)', 'empty: a worker needs at least one version file');
  return out.sort((a, b) => semver.compare(a.version, b.version));
}

function readReadme(dir: string, problems: ProblemList): string {
  const file = join(dir, 'README.md');
  if (!existsSync(file)) {
    problems.add(file, '(root)', 'missing: every seed worker documents itself in README.md');
    return '';
  }
  const text = readFileSync(file, 'utf8');
  if (text.trim() === '') problems.add(file, '(root)', 'empty README.md');
  return text;
}

/** Reads every `<catalogDir>/<worker>/` folder; problems are collected, and broken workers are left out. */
export function readCatalog(catalogDir: string, problems: ProblemList): RawWorker[] {
  if (!existsSync(catalogDir)) {
    problems.add(catalogDir, '(root)', 'catalog folder not found');
    return [];
  }
  const workers: RawWorker[] = [];
  for (const name of readdirSync(catalogDir).sort()) {
    const dir = join(catalogDir, name);
    if (!statSync(dir).isDirectory()) continue;
    const workerFile = join(dir, 'worker.yaml');
    const before = problems.items.length;
    const meta = existsSync(workerFile)
      ? readYamlFile(workerFile, SeedWorkerFileSchema, problems)
      : (problems.add(workerFile, '(root)', 'missing: every worker folder needs worker.yaml'), undefined);
    if (meta && meta.name !== name)
      problems.add(workerFile, 'name', `"${meta.name}" differs from its folder name "${name}"`);
    const readme = readReadme(dir, problems);
    const versions = readVersions(dir, problems);
    const skills = readSkills(dir, problems);
    if (meta && problems.items.length === before) workers.push({ name, dir, workerFile, meta, readme, versions, skills });
  }
  return workers;
}
