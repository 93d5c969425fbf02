import { SlugSchema, validate, VersionSchema, type ArchiveUploadResponse } from '@iii-registry/schemas';
import type { Readable } from 'node:stream';
import type { StagedArchivesRepository } from '../db/staged-archives-repository';
import type { WorkersRepository } from '../db/workers-repository';
import { forbidden, RegistryError, validationFailed } from '../errors';
import { isArchivePolicyError } from '../storage/archive-policy';
import type { ArchiveBlobs } from '../storage/archive-store';
import { mayWrite } from './publish';
import type { Principal } from './types';

export interface ArchivesDeps {
  store: ArchiveBlobs;
  staged: StagedArchivesRepository;
  workers: WorkersRepository;
  archiveUrl(sha256: string): string;
}

/**
 * POST /w/{slug}/archive?version=: streams the upload through the safety policy into the content-addressed store,
 * then stages it for that version. A bundle publish without archive_url picks the staged archive up.
 */
export async function uploadArchive(deps: ArchivesDeps, principal: Principal, name: string, version: string, body: Readable): Promise<ArchiveUploadResponse> {
  const problems = [
    ...(validate(SlugSchema, name).ok ? [] : [{ path: 'name', message: 'must match ^[a-z0-9][a-z0-9_-]*$' }]),
    ...(validate(VersionSchema, version).ok ? [] : [{ path: 'version', message: 'must be a strict semver version (query ?version=)' }]),
  ];
  // A refusal leaves the rest of the body unread: the error handler drains it (bounded) before answering.
  if (problems.length > 0) throw validationFailed('archive upload', problems);
  const worker = await deps.workers.findWorker(name);
  if (!mayWrite(principal, worker)) throw forbidden(name);
  if (worker && (await deps.workers.getVersion(worker.id, version)))
    throw new RegistryError(409, 'version_exists', `${name}@${version} is already published; its archive cannot change.`, 'Bump the version and upload again.');
  try {
    const stored = await deps.store.put(body, { expectedName: name });
    await deps.staged.stage(name, version, { sha256: stored.sha256, size: stored.size });
    return { archive_url: deps.archiveUrl(stored.sha256), sha256: stored.sha256, size: stored.size, entries: stored.entries };
  } catch (e) {
    if (isArchivePolicyError(e))
      throw new RegistryError(e.code === 'archive_upload_too_large' ? 413 : 422, e.code, e.message, e.fix, [],
        e.entry ? [{ path: e.entry, message: e.message }, ...e.problems.map((p) => ({ path: 'iii.worker.yaml', message: p }))] : undefined);
    throw e;
  }
}
