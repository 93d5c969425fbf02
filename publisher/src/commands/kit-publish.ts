import { KitDetailResponseSchema, KitVersionsSchema } from '@iii-registry/schemas';
import { RegistryClient } from '../client';
import { CliError, EXIT, usageError } from '../errors';
import { readKitManifest } from '../kit/collect-kit';
import type { Output } from '../output';
import { loadKit } from './kit-build';

export interface KitRegistryOptions {
  dir: string;
  registry: string;
  apiKey?: string;
  /** `<handle>/<name>`; default the manifest's `kit`. */
  kit?: string;
}

const kitPath = (kit: string) => `/k/${kit.split('/').map(encodeURIComponent).join('/')}`;

async function kitIdFor(o: KitRegistryOptions): Promise<string> {
  if (o.kit) {
    if (!/^[^/]+\/[^/]+$/.test(o.kit)) throw usageError(`'${o.kit}' is not <handle>/<name>`);
    return o.kit;
  }
  return (await readKitManifest(o.dir)).kit;
}

/** Checks the folder, then POST /k/{handle}/{name}; 409 (version exists) exits 4, 422 exits 3 with every problem. */
export async function kitPublishCommand(o: KitRegistryOptions, out: Output): Promise<void> {
  const project = await loadKit(o.dir, out);
  const client = new RegistryClient({ baseUrl: o.registry, apiKey: o.apiKey });
  const id = project.manifest.kit;
  const res = await out.step(`Publishing ${id}@${project.manifest.version} to ${client.baseUrl}`, async () => {
    const r = await client.request('POST', kitPath(id), { json: project.payload, auth: true });
    const parsed = KitDetailResponseSchema.safeParse(r.body);
    if (!parsed.success) throw new CliError(EXIT.unexpected, 'bad_response', 'the registry answered an unexpected body', 'Check --registry points at an iii registry.');
    return parsed.data.kit;
  }, (k) => `latest ${k.release_tags.latest ?? '(none)'}`);
  const unresolved = res.workers.filter((w) => !w.resolved).map((w) => w.name);
  if (unresolved.length > 0) out.warn(`no published version satisfies the range of: ${unresolved.join(', ')}`);
  out.done(`Published ${id}@${res.version}`, { kit: id, version: res.version, release_tags: res.release_tags, detail: res });
}

export interface KitTagOptions extends KitRegistryOptions {
  tag: string;
  version: string;
  expect?: string | null;
}

/** PUT /k/{handle}/{name}/tags/{tag} as a compare-and-swap; someone else's move meanwhile exits 4. */
export async function kitTagCommand(o: KitTagOptions, out: Output): Promise<void> {
  if (!o.tag || !o.version) throw usageError('kit tag needs a tag and a version', 'iii-publish kit tag <tag> <version>, e.g. iii-publish kit tag latest 1.2.3');
  const id = await kitIdFor(o);
  const client = new RegistryClient({ baseUrl: o.registry, apiKey: o.apiKey });
  let expected = o.expect;
  if (expected === undefined)
    expected = await out.step(`Reading the current ${o.tag} of ${id}`, async () => {
      const r = await client.request('GET', `${kitPath(id)}/versions`);
      return KitVersionsSchema.parse(r.body).release_tags[o.tag] ?? null;
    }, (v) => v ?? 'not set');
  const body = await out.step(`Moving ${o.tag} to ${id}@${o.version}`, async () => {
    const r = await client.request('PUT', `${kitPath(id)}/tags/${encodeURIComponent(o.tag)}`, { json: { version: o.version, expected_current_version: expected }, auth: true, accept: [409] });
    if (r.status === 409)
      throw new CliError(EXIT.conflict, 'tag_moved', `${o.tag} of ${id} no longer points at ${expected ?? '(nothing)'}; someone moved it meanwhile`,
        `Check GET ${kitPath(id)}/versions, then run iii-publish kit tag ${o.tag} ${o.version} again.`);
    return r.body as { changed?: boolean };
  }, (b) => (b.changed === false ? 'already there' : 'moved'));
  out.done(`${id}:${o.tag} -> ${o.version}`, { kit: id, tag: o.tag, version: o.version, response: body });
}

export interface KitStatusOptions extends KitRegistryOptions {
  version: string;
  message?: string;
  replacedBy?: string;
  undo: boolean;
}

/** POST /k/{handle}/{name}/versions/{version}/status: deprecate (installs stop), yank (softer), or --undo. */
export async function kitStatusCommand(o: KitStatusOptions, status: 'deprecated' | 'yanked', out: Output): Promise<void> {
  if (!o.version) throw usageError('a version is needed', `iii-publish kit ${status === 'yanked' ? 'yank' : 'deprecate'} <version> --message "..."`);
  const id = await kitIdFor(o);
  const next = o.undo ? 'active' : status;
  const body = { status: next, ...(o.message ? { message: o.message } : {}), ...(o.replacedBy && next === 'deprecated' ? { replaced_by: o.replacedBy } : {}) };
  const client = new RegistryClient({ baseUrl: o.registry, apiKey: o.apiKey });
  const verb = next === 'yanked' ? 'Yanking' : next === 'deprecated' ? 'Deprecating' : 'Restoring';
  const res = await out.step(`${verb} ${id}@${o.version}`, async () => (await client.request('POST', `${kitPath(id)}/versions/${encodeURIComponent(o.version)}/status`, { json: body, auth: true })).body);
  out.done(`${id}@${o.version} is ${next}${o.message ? `: ${o.message}` : ''}`, { kit: id, version: o.version, status: next, response: res });
}
