import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CreateKeyRequestSchema, validate } from '@iii-registry/schemas';
import { RegistryError, validationFailed } from '../errors';
import { principalOf, type RouteOptions } from './context';

/** Admin endpoints to create, list and revoke API keys (the CLI `npm run keys` does the same on the database). */
export async function adminKeyRoutes(app: FastifyInstance, { keys }: RouteOptions) {
  const requireAdmin = async (req: FastifyRequest) => {
    const principal = await principalOf(keys, req);
    if (!principal.admin)
      throw new RegistryError(403, 'admin_required', 'Only an admin key may manage keys.', 'Use the bootstrap admin key (REGISTRY_API_KEY) or another admin key.');
  };

  app.get('/admin/keys', async (req) => {
    await requireAdmin(req);
    return { keys: await keys.list() };
  });

  app.post('/admin/keys', async (req, reply) => {
    await requireAdmin(req);
    const checked = validate(CreateKeyRequestSchema, req.body);
    if (!checked.ok) throw validationFailed('key request', checked.problems);
    reply.code(201);
    return { key: await keys.create(checked.value.name, checked.value.admin) };
  });

  app.delete<{ Params: { id: string } }>('/admin/keys/:id', async (req) => {
    await requireAdmin(req);
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || !(await keys.revoke(id)))
      throw new RegistryError(404, 'key_not_found', `No active key with id '${req.params.id}'.`, 'List keys with GET /admin/keys.');
    return { revoked: id };
  });
}
