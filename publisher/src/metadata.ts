import { DEPLOY_KINDS, VersionSchema, WORKER_TYPES, validate, type WorkerManifest, type WorkerType } from '@iii-registry/schemas';
import type { FixedProblem } from './errors';
import { findPackageFile, type PackageFacts } from './package-file';

/** Values given on the command line; each wins over the manifest and the package file. */
export interface MetadataFlags {
  version?: string;
  type?: string;
  license?: string;
  repo?: string;
  description?: string;
  /** --image-tag / --binaries were given: they say which artifact the worker ships when nothing else does. */
  imageTag?: boolean;
  binaries?: boolean;
}

/** What a publish needs beyond the engine's manifest keys, and where each value came from. */
export interface PublishMetadata {
  version: string;
  type: WorkerType;
  license?: string;
  repo: string;
  description: string;
  /** e.g. {version: '--version', type: 'deploy', license: 'package.json'}: shown to the author. */
  sources: Partial<Record<'version' | 'type' | 'license' | 'repo' | 'description', string>>;
}

interface Sink {
  problems: FixedProblem[];
  warnings: string[];
}

const VERSION_FIX = 'pass --version 1.2.3, set `manifest:` to the package file that carries it, or set `version:` in iii.worker.yaml';

/**
 * Version precedence: --version; the file named by `manifest:` (what the public CI reads); the manifest's
 * `version:`; a package.json / Cargo.toml / pyproject.toml found next to the manifest.
 */
function resolveVersion(m: WorkerManifest, flag: string | undefined, pkg: PackageFacts | undefined, sink: Sink) {
  const fromPackage: [string, string | undefined][] = pkg ? [[pkg.file, pkg.version]] : [];
  const candidates: [string, string | undefined][] = [
    ['--version', flag],
    ...(m.manifest ? fromPackage : []),
    ['version', m.version],
    ...(m.manifest ? [] : fromPackage),
  ];
  const chosen = candidates.find(([, v]) => v !== undefined);
  if (!chosen) {
    const why = m.manifest && pkg && !pkg.version ? `${pkg.file} has no literal version (workspace or dynamic versions are not read)` : 'no version given';
    sink.problems.push({ path: 'version', message: why, fix: VERSION_FIX });
    return undefined;
  }
  const [source, version] = chosen as [string, string];
  const checked = validate(VersionSchema, version);
  if (!checked.ok) {
    sink.problems.push({ path: source === 'version' ? 'version' : `${source}: version`, message: checked.problems[0].message, fix: 'use strict semver such as 1.2.3' });
    return undefined;
  }
  for (const [other, v] of candidates)
    if (other !== source && v !== undefined && v !== version && (other === 'version' || other === m.manifest))
      sink.warnings.push(`version ${version} from ${source} is published; ${other} says ${v}`);
  return { version, source };
}

function resolveType(m: WorkerManifest, flags: MetadataFlags, sink: Sink): { type: WorkerType; source: string } | undefined {
  const deploy = m.deploy !== undefined && (DEPLOY_KINDS as readonly string[]).includes(m.deploy) ? (m.deploy as WorkerType) : undefined;
  if (flags.type !== undefined) {
    if (!(WORKER_TYPES as readonly string[]).includes(flags.type)) {
      sink.problems.push({ path: '--type', message: `'${flags.type}' is not a worker type`, fix: `use one of ${WORKER_TYPES.join(', ')}` });
      return undefined;
    }
    const type = flags.type as WorkerType;
    const declared = m.type ?? deploy;
    if (declared && declared !== type) sink.warnings.push(`--type ${type} is published; iii.worker.yaml says ${declared}`);
    return { type, source: '--type' };
  }
  if (m.type) {
    if (deploy && deploy !== m.type) sink.warnings.push(`type: ${m.type} is published; deploy: ${deploy} is ignored`);
    return { type: m.type, source: 'type' };
  }
  if (deploy) return { type: deploy, source: 'deploy' };
  if (flags.imageTag && !flags.binaries) return { type: 'image', source: '--image-tag' };
  if (flags.binaries && !flags.imageTag) return { type: 'binary', source: '--binaries' };
  sink.problems.push({
    path: 'deploy',
    message: m.deploy === undefined ? 'no artifact type: nothing says whether this worker ships a binary, an image, a bundle or is built into the engine' : `'${m.deploy}' is not an artifact type the registry knows`,
    fix: `pass --type ${WORKER_TYPES.join('|')}, or set \`deploy: binary\`, \`image\` or \`bundle\` (\`type: engine\` for engine built-ins)`,
  });
  return undefined;
}

/** Picks the first defined value, recording its source. */
function first(field: keyof PublishMetadata['sources'], sources: PublishMetadata['sources'], options: [string, string | undefined][]): string | undefined {
  const hit = options.find(([, v]) => v !== undefined && v !== '');
  if (hit) sources[field] = hit[0];
  return hit?.[1];
}

/**
 * The version, type, license, repo and description of a publish, from flags, the manifest's optional keys
 * and the worker's package file, in that order. Problems and warnings go to `sink`; `meta` is undefined when
 * a required value (version, type) could not be decided, while `type` is kept for the type's own checks.
 */
export async function resolveMetadata(
  dir: string,
  m: WorkerManifest,
  flags: MetadataFlags,
  sink: Sink,
): Promise<{ meta?: PublishMetadata; type?: WorkerType }> {
  if (m.iii !== undefined && m.iii !== 'v1') sink.warnings.push(`iii: ${m.iii} is not a manifest format this publisher knows (v1); reading it as v1`);
  const read = await findPackageFile(dir, m.manifest);
  let pkg: PackageFacts | undefined;
  if ('facts' in read) pkg = read.facts;
  else if ('problem' in read) {
    if (m.manifest !== undefined) sink.problems.push({ path: 'manifest', message: read.problem, fix: `fix the file, or ${VERSION_FIX}` });
    else sink.warnings.push(`${read.problem}: nothing is read from it`);
  }

  const version = resolveVersion(m, flags.version, pkg, sink);
  const type = resolveType(m, flags, sink);
  const sources: PublishMetadata['sources'] = {};
  const license = first('license', sources, [['--license', flags.license], ['license', m.license], [pkg?.file ?? '', pkg?.license]]);
  const repo = first('repo', sources, [['--repo', flags.repo], ['repo', m.repo], [pkg?.file ?? '', pkg?.repo]]) ?? '';
  const description = first('description', sources, [['--description', flags.description], ['description', m.description], [pkg?.file ?? '', pkg?.description]]) ?? '';
  if (description.length > 1000)
    sink.problems.push({ path: sources.description ?? 'description', message: 'must be at most 1000 characters', fix: 'shorten the description to one or two sentences' });
  if (!version || !type) return { type: type?.type };
  const meta = { version: version.version, type: type.type, license, repo, description, sources: { ...sources, version: version.source, type: type.source } };
  return { meta, type: type.type };
}
