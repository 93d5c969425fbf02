import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { MANIFEST_FILES } from '@iii-registry/schemas';

/** What a worker's package.json, Cargo.toml or pyproject.toml says about the fields the engine does not define. */
export interface PackageFacts {
  file: string;
  version?: string;
  license?: string;
  repo?: string;
  description?: string;
}

const rec = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const s = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** `git+https://github.com/o/r.git`, `github:o/r` and `o/r` shorthands as a browsable https URL. */
export function normalizeRepo(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url = raw.trim().replace(/^git\+/, '');
  const shorthand = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(url);
  if (shorthand) url = `https://github.com/${shorthand[1]}`;
  url = url.replace(/^git@github\.com:/, 'https://github.com/').replace(/^git:\/\//, 'https://');
  return url.replace(/\.git$/, '');
}

function fromPackageJson(doc: unknown): Omit<PackageFacts, 'file'> {
  const p = rec(doc);
  return { version: s(p.version), license: s(p.license), repo: normalizeRepo(s(p.repository) ?? s(rec(p.repository).url)), description: s(p.description) };
}

function fromCargo(doc: unknown): Omit<PackageFacts, 'file'> {
  const p = rec(rec(doc).package);
  return { version: s(p.version), license: s(p.license), repo: normalizeRepo(s(p.repository)), description: s(p.description) };
}

function fromPyproject(doc: unknown): Omit<PackageFacts, 'file'> {
  const d = rec(doc);
  // PEP 621 [project] first, then Poetry's [tool.poetry].
  const project = rec(d.project);
  const poetry = rec(rec(d.tool).poetry);
  const urls = rec(project.urls);
  const license = s(project.license) ?? s(rec(project.license).text) ?? s(poetry.license);
  const repo = s(urls.Repository) ?? s(urls.repository) ?? s(urls.Source) ?? s(urls.source) ?? s(poetry.repository);
  return { version: s(project.version) ?? s(poetry.version), license, repo: normalizeRepo(repo), description: s(project.description) ?? s(poetry.description) };
}

export type PackageRead = { facts: PackageFacts } | { problem: string } | { absent: true };

/** Reads one package file next to the manifest; a file that is not there is `absent`, a broken one a problem. */
export async function readPackageFile(dir: string, file: string): Promise<PackageRead> {
  if (!(MANIFEST_FILES as readonly string[]).includes(file))
    return { problem: `${file} is not a package file iii-publish reads (${MANIFEST_FILES.join(', ')})` };
  let text: string;
  try {
    text = await readFile(path.join(dir, file), 'utf8');
  } catch {
    return { absent: true };
  }
  try {
    const facts =
      file === 'package.json' ? fromPackageJson(JSON.parse(text)) : file === 'Cargo.toml' ? fromCargo(parseToml(text)) : fromPyproject(parseToml(text));
    return { facts: { file, ...facts } };
  } catch (error) {
    return { problem: `${file} could not be parsed: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** The package file named by `manifest:`, else the first of package.json, Cargo.toml, pyproject.toml present. */
export async function findPackageFile(dir: string, named: string | undefined): Promise<PackageRead> {
  if (named) {
    const read = await readPackageFile(dir, named);
    return 'absent' in read ? { problem: `${named} not found next to iii.worker.yaml` } : read;
  }
  for (const file of MANIFEST_FILES) {
    const read = await readPackageFile(dir, file);
    if (!('absent' in read)) return read;
  }
  return { absent: true };
}
