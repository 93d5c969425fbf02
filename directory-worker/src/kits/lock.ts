import { KitsLockSchema, type KitsLock, type LockedKit } from '@iii-registry/schemas';
import { parse as parseYaml, stringify } from 'yaml';
import { DirectoryError } from './errors';
import { readText, writeAtomic } from './files';

const HEADER = '# kits.lock — kits installed in this project by iii-directory. Commit it; do not edit by hand.\n';

export async function readLock(path: string): Promise<KitsLock> {
  const text = await readText(path);
  if (text === null) return { version: 1, kits: {} };
  let doc: unknown;
  try {
    doc = parseYaml(text) ?? {};
  } catch (err) {
    throw new DirectoryError('D510', 'invalid_input', `kits.lock is not valid YAML (${(err as Error).message.split('\n')[0]})`,
      'restore it from version control');
  }
  const parsed = KitsLockSchema.safeParse(doc);
  if (!parsed.success)
    throw new DirectoryError('D510', 'invalid_input',
      `kits.lock does not have the expected shape (${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})`,
      'restore it from version control');
  return parsed.data;
}

/** Keys sorted so the committed file diffs cleanly; empty optional lists left out. */
export async function writeLock(path: string, lock: KitsLock): Promise<void> {
  const kits: Record<string, LockedKit> = {};
  for (const id of Object.keys(lock.kits).sort()) {
    const k = lock.kits[id] as LockedKit;
    const files = Object.fromEntries(Object.keys(k.files).sort().map((p) => [p, k.files[p]]));
    const workers = Object.fromEntries(Object.keys(k.workers).sort().map((w) => [w, k.workers[w]]));
    kits[id] = { ...k, workers, files, ...(k.ignored_versions?.length ? {} : { ignored_versions: undefined }) };
  }
  await writeAtomic(path, HEADER + stringify({ version: 1, kits }, { lineWidth: 0 }));
}
