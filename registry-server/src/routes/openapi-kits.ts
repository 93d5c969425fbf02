import * as S from '@iii-registry/schemas';
import type { Op } from './openapi';

/** The Kits API rows of /openapi.json (docs/kits.md). */
export const KIT_OPS: Op[] = [
  { method: 'get', path: '/k', summary: 'List or search kits (every word must match; ranked by id, tags, then text)', ok: S.KitListResponseSchema, query: ['search', 'tag', 'handle', 'limit'] },
  { method: 'post', path: '/k/updates', summary: 'Update check for installed kits (anonymous)', body: S.KitUpdatesRequestSchema, ok: S.KitUpdatesResponseSchema },
  { method: 'get', path: '/k/{handle}/{name}', summary: 'One version of a kit (tag, exact version, or range; default latest)', ok: S.KitDetailResponseSchema, query: ['version'] },
  { method: 'post', path: '/k/{handle}/{name}', summary: 'Publish a kit version (422 lists every problem with a code; 409 version_exists)', auth: true, body: S.KitPublishRequestSchema, ok: S.KitDetailResponseSchema },
  { method: 'get', path: '/k/{handle}/{name}/versions', summary: 'Every version, newest first, with release tags', ok: S.KitVersionsSchema },
  { method: 'get', path: '/k/{handle}/{name}/files', summary: 'Files of a version with contents (not counted)', ok: S.KitFilesSchema, query: ['version'] },
  { method: 'get', path: '/k/{handle}/{name}/download', summary: 'Same bytes as /files; counts a download (ci=true counted apart)', ok: S.KitFilesSchema, query: ['version', 'ci'] },
  { method: 'get', path: '/k/{handle}/{name}/compare', summary: 'What changed between two versions (to defaults to latest)', ok: S.KitCompareSchema, query: ['from', 'to'] },
  { method: 'get', path: '/k/{handle}/{name}/functions', summary: 'Functions the agents preload, with the providing worker and version', ok: S.KitFunctionsSchema, query: ['version'] },
  { method: 'get', path: '/k/{handle}/{name}/readme', summary: 'README markdown of a version (404 when none)', ok: 'text', query: ['version'] },
  { method: 'put', path: '/k/{handle}/{name}/tags/{tag}', summary: 'Move a release tag (compare-and-swap)', auth: true, body: S.KitTagMoveRequestSchema, ok: S.KitTagMoveResponseSchema },
  { method: 'post', path: '/k/{handle}/{name}/versions/{version}/status', summary: 'Deprecate (blocks installs), yank (softer) or restore a version', auth: true, body: S.KitVersionStatusRequestSchema, ok: S.KitVersionsSchema },
  { method: 'get', path: '/blobs/{sha256}', summary: 'A kit file by the sha256 of its UTF-8 content (every version, for ever)', ok: 'text' },
  { method: 'get', path: '/kits/{handle}/{name}.md', summary: 'Kit document for LLMs', ok: 'text', query: ['version'] },
  { method: 'get', path: '/schemas/iii.kit.schema.json', summary: 'JSON Schema of the iii.kit.yaml manifest', ok: null },
];
