import type pg from 'pg';
import { toKey, type KeysRepository } from '../keys-repository';
import { poolSql, type Row } from './sql';

export function createPgKeysRepository(pool: pg.Pool): KeysRepository {
  const sql = poolSql(pool);
  return {
    async create(name, hash, admin) {
      // Replicas bootstrapping the same key at once: the second insert keeps the first row.
      const row = await sql.one(`INSERT INTO api_keys (name, hash, admin, created_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (hash) DO UPDATE SET name = api_keys.name RETURNING *`, [name, hash, admin ? 1 : 0, new Date().toISOString()]);
      return toKey(row as Row);
    },
    async findByHash(hash) {
      const row = await sql.one('SELECT * FROM api_keys WHERE hash = $1', [hash]);
      return row ? toKey(row) : null;
    },
    async revoke(id) {
      return (await sql.exec('UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [new Date().toISOString(), id])) === 1;
    },
    async list() {
      return (await sql.rows('SELECT * FROM api_keys ORDER BY id')).map(toKey);
    },
    async countActiveAdmins() {
      return Number((await sql.one<{ n: number }>('SELECT COUNT(*) AS n FROM api_keys WHERE admin = 1 AND revoked_at IS NULL'))?.n ?? 0);
    },
  };
}
