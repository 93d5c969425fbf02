import {
  DirectoryInfoRequestSchema,
  DirectoryInfoResponseSchema,
  toJsonSchema,
  validate,
  type DirectoryInfoResponse,
} from '@iii-registry/schemas';
import type { IIIClient } from 'iii-sdk';
import { cacheKey } from './cache';
import { invalidInput, type DirectoryDeps } from './deps';

export const WORKERS_INFO_ID = 'directory::registry::workers::info';

const DESCRIPTION =
  "One worker's details from the iii workers registry: metadata, README, API reference (functions and " +
  'triggers with their schemas, and HTTP routes and other trigger bindings when published) and skills. Give `name`, and optionally `version` (exact) or `tag` ' +
  '(such as "next"), not both; neither means the latest version.';

export async function handleWorkersInfo(deps: DirectoryDeps, payload: unknown): Promise<DirectoryInfoResponse> {
  const input = validate(DirectoryInfoRequestSchema, payload ?? {});
  if (!input.ok) throw invalidInput(input.problems);
  const { name, version, tag } = input.value;
  // The registry takes a tag or an exact version in the same `?version=` parameter.
  const ref = version ?? tag ?? 'latest';
  const key = cacheKey('info', name, version ? 'version' : 'tag', ref);
  return deps.infoCache.get(key, async () => {
    const [detail, skills] = await Promise.all([deps.registry.getWorker(name, ref), deps.registry.getSkills(name, ref)]);
    const { readme, functions, triggers, registered_triggers, ...worker } = detail;
    return {
      worker,
      readme,
      // HTTP routes and other bindings travel with the API reference they describe.
      api_reference: { functions, triggers, ...(registered_triggers ? { registered_triggers } : {}) },
      skills_tree: {
        skills: (skills?.skills ?? []).map((s) => ({ path: s.path })),
        prompts: (skills?.prompts ?? []).map((p) => ({ name: p.name, description: p.description })),
      },
    };
  });
}

export function register(iii: Pick<IIIClient, 'registerFunction'>, deps: DirectoryDeps): void {
  iii.registerFunction(WORKERS_INFO_ID, (payload: unknown) => handleWorkersInfo(deps, payload), {
    description: DESCRIPTION,
    request_format: toJsonSchema(DirectoryInfoRequestSchema),
    response_format: toJsonSchema(DirectoryInfoResponseSchema, 'output'),
  });
}
