import { TagMoveRequestSchema, TagNameSchema, validate, VersionStatusRequestSchema, type TagMoveResponse, type VersionRow } from '@iii-registry/schemas';
import type { WorkersRepository } from '../db/workers-repository';
import { forbidden, RegistryError, validationFailed, versionNotFound } from '../errors';
import { mayWrite } from './publish';
import type { ReadService } from './read';
import type { Principal } from './types';
import { latestAfterStatus, newestFirst } from './version-rules';

export interface TagsDeps {
  workers: WorkersRepository;
  read: ReadService;
  onChanged(name: string): Promise<void>;
}

async function exactVersion(deps: TagsDeps, name: string, version: string) {
  const worker = await deps.read.requireWorker(name);
  const metas = await deps.workers.versions(worker.id);
  const meta = metas.find((m) => m.version === version);
  if (!meta) throw versionNotFound(name, version, newestFirst(metas).map((m) => m.version), 404);
  return { worker, meta };
}

/** PUT /w/{slug}/tags/{tag}: compare-and-swap inside one transaction, so of two racing moves exactly one wins. */
export async function moveTag(deps: TagsDeps, principal: Principal, name: string, tag: string, body: unknown): Promise<TagMoveResponse> {
  const tagOk = validate(TagNameSchema, tag);
  const checked = validate(TagMoveRequestSchema, body);
  const problems = [...(tagOk.ok ? [] : tagOk.problems.map((p) => ({ ...p, path: 'tag' }))), ...(checked.ok ? [] : checked.problems)];
  if (!checked.ok || problems.length > 0) throw validationFailed('tag move', problems);
  const { worker, meta } = await exactVersion(deps, name, checked.value.version);
  if (!mayWrite(principal, worker)) throw forbidden(name);
  if (tag === 'latest' && meta.status === 'yanked')
    throw new RegistryError(422, 'version_yanked', `${name}@${meta.version} is yanked and cannot become latest.`, 'Point latest at an active version, or restore this one first.');
  const { expected_current_version: expected, expected_tag: expectedTag } = checked.value;
  const result = await deps.workers.moveTag(worker.id, tag, meta.id, expected, expectedTag);
  if (result.conflict === 'expected_tag')
    throw new RegistryError(409, 'tag_conflict',
      `Tag '${expectedTag}' of '${name}' points at ${result.expectedTagAt ?? 'nothing'}, not ${meta.version}; '${tag}' was not moved.`,
      `Promote the version '${expectedTag}' points at now (${result.expectedTagAt ?? 'none'}), or move '${expectedTag}' to ${meta.version} first.`,
      result.expectedTagAt ? [result.expectedTagAt] : []);
  if (result.conflict)
    throw new RegistryError(409, 'tag_conflict',
      `Tag '${tag}' of '${name}' points at ${result.current ?? 'nothing'}, not ${checked.value.expected_current_version ?? 'nothing'}.`,
      `Read GET /w/${name}/versions and retry with expected_current_version: ${JSON.stringify(result.current)}.`,
      result.current ? [result.current] : []);
  if (result.changed) await deps.onChanged(name);
  return { tag: { name: tag, version: meta.version }, changed: result.changed };
}

/** Yank, deprecate or restore a version; `latest` leaves a version that stops being active. */
export async function setVersionStatus(deps: TagsDeps, principal: Principal, name: string, version: string, body: unknown): Promise<VersionRow> {
  const checked = validate(VersionStatusRequestSchema, body);
  if (!checked.ok) throw validationFailed('status change', checked.problems);
  const { worker, meta } = await exactVersion(deps, name, version);
  if (!mayWrite(principal, worker)) throw forbidden(name);
  const { status, message } = checked.value;
  await deps.workers.setStatus(worker.id, meta.id, status, status === 'active' ? null : (message ?? null), latestAfterStatus);
  await deps.onChanged(name);
  const rows = await deps.read.versions(name);
  return rows.find((r) => r.version === version) as VersionRow;
}
