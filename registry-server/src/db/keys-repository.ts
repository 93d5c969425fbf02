import type { Db } from './open';
import type { KeyRow } from './types';

export interface KeysRepository {
  create(name: string, hash: string, admin: boolean): Promise<KeyRow>;
  findByHash(hash: string): Promise<KeyRow | null>;
  revoke(id: number): Promise<boolean>;
  list(): Promise<KeyRow[]>;
  countActiveAdmins(): Promise<number>;
}

/** A key row as both backends read it. */
export const toKey = (r: Record<string, unknown>): KeyRow => ({
  id: r.id as number,
  name: r.name as string,
  hash: r.hash as string,
  admin: r.admin === 1,
  created_at: r.created_at as string,
  revoked_at: (r.revoked_at as string | null) ?? null,
});

export function createKeysRepository(db: Db): KeysRepository {
  // Two processes bootstrapping the same key at once: the second insert keeps the first row.
  const insert = db.prepare(`INSERT INTO api_keys (name, hash, admin, created_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (hash) DO UPDATE SET name = api_keys.name RETURNING *`);
  const byHash = db.prepare('SELECT * FROM api_keys WHERE hash = ?');
  const revoke = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const all = db.prepare('SELECT * FROM api_keys ORDER BY id');
  const admins = db.prepare('SELECT COUNT(*) AS n FROM api_keys WHERE admin = 1 AND revoked_at IS NULL');
  return {
    async create(name, hash, admin) {
      return toKey(insert.get(name, hash, admin ? 1 : 0, new Date().toISOString()) as Record<string, unknown>);
    },
    async findByHash(hash) {
      const row = byHash.get(hash) as Record<string, unknown> | undefined;
      return row ? toKey(row) : null;
    },
    async revoke(id) {
      return revoke.run(new Date().toISOString(), id).changes === 1;
    },
    async list() {
      return (all.all() as Record<string, unknown>[]).map(toKey);
    },
    async countActiveAdmins() {
      return (admins.get() as { n: number }).n;
    },
  };
}
