import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { create as createTar } from 'tar';
import { inspectArchive, isArchivePolicyError } from '@iii-registry/server/storage/archive-policy';
import { CliError, EXIT } from '../errors';
import { DEFAULT_RULES, isIgnored, parseIgnore, type IgnoreRule } from './ignore';

export const IGNORE_FILE = '.iii-publishignore';

export interface PackedArchive {
  file: string;
  sha256: string;
  size: number;
  entries: number;
  unpackedBytes: number;
  files: string[];
}

/** Every file to pack, sorted, as /-separated paths relative to `dir`. */
export async function listBundleFiles(dir: string, extraRules: IgnoreRule[] = []): Promise<string[]> {
  let ignoreText = '';
  try {
    ignoreText = await readFile(path.join(dir, IGNORE_FILE), 'utf8');
  } catch {
    // No ignore file: the defaults alone.
  }
  const rules = [...DEFAULT_RULES, ...extraRules, ...parseIgnore(ignoreText)];
  const files: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) {
        if (isIgnored(child, false, rules)) continue;
        throw new CliError(
          EXIT.validation,
          'bundle_symlink',
          `${child} is a symbolic link; bundles may hold only regular files and directories`,
          `Replace it with a copy of the file, or add \`${child}\` to ${IGNORE_FILE}.`,
        );
      }
      if (e.isDirectory()) {
        if (!isIgnored(child, true, rules)) await walk(child);
      } else if (e.isFile()) {
        if (child === 'iii.worker.yaml' || !isIgnored(child, false, rules)) files.push(child);
      }
    }
  };
  await walk('');
  return files;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Packs the worker folder into `<outDir>/<name>-<version>.tar.gz` (sorted entries, fixed mtime, no owner
 * ids, so the same files give the same SHA-256), then runs the registry's own archive safety policy on it.
 */
export async function packBundle(dir: string, outDir: string, name: string, version: string): Promise<PackedArchive> {
  const outRel = path.relative(dir, outDir).split(path.sep).join('/');
  const extra = outRel && !outRel.startsWith('..') ? parseIgnore(`/${outRel}/`) : [];
  const files = await listBundleFiles(dir, extra);
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, `${name}-${version}.tar.gz`);
  await createTar({ gzip: true, cwd: dir, file, portable: true, mtime: new Date(0), noDirRecurse: true }, files);
  const { size } = await stat(file);
  try {
    const inspection = await inspectArchive(createReadStream(file), { expectedName: name });
    return { file, sha256: await sha256Of(file), size, entries: inspection.entries, unpackedBytes: inspection.unpackedBytes, files };
  } catch (error) {
    if (!isArchivePolicyError(error)) throw error;
    throw new CliError(
      EXIT.validation,
      error.code,
      `the bundle breaks the archive safety policy: ${error.message}`,
      `${error.fix}${error.entry ? ` Or add \`${error.entry}\` to ${IGNORE_FILE}.` : ''}`,
      error.problems.map((p) => {
        const [at, ...rest] = p.split(': ');
        return { path: at, message: rest.join(': ') };
      }),
    );
  }
}
