import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { RegistryError } from '../errors';
import { principalOf, writeRateLimit, type RouteOptions } from './context';

const ARCHIVE_TYPES = ['application/gzip', 'application/x-gzip', 'application/octet-stream', 'application/x-tar+gzip'];

/**
 * POST /w/{slug}/archive?version= takes the raw .tar.gz as a stream (never buffered); GET /archives/{sha}.tar.gz serves
 * it back. Archives are immutable by construction (content-addressed), so they cache forever.
 */
export async function archiveRoutes(app: FastifyInstance, { services, keys, config }: RouteOptions) {
  app.addContentTypeParser(ARCHIVE_TYPES, (_req, payload, done) => done(null, payload));

  app.post<{ Params: { slug: string }; Querystring: { version?: string } }>('/w/:slug/archive', { config: writeRateLimit(config) }, async (req) => {
    const body = req.body as Readable | undefined;
    if (!body || typeof (body as Readable).pipe !== 'function')
      throw new RegistryError(415, 'unsupported_media_type', 'Upload the archive as the raw request body.',
        `Send the .tar.gz with Content-Type: ${ARCHIVE_TYPES[0]}.`);
    const principal = await principalOf(keys, req);
    const version = typeof req.query.version === 'string' ? req.query.version : '';
    return services.uploadArchive(principal, req.params.slug, version, body);
  });

  app.get<{ Params: { file: string } }>('/archives/:file', async (req, reply) => {
    const m = /^([0-9a-f]{64})\.tar\.gz$/.exec(req.params.file);
    const file = m ? await services.openArchive(m[1]) : null;
    if (!file)
      throw new RegistryError(404, 'archive_not_found', 'No archive with that SHA-256 is stored here.', 'Use the archive_url from GET /download/{name} or POST /resolve.');
    reply.header('content-type', 'application/gzip');
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    reply.header('etag', `"${m?.[1]}"`);
    return reply.send(file);
  });
}
