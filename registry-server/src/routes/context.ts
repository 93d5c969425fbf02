import type { FastifyRequest } from 'fastify';
import type { RateLimitOptions } from '@fastify/rate-limit';
import { validate, type z } from '@iii-registry/schemas';
import { validationFailed } from '../errors';
import type { KeysService } from '../services/keys';
import type { PreparedHits } from '../services/index';
import type { KitsService } from '../services/kits';
import type { RegistryServices } from '../services/types';
import type { RegistryConfig } from '../config';

/** What every route plugin receives: the services, key checks and config. */
export interface RouteOptions {
  services: RegistryServices;
  keys: KeysService;
  config: RegistryConfig;
  kits: KitsService;
  /** Synchronous cache hits of the hot reads (routes/prepared.ts); unset with an upstream, where every read asks it first. */
  hits?: PreparedHits;
}

export const principalOf = (keys: KeysService, req: FastifyRequest) => keys.authenticate(req.headers['x-api-key'], req.ip);

/** Parses a query string with a zod schema; problems become one 422 listing each with its path. */
export function parseQuery<S extends z.ZodType>(schema: S, req: FastifyRequest): z.output<S> {
  const checked = validate(schema, req.query ?? {});
  if (!checked.ok) throw validationFailed('query string', checked.problems);
  return checked.value;
}

/** True when the request has no query parameters: hot routes then skip the zod parse (nothing to check). */
export function noQuery(req: FastifyRequest): boolean {
  for (const _ in req.query as object) return false;
  return true;
}

/** Per-key limit for writes: the key's hash would do, but the raw header keeps the limiter cheap and in memory. */
export function writeRateLimit(config: RegistryConfig): { rateLimit: RateLimitOptions | false } {
  if (config.publishRateLimit <= 0) return { rateLimit: false };
  return { rateLimit: { max: config.publishRateLimit, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => `key:${String(req.headers['x-api-key'] ?? req.ip)}` } };
}
