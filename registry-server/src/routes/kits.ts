import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { kitManifestJsonSchema, KitCompareQuerySchema, KitDownloadQuerySchema, KitListQuerySchema, KitVersionQuerySchema } from '@iii-registry/schemas';
import { RegistryError } from '../errors';
import { noQuery, parseQuery, principalOf, writeRateLimit, type RouteOptions } from './context';
import { JSON_TYPE, preparedSender, sendCached } from './prepared';

type Kit = { Params: { handle: string; name: string } };
const NO_VERSION: { version?: string } = {};
/** `?version=` of a read; a request without a query (what clients mostly send) skips the zod parse. */
const versionOf = (req: FastifyRequest) => (noQuery(req) ? NO_VERSION : parseQuery(KitVersionQuerySchema, req));
const MD_TYPE = 'text/markdown; charset=utf-8';
const sendJson = (reply: FastifyReply, body: string) => reply.header('content-type', JSON_TYPE).send(body);

/**
 * The Kits API (docs/kits.md; the client's view is kits.md §2): reads are anonymous, writes take X-API-Key.
 * Reads send prepared bytes from the kit cache (services/kit-cache.ts) with their ETag; `/files` and `/download`
 * send the same cached bytes, so their bodies are byte-identical.
 */
export async function kitRoutes(app: FastifyInstance, { kits, keys, config, hits }: RouteOptions) {
  app.get('/k', async (req, reply) => sendCached(reply, await kits.cached.list(parseQuery(KitListQuerySchema, req))));

  app.post('/k/updates', async (req) => kits.updates(req.body));

  // A cache hit is answered synchronously (routes/prepared.ts; not in upstream mode, like the worker reads).
  const prepared = preparedSender(config);
  app.get<Kit>('/k/:handle/:name', (req, reply) => {
    const hit = hits && noQuery(req) ? hits.kit(req.params.handle, req.params.name) : undefined;
    if (hit) return prepared.json(req, reply, hit);
    return (async () => {
      const { version } = versionOf(req);
      return sendCached(reply, await kits.cached.detail(req.params.handle, req.params.name, version));
    })();
  });
  app.post<Kit>('/k/:handle/:name', { config: writeRateLimit(config) }, async (req) => {
    const principal = await principalOf(keys, req);
    return kits.publish(principal, req.params.handle, req.params.name, req.body);
  });
  app.get<Kit>('/k/:handle/:name/versions', async (req, reply) => sendCached(reply, await kits.cached.versions(req.params.handle, req.params.name)));
  app.get<Kit>('/k/:handle/:name/files', async (req, reply) => {
    const { version } = versionOf(req);
    return sendCached(reply, await kits.cached.files(req.params.handle, req.params.name, version));
  });
  app.get<Kit>('/k/:handle/:name/download', async (req, reply) => {
    const { version, ci } = parseQuery(KitDownloadQuerySchema, req);
    const body = await kits.downloadJson(req.params.handle, req.params.name, version, ci === 'true' || ci === '1');
    // Counted before the reply is built, so even a conditional request answered 304 counts; never cached by proxies.
    return sendCached(reply.header('cache-control', 'no-store'), body);
  });
  app.get<Kit>('/k/:handle/:name/compare', async (req) => {
    const { from, to } = parseQuery(KitCompareQuerySchema, req);
    return kits.compare(req.params.handle, req.params.name, from, to);
  });
  app.get<Kit>('/k/:handle/:name/functions', async (req, reply) => {
    const { version } = versionOf(req);
    return sendCached(reply, await kits.cached.functions(req.params.handle, req.params.name, version));
  });
  app.get<Kit>('/k/:handle/:name/readme', async (req, reply) => {
    const { version } = versionOf(req);
    return sendCached(reply, await kits.cached.readme(req.params.handle, req.params.name, version), MD_TYPE);
  });
  app.put<Kit & { Params: { tag: string } }>('/k/:handle/:name/tags/:tag', { config: writeRateLimit(config) }, async (req) => {
    const principal = await principalOf(keys, req);
    return kits.moveTag(principal, req.params.handle, req.params.name, req.params.tag, req.body);
  });
  app.post<Kit & { Params: { version: string } }>('/k/:handle/:name/versions/:version/status', { config: writeRateLimit(config) }, async (req) => {
    const principal = await principalOf(keys, req);
    return kits.setStatus(principal, req.params.handle, req.params.name, req.params.version, req.body);
  });

  const manifestSchema = JSON.stringify(kitManifestJsonSchema());
  app.get('/schemas/iii.kit.schema.json', async (_req, reply) => sendJson(reply.header('cache-control', 'public, max-age=3600'), manifestSchema));

  app.get<{ Params: { sha256: string } }>('/blobs/:sha256', async (req, reply) => {
    const sha = req.params.sha256;
    if (!/^[0-9a-f]{64}$/.test(sha))
      throw new RegistryError(400, 'invalid_sha256', `'${sha.slice(0, 80)}' is not a sha256.`, 'Ask for 64 lower-case hex characters, as listed in a kit file\'s sha256.');
    const content = await kits.blob(sha);
    if (content === null) throw new RegistryError(404, 'blob_not_found', `No kit file has sha256 ${sha}.`, 'Take the sha256 from GET /k/{handle}/{name}/files.');
    // Content-addressed: the same URL always has the same body.
    return reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(content);
  });
}
