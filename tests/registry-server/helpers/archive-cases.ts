import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ArchivePolicyError, inspectArchive, type InspectOptions } from '../../../registry-server/src/storage/archive-policy';
import { open } from './tar-fixtures';

export const BUNDLE_OPTS: InspectOptions = { expectedName: 'hello-bundle' };

/** A temp folder for one test file's archives, made before its tests and removed after them. */
export function archiveFolder(prefix: string): { dir: () => string; out: () => string } {
  let dir = '';
  let n = 0;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return { dir: () => dir, out: () => join(dir, `a${n++}.tar.gz`) };
}

/** The policy error an archive file is refused with; fails the test when the archive is accepted. */
export async function rejection(file: string, options: InspectOptions = BUNDLE_OPTS): Promise<ArchivePolicyError> {
  const source = open(file);
  try {
    await inspectArchive(source, options);
  } catch (e) {
    if (e instanceof ArchivePolicyError) return e;
    throw e;
  } finally {
    source.destroy();
  }
  throw new Error('the archive was accepted');
}
