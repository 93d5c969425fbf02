import crypto from 'node:crypto';
import type { KeysRepository } from '../db/keys-repository';
import { RegistryError, unauthorized } from '../errors';
import { AuthLimiter } from './auth-limiter';
import type { Principal } from './types';

/** API keys are random 32-byte secrets; only their SHA-256 is stored (a slow hash adds nothing for 256-bit secrets). */
export const hashKey = (key: string): string => crypto.createHash('sha256').update(key, 'utf8').digest('hex');
export const generateKey = (): string => `iiireg_${crypto.randomBytes(32).toString('base64url')}`;

export interface KeysService {
  /** `address` is the client's; failed attempts from it (and for the key's prefix) are limited, see auth-limiter.ts. */
  authenticate(header: string | string[] | undefined, address?: string): Promise<Principal>;
  /** Makes sure an admin exists; returns a newly generated key exactly once (first start without REGISTRY_API_KEY). */
  bootstrap(configuredKey: string | undefined): Promise<string | undefined>;
  create(name: string, admin: boolean): Promise<{ id: number; name: string; admin: boolean; key: string }>;
  revoke(id: number): Promise<boolean>;
  list(): Promise<{ id: number; name: string; admin: boolean; created_at: string; revoked_at: string | null }[]>;
}

export function createKeysService(keys: KeysRepository, limiter = new AuthLimiter({ max: 0, windowMs: 60_000 })): KeysService {
  return {
    async authenticate(header, address = 'unknown') {
      const presented = (Array.isArray(header) ? header[0] : header)?.trim();
      if (!presented) throw unauthorized('missing');
      const hash = hashKey(presented);
      if (!limiter.isKnownGood(hash)) limiter.check(address, presented);
      const row = await keys.findByHash(hash);
      // The lookup is by hash; compare the stored hash in constant time as well, so no branch depends on key bytes.
      const stored = Buffer.from(row?.hash ?? '0'.repeat(64), 'hex');
      const equal = crypto.timingSafeEqual(stored, Buffer.from(hash, 'hex'));
      if (!row || !equal || row.revoked_at !== null) {
        limiter.forget(hash);
        limiter.failed(address, presented);
        throw unauthorized('invalid');
      }
      limiter.succeeded(hash);
      return { keyId: row.id, name: row.name, admin: row.admin };
    },
    async bootstrap(configuredKey) {
      if (configuredKey) {
        if (!(await keys.findByHash(hashKey(configuredKey)))) await keys.create('bootstrap-admin', hashKey(configuredKey), true);
        return undefined;
      }
      if ((await keys.countActiveAdmins()) > 0) return undefined;
      const key = generateKey();
      await keys.create('bootstrap-admin', hashKey(key), true);
      return key;
    },
    async create(name, admin) {
      if (!/^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}$/.test(name))
        throw new RegistryError(422, 'validation_failed', 'The key name is invalid.', 'Use 1-64 letters, digits, spaces, dots, @, _ or -.');
      const key = generateKey();
      const row = await keys.create(name, hashKey(key), admin);
      return { id: row.id, name: row.name, admin: row.admin, key };
    },
    async revoke(id) {
      return keys.revoke(id);
    },
    async list() {
      return (await keys.list()).map(({ hash: _hash, ...rest }) => rest);
    },
  };
}
