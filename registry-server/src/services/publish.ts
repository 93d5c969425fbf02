import crypto from 'node:crypto';
import { isStable, PublishPayloadSchema, validate, type WorkerDetail } from '@iii-registry/schemas';
import type { StagedArchivesRepository } from '../db/staged-archives-repository';
import type { VersionRecord, WorkerRow } from '../db/types';
import type { WorkersRepository } from '../db/workers-repository';
import { forbidden, RegistryError, validationFailed } from '../errors';
import type { Principal } from './types';
import { nextPatch, tagsAfterPublish } from './version-rules';
import { toDetail } from './views';

export interface PublishDeps {
  workers: WorkersRepository;
  staged: StagedArchivesRepository;
  archiveUrl(sha256: string): string;
  /** Called after the transaction committed (search index, caches). */
  onPublished(name: string): Promise<void>;
}

/** Key order of nested objects as sent is kept: the stored JSON is the payload the writer chose. */
const contentHash = (docJson: string): string => crypto.createHash('sha256').update(docJson).digest('hex');

export const mayWrite = (principal: Principal, worker: WorkerRow | null): boolean =>
  principal.admin || worker === null || worker.owner_key_id === principal.keyId;

/**
 * POST /publish: validate everything, then one transaction that claims the name (the first key to publish a worker
 * owns it), refuses an existing version, inserts and moves tags. Nothing is written when any step fails.
 */
export async function publishVersion(deps: PublishDeps, principal: Principal, body: unknown): Promise<{ version: WorkerDetail }> {
  const checked = validate(PublishPayloadSchema, body);
  if (!checked.ok) throw validationFailed('publish payload', checked.problems);
  const { worker_name: name, version, tag, ...doc } = checked.value;

  if (doc.type === 'bundle' && doc.archive_url === undefined) {
    const staged = await deps.staged.get(name, version);
    if (!staged)
      throw new RegistryError(422, 'archive_missing', `Bundle '${name}@${version}' has no archive_url and no uploaded archive.`,
        `Upload the archive first with POST /w/${name}/archive?version=${version} (body: the .tar.gz), or send archive_url and sha256.`);
    doc.archive_url = deps.archiveUrl(staged.sha256);
    doc.sha256 = staged.sha256;
  }

  // Serialised once: hashed here, stored as is by the repository.
  const docJson = JSON.stringify(doc);
  const record = await deps.workers.publish(
    {
      name,
      version,
      prerelease: !isStable(version),
      type: doc.type,
      content_hash: contentHash(docJson),
      doc,
      doc_json: docJson,
      published_at: new Date().toISOString(),
      publisher_key_id: principal.keyId === 0 ? null : principal.keyId,
    },
    {
      authorize(worker) {
        if (!mayWrite(principal, worker)) throw forbidden(name);
      },
      conflict(existing: VersionRecord): never {
        throw new RegistryError(409, 'version_exists', `${name}@${version} is already published (${existing.published_at}); versions are immutable.`,
          `Bump the version (for example to ${nextPatch(version)}) and publish again.`, [nextPatch(version)]);
      },
      tagsAfter: (all, tags, inserted) => tagsAfterPublish(all, tags, inserted, tag),
    },
  );
  await deps.onPublished(name);
  const worker = (await deps.workers.findWorker(name)) as WorkerRow;
  return { version: toDetail(worker, record, await deps.workers.tags(worker.id)) };
}
