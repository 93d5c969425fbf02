import semver from 'semver';
import {
  checkKitFiles,
  sha256Hex,
  KIT_HANDLE_PATTERN,
  KIT_LIMITS,
  KIT_NAME_PATTERN,
  KitPublishRequestSchema,
  KitTagMoveRequestSchema,
  KitTagNameSchema,
  KitVersionStatusRequestSchema,
  SLUG_PATTERN,
  validate,
  type KitDetail,
  type KitProblem,
  type KitTagMoveResponse,
  type KitVersions,
} from '@iii-registry/schemas';
import { RegistryError } from '../errors';

import { kitAt, kitDetail, kitVersions, releaseTags, requireKit, type KitReadDeps } from './kit-read';
import { kitLatestAfterStatus, kitTagsAfterPublish } from './kit-rules';
import { rangeProblem, resolveWorkerRange } from './kit-workers';
import type { Principal } from './types';

export interface KitWriteDeps extends KitReadDeps {
  onChanged?(id: string): void;
}

/** 422 naming every problem; the envelope code is the problems' one code when they share it, else `kit_invalid`. */
export function kitProblems(what: string, problems: KitProblem[]): RegistryError {
  const codes = [...new Set(problems.map((p) => p.code))];
  const list = problems.slice(0, 20).map((p) => `${p.path}: ${p.message}`).join('; ');
  return new RegistryError(422, codes.length === 1 ? codes[0] : 'kit_invalid',
    `The ${what} is invalid: ${list}${problems.length > 20 ? ` (and ${problems.length - 20} more)` : ''}.`,
    'Correct every problem listed in `problems` (each names its path and code) and send the request again.', [], problems);
}

const idProblems = (handle: string, name: string): KitProblem[] => [
  ...(KIT_HANDLE_PATTERN.test(handle) ? [] : [{ path: 'handle', code: 'invalid_kit_handle', message: 'must match ^[a-z0-9][a-z0-9-]{0,38}$' }]),
  ...(KIT_NAME_PATTERN.test(name) ? [] : [{ path: 'name', code: 'invalid_kit_name', message: 'must match ^[a-z0-9][a-z0-9-]{0,63}$ (no _)' }]),
];

const ownerError = (handle: string) =>
  new RegistryError(403, 'not_owner', `This key may not publish or change kits under '${handle}': another key owns the handle.`,
    `Use the key that first published under '${handle}', publish under your own handle, or ask an admin.`);

/** Checks worker names and ranges against the worker registry: every range must resolve to a stable version today. */
async function workerProblems(deps: KitReadDeps, list: { name: string; range: string }[], asArray: boolean): Promise<KitProblem[]> {
  const problems: KitProblem[] = [];
  if (list.length > KIT_LIMITS.workers) problems.push({ path: 'workers', code: 'invalid_field', message: `${list.length} workers; at most ${KIT_LIMITS.workers}` });
  const seen = new Set<string>();
  await Promise.all(list.map(async (w, i) => {
    const at = asArray ? `workers[${i}]` : `workers["${w.name}"]`;
    if (seen.has(w.name)) return problems.push({ path: at, code: 'duplicate_worker', message: `'${w.name}' is declared twice` });
    seen.add(w.name);
    if (!SLUG_PATTERN.test(w.name)) return problems.push({ path: at, code: 'unknown_worker', message: 'a worker name matches ^[a-z0-9][a-z0-9_-]*$' });
    const badRange = rangeProblem(w.range);
    if (badRange !== null) return problems.push({ path: at, code: 'invalid_range', message: `'${w.range}' ${badRange}` });
    const r = await resolveWorkerRange(deps.workers, w.name, w.range);
    if (!r.exists) return problems.push({ path: at, code: 'unknown_worker', message: `no worker named '${w.name}' is published in this registry` });
    if (!r.record) return problems.push({ path: at, code: 'unsatisfiable_range', message: `no stable active version of '${w.name}' satisfies '${w.range}'` });
  }));
  return problems.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** POST /k/{handle}/{name}: validate everything, then one transaction (handle claim, blobs, files, version, tags). */
export async function publishKit(deps: KitWriteDeps, principal: Principal, handle: string, name: string, body: unknown): Promise<{ kit: KitDetail }> {
  const problems: KitProblem[] = idProblems(handle, name);
  const checked = validate(KitPublishRequestSchema, body);
  if (!checked.ok) throw kitProblems('kit publish body', [...problems, ...checked.problems.map((p) => ({ ...p, code: 'invalid_field' }))]);
  const input = checked.value;
  const asArray = Array.isArray(input.workers);
  const workerList = Array.isArray(input.workers) ? input.workers : Object.entries(input.workers).map(([n, range]) => ({ name: n, range }));
  if (input.tag === 'latest' && semver.prerelease(input.version) !== null)
    problems.push({ path: 'tag', code: 'invalid_field', message: 'a prerelease cannot become latest; use a tag such as next' });
  const files = checkKitFiles(handle, name, input.files, input.readme);
  problems.push(...files.problems, ...(await workerProblems(deps, workerList, asArray)));
  if (problems.length > 0) throw kitProblems('kit', problems);

  const readme = input.readme !== undefined && input.readme.trim() !== '' ? { sha256: sha256Hex(input.readme), content: input.readme } : null;
  const doc = {
    description: input.description ?? null,
    license: input.license ?? null,
    repo: input.repo ?? null,
    tags: input.tags ?? [],
    notes: input.notes ?? null,
    experimental: input.experimental ?? null,
    workers: workerList,
    agents: files.agents,
    skills: files.skills,
  };
  const searchText = [handle, name, doc.description ?? '', ...doc.tags, ...doc.agents.flatMap((a) => [a.id, a.name ?? '', a.description ?? '']),
    ...doc.skills.flatMap((s) => [s.title ?? '', s.description ?? '']), ...workerList.map((w) => w.name)].join(' ').toLowerCase();
  const id = `${handle}/${name}`;
  await deps.kits.publish({
    handle, name, version: input.version, prerelease: semver.prerelease(input.version) !== null,
    publisher_key_id: principal.keyId, published_at: new Date().toISOString(), doc,
    files: files.files.map((f) => ({ path: f.path, sha256: f.sha256, content: f.content })), readme, search_text: searchText, tag: input.tag,
  }, {
    authorize(owner) {
      if (owner && !principal.admin && owner.owner_key_id !== principal.keyId) throw ownerError(handle);
    },
    conflict(existing) {
      throw new RegistryError(409, 'version_exists', `Kit '${id}' ${existing.version} is already published; versions are immutable.`,
        `Bump the version in iii.kit.yaml (for example ${semver.inc(existing.version, 'patch') ?? existing.version}) and publish again.`);
    },
    tagsAfter: (all, tags, inserted) => kitTagsAfterPublish(all, tags, inserted, input.tag),
  });
  deps.onChanged?.(id);
  return { kit: await kitDetail(deps, handle, name, input.version) };
}

async function exactKitVersion(deps: KitReadDeps, principal: Principal, handle: string, name: string, version: string) {
  const kit = await requireKit(deps, handle, name);
  if (!principal.admin && kit.owner_key_id !== principal.keyId) throw ownerError(handle);
  const s = await kitAt(deps, handle, name, version);
  if (s.record.version !== version) throw new RegistryError(422, 'invalid_field', `'${version}' is not an exact version.`, 'Name an exact version such as 1.2.0.');
  return s;
}

/** PUT /k/{handle}/{name}/tags/{tag}: compare-and-swap in one transaction. */
export async function moveKitTag(deps: KitWriteDeps, principal: Principal, handle: string, name: string, tag: string, body: unknown): Promise<KitTagMoveResponse> {
  const tagOk = validate(KitTagNameSchema, tag);
  const checked = validate(KitTagMoveRequestSchema, body);
  const problems = [...(tagOk.ok ? [] : tagOk.problems.map((p) => ({ ...p, path: 'tag' }))), ...(checked.ok ? [] : checked.problems)];
  if (!checked.ok || problems.length > 0) throw kitProblems('tag move', problems.map((p) => ({ ...p, code: 'invalid_field' })));
  const s = await exactKitVersion(deps, principal, handle, name, checked.value.version);
  if (tag === 'latest' && s.record.prerelease)
    throw new RegistryError(422, 'prerelease_latest', `${checked.value.version} is a prerelease and cannot become latest.`, 'Point latest at a stable version; use a tag such as next for prereleases.');
  const result = await deps.kits.moveTag(s.kit.id, tag, s.record.id, checked.value.expected_current_version);
  if (result.conflict)
    throw new RegistryError(409, 'tag_conflict', `Tag '${tag}' of '${handle}/${name}' points at ${result.current ?? 'nothing'}, not ${checked.value.expected_current_version ?? 'nothing'}.`,
      `Read GET /k/${handle}/${name}/versions and retry with expected_current_version: ${JSON.stringify(result.current)}.`, result.current ? [result.current] : []);
  if (result.changed) deps.onChanged?.(`${handle}/${name}`);
  return { tag: { name: tag, version: s.record.version }, changed: result.changed, release_tags: releaseTags(await deps.kits.tags(s.kit.id)) };
}

/** POST /k/{handle}/{name}/versions/{version}/status: deprecate (blocks installs), yank (softer), or restore. */
export async function setKitVersionStatus(deps: KitWriteDeps, principal: Principal, handle: string, name: string, version: string, body: unknown): Promise<KitVersions> {
  const checked = validate(KitVersionStatusRequestSchema, body);
  if (!checked.ok) throw kitProblems('status change', checked.problems.map((p) => ({ ...p, code: 'invalid_field' })));
  const s = await exactKitVersion(deps, principal, handle, name, version);
  const { status, message, replaced_by } = checked.value;
  await deps.kits.setStatus(s.kit.id, s.record.id, status, status === 'active' ? null : (message ?? null),
    status === 'deprecated' ? (replaced_by ?? null) : null, kitLatestAfterStatus);
  deps.onChanged?.(`${handle}/${name}`);
  return kitVersions(deps, handle, name);
}
