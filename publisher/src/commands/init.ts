import { access, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { WorkerManifestSchema, validate } from '@iii-registry/schemas';
import { CliError, EXIT } from '../errors';
import type { Output } from '../output';

export interface InitOptions {
  dir: string;
  force: boolean;
}

interface Detected {
  name: string;
  version?: string;
  description?: string;
  license?: string;
  repo?: string;
  language: 'node' | 'rust' | 'python';
  manifest?: 'package.json' | 'Cargo.toml' | 'pyproject.toml';
  deploy: 'bundle' | 'binary' | 'image';
  start: string;
  bin?: string;
}

const rec = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A folder or package name as a registry slug: no scope, lower-case, only [a-z0-9_-]. */
export function toSlug(raw: string): string {
  const slug = raw.replace(/^@[^/]+\//, '').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[-_]+|-+$/g, '').slice(0, 64);
  return slug || 'my-worker';
}

async function readIf(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function detect(dir: string): Promise<Detected> {
  const folder = toSlug(path.basename(path.resolve(dir)));
  const pkg = await readIf(path.join(dir, 'package.json'));
  if (pkg !== undefined) {
    const p = rec(JSON.parse(pkg));
    const repo = s(p.repository) ?? s(rec(p.repository).url);
    return {
      name: toSlug(s(p.name) ?? folder), version: s(p.version), description: s(p.description), license: s(p.license), repo,
      language: 'node', manifest: s(p.version) ? 'package.json' : undefined, deploy: 'bundle',
      start: rec(p.scripts).start ? 'npm start' : `node ${s(p.main) ?? 'index.js'}`,
    };
  }
  const cargo = await readIf(path.join(dir, 'Cargo.toml'));
  if (cargo !== undefined) {
    const p = rec(rec(parseToml(cargo)).package);
    const name = toSlug(s(p.name) ?? folder);
    return {
      name, version: s(p.version), description: s(p.description), license: s(p.license), repo: s(p.repository),
      language: 'rust', manifest: s(p.version) ? 'Cargo.toml' : undefined, deploy: 'binary', start: 'cargo run --release', bin: s(p.name) ?? name,
    };
  }
  const py = await readIf(path.join(dir, 'pyproject.toml'));
  if (py !== undefined) {
    const doc = rec(parseToml(py));
    const p = { ...rec(rec(rec(doc.tool)).poetry), ...rec(doc.project) };
    return {
      name: toSlug(s(p.name) ?? folder), version: s(p.version), description: s(p.description), license: s(p.license) ?? s(rec(p.license).text),
      language: 'python', manifest: s(p.version) ? 'pyproject.toml' : undefined, deploy: 'image', start: 'python -m main',
    };
  }
  return { name: folder, language: 'node', deploy: 'bundle', start: 'node index.js' };
}

const q = (v: string) => JSON.stringify(v);

export function renderManifest(d: Detected): string {
  const lines = [
    '# iii worker manifest. Reference: publisher/README.md ("For worker authors").',
    '# Unknown keys are errors: the iii engine refuses them.',
    'iii: v1',
    `name: ${d.name}                 # registry slug: lower-case letters, digits, - and _`,
    d.manifest
      ? `manifest: ${d.manifest}       # the version is read from this file`
      : `version: ${d.version ?? '0.1.0'}              # strict semver; published versions never change`,
    `language: ${d.language}            # rust | node | python`,
    `deploy: ${d.deploy}              # binary | image | bundle  (or type: engine)`,
    ...(d.bin ? [`bin: ${d.bin}                # the Rust binary name`] : []),
    `description: ${q(d.description ?? `The ${d.name} worker`)}`,
    ...(d.license ? [`license: ${d.license}`] : ['# license: Apache-2.0']),
    ...(d.repo ? [`repo: ${d.repo}`] : ['# repo: https://github.com/you/your-worker']),
    '# tags: [search, words]          # aliases people search for',
    '# dependencies:                  # other workers, name: semver range',
    '#   iii-state: "^0.21.0"',
    'scripts:',
    `  start: ${q(d.start)}     # run by iii-publish to capture the interface, with III_URL set`,
    '# resources:',
    '#   cpus: 1                      # at most 4',
    '#   memory: 256                  # MiB, at most 4096',
    '# Default configuration lives in config.yaml next to this file; the README in README.md;',
    '# skills for agents in skills/SKILL.md, skills/**/*.md and agents/<id>.md.',
    '',
  ];
  return lines.join('\n');
}

/** Writes a commented iii.worker.yaml for the folder, from package.json, Cargo.toml or pyproject.toml. */
export async function initCommand(o: InitOptions, out: Output): Promise<void> {
  const file = path.join(o.dir, 'iii.worker.yaml');
  const exists = await access(file).then(() => true, () => false);
  if (exists && !o.force)
    throw new CliError(EXIT.usage, 'manifest_exists', `${file} already exists`, 'Edit it, or run iii-publish init --force to overwrite it.');
  const detected = await out.step('Detecting the worker', () => detect(o.dir), (d) => `${d.language}, ${d.name}`);
  const text = renderManifest(detected);
  const checked = validate(WorkerManifestSchema, parseYaml(text));
  if (!checked.ok) throw new CliError(EXIT.unexpected, 'init_invalid', 'init wrote an invalid manifest', 'Report this bug.', checked.problems);
  await writeFile(file, text);
  out.done(`Wrote ${file}; next: iii-publish validate`, { file, name: detected.name, language: detected.language, deploy: detected.deploy });
}
