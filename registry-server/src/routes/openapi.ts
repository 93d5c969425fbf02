import type { FastifyInstance } from 'fastify';
import * as S from '@iii-registry/schemas';
import { KIT_OPS } from './openapi-kits';

export type Op = { method: string; path: string; summary: string; auth?: boolean; body?: S.z.ZodType; ok: S.z.ZodType | 'text' | 'gzip' | 'html' | 'svg' | 'atom' | null; status?: string; query?: string[] };

/** Every endpoint, with the zod schemas that validate it; /openapi.json is generated from this table. */
const OPS: Op[] = [
  { method: 'post', path: '/publish', summary: 'Publish a version', auth: true, body: S.PublishPayloadSchema, ok: S.z.object({ version: S.WorkerDetailSchema }) },
  { method: 'post', path: '/resolve', summary: 'Resolve the pinned dependency graph', body: S.ResolveRequestSchema, ok: S.ResolveResponseSchema },
  { method: 'get', path: '/download/{name}', summary: 'Legacy resolve; counts a download (204 for engine workers)', ok: S.DownloadResponseSchema, query: ['version', 'ci'] },
  { method: 'get', path: '/w', summary: 'List or search workers', ok: S.WorkerListResponseSchema, query: ['search', 'cursor', 'limit', 'updated_since', 'type', 'tag'] },
  { method: 'get', path: '/w/{slug}', summary: 'One version of a worker (tag or exact version; default latest)', ok: S.WorkerDetailResponseSchema, query: ['version'] },
  { method: 'get', path: '/w/{slug}/versions', summary: 'Every version, newest first, with its tags', ok: S.VersionsResponseSchema },
  { method: 'put', path: '/w/{slug}/tags/{tag}', summary: 'Move a tag (compare-and-swap)', auth: true, body: S.TagMoveRequestSchema, ok: S.TagMoveResponseSchema },
  { method: 'post', path: '/w/{slug}/versions/{version}/status', summary: 'Yank, deprecate or restore a version', auth: true, body: S.VersionStatusRequestSchema, ok: S.z.object({ version: S.VersionRowSchema }) },
  { method: 'post', path: '/w/{slug}/skills', summary: 'Replace the skills snapshot of a version', auth: true, body: S.SkillsPublishRequestSchema, ok: S.SkillsPublishResponseSchema },
  { method: 'get', path: '/w/{slug}/skills', summary: 'Skills snapshot of a version (empty lists when it has none); `tag` is an alias of `version`', ok: S.SkillsResponseSchema, query: ['version', 'tag'] },
  { method: 'post', path: '/w/{slug}/archive', summary: 'Upload a bundle archive (raw application/gzip body) for a version about to be published', auth: true, ok: S.ArchiveUploadResponseSchema, query: ['version'] },
  { method: 'get', path: '/archives/{sha256}.tar.gz', summary: 'A hosted bundle archive', ok: 'gzip' },
  { method: 'get', path: '/workers/{name}.md', summary: 'Agent-context markdown document', ok: 'text', query: ['version', 'tokens', 'sections'] },
  { method: 'get', path: '/workers/{name}/api-reference.json', summary: 'API reference of a version (functions and trigger types exactly as published)', ok: S.ApiReferenceResponseSchema, query: ['version'] },
  { method: 'get', path: '/llms.txt', summary: 'Index of every worker for LLMs', ok: 'text' },
  ...KIT_OPS,
  { method: 'get', path: '/healthz', summary: 'Health', ok: null },
  { method: 'get', path: '/openapi.json', summary: 'This document', ok: null },
  { method: 'get', path: '/admin/keys', summary: 'List API keys (admin key)', auth: true, ok: S.KeyListResponseSchema },
  { method: 'post', path: '/admin/keys', summary: 'Create an API key; its secret is shown once (admin key)', auth: true, body: S.CreateKeyRequestSchema, ok: S.KeyCreateResponseSchema, status: '201' },
  { method: 'delete', path: '/admin/keys/{id}', summary: 'Revoke an API key (admin key)', auth: true, ok: S.KeyRevokeResponseSchema },
  { method: 'get', path: '/', summary: 'Web: index page with search', ok: 'html', query: ['search', 'type', 'tag', 'cursor'] },
  { method: 'get', path: '/workers', summary: 'Web: index page with search', ok: 'html', query: ['search', 'type', 'tag', 'cursor'] },
  { method: 'get', path: '/workers/{name}', summary: 'Web: worker page with tabs (api, skills, versions, agent-context)', ok: 'html', query: ['version', 'tab'] },
  { method: 'get', path: '/workers/{name}/badge.svg', summary: 'Badge: version of a tag (default latest)', ok: 'svg', query: ['tag'] },
  { method: 'get', path: '/workers/{name}/downloads.svg', summary: 'Badge: total downloads', ok: 'svg' },
  { method: 'get', path: '/feed.xml', summary: 'Atom feed of recent publishes', ok: 'atom' },
  { method: 'get', path: '/workers/{name}/feed.xml', summary: 'Atom feed of one worker', ok: 'atom' },
  { method: 'get', path: '/assets/{file}', summary: 'Web: static assets (content-hash URLs)', ok: 'text', query: ['v'] },
];

function buildDocument(publicUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorRef = { $ref: '#/components/schemas/ErrorEnvelope' };
  for (const op of OPS) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    for (const q of op.query ?? []) params.push({ name: q, in: 'query', required: false, schema: { type: 'string' } });
    const content =
      op.ok === 'text' ? { 'text/plain': { schema: { type: 'string' } } }
      : op.ok === 'gzip' ? { 'application/gzip': { schema: { type: 'string', format: 'binary' } } }
      : op.ok === 'html' ? { 'text/html': { schema: { type: 'string' } } }
      : op.ok === 'svg' ? { 'image/svg+xml': { schema: { type: 'string' } } }
      : op.ok === 'atom' ? { 'application/atom+xml': { schema: { type: 'string' } } }
      : op.ok === null ? undefined
      : { 'application/json': { schema: S.toJsonSchema(op.ok, 'output') } };
    paths[op.path] = {
      ...paths[op.path],
      [op.method]: {
        summary: op.summary,
        parameters: params,
        ...(op.auth ? { security: [{ apiKey: [] }] } : {}),
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: S.toJsonSchema(op.body, 'input') } } } } : {}),
        responses: {
          [op.status ?? '200']: { description: 'OK', ...(content ? { content } : {}) },
          default: { description: 'Error envelope', content: { 'application/json': { schema: errorRef } } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'iii workers registry', version: '0.1.0', description: 'Every error body is {"error": {code, message, fix, available}}.' },
    servers: [{ url: publicUrl }],
    paths,
    components: {
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
      schemas: { ErrorEnvelope: S.toJsonSchema(S.ErrorEnvelopeSchema, 'output') },
    },
  };
}

export async function openapiRoutes(app: FastifyInstance, opts: { publicUrl: string }) {
  let doc: string | undefined;
  app.get('/openapi.json', async (_req, reply) => {
    doc ??= JSON.stringify(buildDocument(opts.publicUrl));
    reply.header('content-type', 'application/json; charset=utf-8');
    return doc;
  });
}
