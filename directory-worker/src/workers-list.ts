import {
  DirectoryListRequestSchema,
  DirectoryListResponseSchema,
  toJsonSchema,
  validate,
  type DirectoryListResponse,
} from '@iii-registry/schemas';
import type { IIIClient } from 'iii-sdk';
import { cacheKey } from './cache';
import { invalidInput, type DirectoryDeps } from './deps';

export const WORKERS_LIST_ID = 'directory::registry::workers::list';

const DESCRIPTION =
  'Search the iii workers registry before building a new worker. `search` takes natural language ' +
  '("resize a jpeg", "send email"); its rows carry `score` and `match` (exact_name, all_words, typo, some_words: ' +
  'rows that match only some words are weak). Without it workers come most-downloaded first. Page with the ' +
  '`pagination.next_cursor` of the previous answer until it is null.';

/** Unknown keys such as the engine's `_caller_worker_id` are dropped by the schema, never refused. */
export async function handleWorkersList(deps: DirectoryDeps, payload: unknown): Promise<DirectoryListResponse> {
  const input = validate(DirectoryListRequestSchema, payload ?? {});
  if (!input.ok) throw invalidInput(input.problems);
  const { search, cursor, limit } = input.value;
  return deps.listCache.get(cacheKey('list', search, cursor, limit), () =>
    deps.registry.listWorkers({ search, cursor, limit }),
  );
}

export function register(iii: Pick<IIIClient, 'registerFunction'>, deps: DirectoryDeps): void {
  iii.registerFunction(WORKERS_LIST_ID, (payload: unknown) => handleWorkersList(deps, payload), {
    description: DESCRIPTION,
    request_format: toJsonSchema(DirectoryListRequestSchema),
    response_format: toJsonSchema(DirectoryListResponseSchema, 'output'),
  });
}
