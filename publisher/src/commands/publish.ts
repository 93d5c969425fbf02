import { readFile } from 'node:fs/promises';
import semver from 'semver';
import { PublishPayloadSchema, validate, type PublishPayload } from '@iii-registry/schemas';
import { RegistryClient } from '../client';
import { CliError, EXIT } from '../errors';
import type { Output } from '../output';
import { runBuild, type BuildOptions } from './build';

export interface PublishOptions extends BuildOptions {
  registry: string;
  apiKey?: string;
  retries?: number;
  backoffMs?: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The next patch version that is not published yet (so the advice always works on the first try). */
async function nextFreePatch(client: RegistryClient, name: string, version: string): Promise<string> {
  let published = new Set<string>();
  try {
    const res = await client.versions(name);
    if (isObject(res.body) && Array.isArray(res.body.versions))
      published = new Set(res.body.versions.filter(isObject).map((v) => String(v.version)));
  } catch {
    // Best effort: the plain next patch is still right in the common case.
  }
  let next = semver.inc(version, 'patch') ?? version;
  while (published.has(next)) next = semver.inc(next, 'patch') ?? next;
  return next;
}

function alreadyPublished(name: string, version: string, next: string, source?: string): CliError {
  const fix =
    source === '--version'
      ? `Bump the version: run iii-publish publish --version ${next}.`
      : `Bump the version: set version to ${next} in ${source === 'version' || source === undefined ? 'iii.worker.yaml' : source}, then run iii-publish publish again.`;
  return new CliError(EXIT.conflict, 'version_exists', `${name}@${version} is already published, and published versions never change`, fix);
}

/** build, then upload the bundle archive, POST /publish, POST /w/{slug}/skills. */
export async function publishCommand(o: PublishOptions, out: Output): Promise<void> {
  const started = Date.now();
  const client = new RegistryClient({ baseUrl: o.registry, apiKey: o.apiKey, retries: o.retries, backoffMs: o.backoffMs });
  if (!o.apiKey)
    throw new CliError(EXIT.auth, 'api_key_missing', 'no API key for the registry', 'Set III_REGISTRY_API_KEY or pass --api-key <key>.');
  const built = await runBuild(o, out);
  const { project } = built;
  const name = built.payload.worker_name;
  const version = built.payload.version;
  const conflict = async () => alreadyPublished(name, version, await nextFreePatch(client, name, version), project.meta.sources.version);

  let payload: PublishPayload = built.payload;
  if (built.archive) {
    const archive = built.archive;
    const uploaded = await out.step(
      `Uploading ${archive.file.split('/').pop()}`,
      async () => {
        const res = await client.uploadArchive(name, version, await readFile(archive.file));
        if (res.status === 409) throw await conflict();
        const body = isObject(res.body) ? res.body : {};
        if (typeof body.archive_url !== 'string' || typeof body.sha256 !== 'string')
          throw new CliError(EXIT.unexpected, 'bad_upload_response', 'the registry did not return archive_url and sha256', 'Check that --registry points at an iii registry.');
        if (body.sha256 !== archive.sha256)
          throw new CliError(EXIT.network, 'checksum_mismatch', `the registry stored sha256 ${body.sha256}, we sent ${archive.sha256}`, 'The upload was damaged in transit; run the command again.');
        return { url: body.archive_url, sha256: body.sha256 };
      },
      (u) => u.url,
    );
    const checked = validate(PublishPayloadSchema, { ...payload, archive_url: uploaded.url, sha256: uploaded.sha256 });
    if (!checked.ok) throw new CliError(EXIT.validation, 'payload_invalid', 'the publish payload is not valid', 'Fix the fields listed above.', checked.problems);
    payload = checked.value;
  }

  const published = await out.step(`Publishing ${name}@${version} to ${client.baseUrl}`, async () => {
    const res = await client.publish(payload);
    if (res.status === 409) throw await conflict();
    return res.body;
  });

  const skillCount = Object.keys(built.skills.skills).length;
  if (skillCount > 0)
    await out.step('Publishing skills', () => client.publishSkills(name, built.skills), () => `${skillCount} files`);
  else out.skipped('Publishing skills', 'none');

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  out.done(`Published ${name}@${version} in ${seconds}s`, {
    name,
    version,
    registry: client.baseUrl,
    functions: built.ref.functions.length,
    triggers: built.ref.triggers.length,
    skills: skillCount,
    ...(payload.archive_url ? { archive_url: payload.archive_url, sha256: payload.sha256 } : {}),
    response: published,
  });
}
