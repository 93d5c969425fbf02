import pg from 'pg';
import { RegistryError } from '../../errors';

/**
 * The PostgreSQL connection layer: one pool per process, every query bounded in time, and every failure to reach
 * the database turned into a 503 `database_unavailable` in the error envelope (never a hang, never a crash).
 */

export interface PgOptions {
  url: string;
  /** Pool size (REGISTRY_DATABASE_POOL). */
  max: number;
  /** Waiting for a free connection or a new one, ms. */
  connectTimeoutMs?: number;
  /** Server-side limit on one statement, ms. */
  statementTimeoutMs?: number;
}

/** BIGINT counters (downloads, change_seq) stay far below 2^53: read them as numbers, not strings. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export function createPool(o: PgOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: o.url,
    max: o.max,
    connectionTimeoutMillis: o.connectTimeoutMs ?? 3000,
    idleTimeoutMillis: 30_000,
    statement_timeout: o.statementTimeoutMs ?? 15_000,
    query_timeout: (o.statementTimeoutMs ?? 15_000) + 5000,
    keepAlive: true,
    types,
    application_name: 'iii-registry',
  });
  // An idle connection dropped by a restarting server emits here; the pool replaces it on the next checkout.
  pool.on('error', () => {});
  return pool;
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN',
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300', '57014']);
const UNAVAILABLE_TEXT = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connection error|Client was closed|not queryable|Cannot use a pool after calling end/i;

export function isUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: string }).code;
  return (code !== undefined && UNAVAILABLE_CODES.has(code)) || UNAVAILABLE_TEXT.test(e.message);
}

export const databaseUnavailable = () =>
  new RegistryError(503, 'database_unavailable', 'The registry database is unreachable right now.',
    'Retry in a few seconds; the registry reconnects by itself.', [], undefined, { 'retry-after': '2' });

const mapError = (e: unknown): unknown => (isUnavailable(e) ? databaseUnavailable() : e);

export type Row = Record<string, unknown>;

/** Anything that runs a query: the pool, or a client inside a transaction. */
export interface Sql {
  rows<T = Row>(text: string, params?: unknown[]): Promise<T[]>;
  one<T = Row>(text: string, params?: unknown[]): Promise<T | undefined>;
  exec(text: string, params?: unknown[]): Promise<number>;
}

/**
 * PostgreSQL text cannot hold NUL. A NUL in a lookup (a fuzzed URL) becomes U+FFFD, which no valid name contains, so
 * it finds nothing instead of failing; in stored free text (a README) it is the one character that differs from SQLite.
 */
const noNul = (v: unknown): unknown =>
  typeof v === 'string' ? (v.includes('\u0000') ? v.replaceAll('\u0000', '\uFFFD') : v) : Array.isArray(v) ? v.map(noNul) : v;

function sqlOf(target: pg.Pool | pg.PoolClient): Sql {
  const run = async (text: string, params?: unknown[]) => {
    try {
      return await target.query(text, params?.map(noNul));
    } catch (e) {
      throw mapError(e);
    }
  };
  return {
    rows: async <T>(text: string, params?: unknown[]) => (await run(text, params)).rows as T[],
    one: async <T>(text: string, params?: unknown[]) => (await run(text, params)).rows[0] as T | undefined,
    exec: async (text: string, params?: unknown[]) => (await run(text, params)).rowCount ?? 0,
  };
}

export const poolSql = (pool: pg.Pool): Sql => sqlOf(pool);

/**
 * A pooled client for the length of `fn`. A checked-out client has no error listener in pg-pool: a server going
 * away between two queries would otherwise be an unhandled 'error' event (a crashed replica). The client is marked
 * broken instead (also by `fn`, through `broke`), and a broken client is discarded, not returned to the pool.
 */
async function checkedOut<T>(pool: pg.Pool, fn: (client: pg.PoolClient, broke: (e: Error) => void) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    throw mapError(e);
  }
  let broken: Error | undefined;
  const broke = (e: Error) => {
    broken ??= e;
  };
  client.on('error', broke);
  try {
    return await fn(client, broke);
  } finally {
    client.removeListener('error', broke);
    client.release(broken ?? false);
  }
}

/** A client held outside `transaction` (advisory locks): errors while held are kept, not thrown as events. */
export function holdClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return checkedOut(pool, (client) => fn(client));
}

/** Serialization failures and deadlocks are retried: the transaction is re-run from the start. */
const RETRY_CODES = new Set(['40001', '40P01']);

/**
 * Runs `fn` in one transaction (READ COMMITTED plus explicit row locks: writers of one worker serialize on its row).
 * Rolls back on any error; a broken connection is discarded, not returned to the pool.
 */
export async function transaction<T>(pool: pg.Pool, fn: (sql: Sql) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await checkedOut(pool, async (client, broke): Promise<{ out: T } | 'retry'> => {
      try {
        await client.query('BEGIN');
        const out = await fn(sqlOf(client));
        await client.query('COMMIT');
        return { out };
      } catch (e) {
        await client.query('ROLLBACK').catch(broke);
        if (isUnavailable(e)) broke(e as Error);
        const code = (e as { code?: string }).code;
        if (code && RETRY_CODES.has(code) && attempt < attempts) return 'retry';
        throw mapError(e);
      }
    });
    if (outcome !== 'retry') return outcome.out;
  }
}
