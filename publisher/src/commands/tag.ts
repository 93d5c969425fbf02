import { RegistryClient } from '../client';
import { CliError, EXIT, usageError } from '../errors';
import type { Output } from '../output';
import { workerNameFor } from './worker-name';

export interface TagOptions {
  dir: string;
  name?: string;
  tag: string;
  version: string;
  /** Compare-and-swap: the version the tag must point at now; null means it must not exist. Absent: read it first. */
  expect?: string | null;
  registry: string;
  apiKey?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** PUT /w/{slug}/tags/{tag}, a compare-and-swap; a tag moved by someone else meanwhile exits 4. */
export async function tagCommand(o: TagOptions, out: Output): Promise<void> {
  if (!o.tag || !o.version) throw usageError('tag needs a tag and a version', 'iii-publish tag <tag> <version>, e.g. iii-publish tag latest 1.2.3');
  const name = await workerNameFor(o.dir, o.name);
  const client = new RegistryClient({ baseUrl: o.registry, apiKey: o.apiKey });
  let expected = o.expect;
  if (expected === undefined)
    expected = await out.step(`Reading the current ${o.tag} of ${name}`, async () => {
      const res = await client.versions(name);
      const rows = isObject(res.body) && Array.isArray(res.body.versions) ? res.body.versions.filter(isObject) : [];
      const holder = rows.find((r) => Array.isArray(r.tags) && r.tags.includes(o.tag));
      return holder ? String(holder.version) : null;
    }, (v) => v ?? 'not set');
  const res = await out.step(`Moving ${o.tag} to ${name}@${o.version}`, async () => {
    const r = await client.moveTag(name, o.tag, { version: o.version, expected_current_version: expected });
    if (r.status === 409)
      throw new CliError(
        EXIT.conflict,
        'tag_moved',
        `${o.tag} of ${name} no longer points at ${expected ?? '(nothing)'}; someone moved it meanwhile`,
        `Check GET /w/${name}/versions, then run iii-publish tag ${o.tag} ${o.version} again.`,
      );
    return r.body;
  }, (b) => (isObject(b) && b.changed === false ? 'already there' : 'moved'));
  out.done(`${name}:${o.tag} -> ${o.version}`, { name, tag: o.tag, version: o.version, response: res });
}
