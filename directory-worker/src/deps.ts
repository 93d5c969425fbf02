import type { DirectoryInfoResponse, DirectoryListResponse, Problem } from '@iii-registry/schemas';
import type { Cache } from './cache';
import type { RegistryClient } from './registry-client';

/** What every bus function of this worker needs; built once in register.ts. */
export interface DirectoryDeps {
  registry: RegistryClient;
  listCache: Cache<DirectoryListResponse>;
  infoCache: Cache<DirectoryInfoResponse>;
}

/** Bad input is an error a retry will not fix: one sentence per problem, the messages bus.md fixes kept verbatim. */
export function invalidInput(problems: Problem[]): Error {
  const parts = problems.map((p) =>
    p.path === '(root)' || p.message.startsWith(p.path) || p.message.includes(' must ') ? p.message : `${p.path}: ${p.message}`,
  );
  return new Error(parts.join('; '));
}
