import { VersionStatusRequestSchema, validate, type VersionStatus } from '@iii-registry/schemas';
import { RegistryClient } from '../client';
import { CliError, EXIT, usageError } from '../errors';
import type { Output } from '../output';
import { workerNameFor } from './worker-name';

export interface SetStatusOptions {
  dir: string;
  name?: string;
  version: string;
  message?: string;
  registry: string;
  apiKey?: string;
}

/** POST /w/{slug}/versions/{version}/status, shared by yank, deprecate and their --undo. */
export async function setVersionStatus(o: SetStatusOptions, status: VersionStatus, out: Output): Promise<void> {
  if (!o.version) throw usageError(`a version is needed`, `iii-publish ${status === 'active' ? 'yank --undo' : status === 'yanked' ? 'yank' : 'deprecate'} <version> --message "..."`);
  const name = await workerNameFor(o.dir, o.name);
  const body = { status, ...(o.message ? { message: o.message } : {}) };
  const checked = validate(VersionStatusRequestSchema, body);
  if (!checked.ok) throw new CliError(EXIT.validation, 'status_invalid', 'the status request is not valid', 'Keep --message at most 1000 characters.', checked.problems);
  const client = new RegistryClient({ baseUrl: o.registry, apiKey: o.apiKey });
  const verb = status === 'yanked' ? 'Yanking' : status === 'deprecated' ? 'Deprecating' : 'Restoring';
  const res = await out.step(`${verb} ${name}@${o.version}`, async () => (await client.setStatus(name, o.version, checked.value)).body);
  out.done(`${name}@${o.version} is ${status}${o.message ? `: ${o.message}` : ''}`, { name, version: o.version, status, response: res });
}
