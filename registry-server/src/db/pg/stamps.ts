import pg from 'pg';
import type { StampsNow } from '../stamps';
import type { Sql } from './sql';

/**
 * Cache stamps for replicas on one PostgreSQL. A stamp read is memoized until something may have changed it:
 * this process committed a write (`invalidate()`), or the follower saw another replica's commit. A read that
 * started before an invalidation is not memoized (generation check), so a stale value can never stick.
 */
export interface PgStamps {
  invalidate(): void;
  worker(name: string): Promise<string | null>;
  revision(name: string): Promise<string | null>;
  catalog(): Promise<string>;
  list(): Promise<string>;
  /** The kit revision (bumped by every kit write) alone. */
  kitRevision(): Promise<string>;
  /** The kit revision and the kit download counter. */
  kits(): Promise<string>;
  /** The memoized values, without a query (undefined when not memoized). */
  now: StampsNow;
}

export function createPgStamps(sql: Sql, maxMemo = 20_000): PgStamps {
  const memo = new Map<string, string | null>();
  let generation = 0;
  const cached = async (key: string, read: () => Promise<unknown>): Promise<string | null> => {
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const started = generation;
    const raw = await read();
    const value = raw === undefined || raw === null ? null : String(raw);
    if (started === generation) {
      if (memo.size >= maxMemo) memo.clear();
      memo.set(key, value);
    }
    return value;
  };
  const peek = (key: string) => memo.get(key);
  const value = async (text: string, params: unknown[] = []) => (await sql.one<{ v: unknown }>(text, params))?.v;
  return {
    invalidate() {
      generation++;
      memo.clear();
    },
    worker: (name) => cached(`w\u0000${name}`, () => value(`SELECT concat(revision, '/', total_downloads, '/', ci_downloads) AS v FROM workers WHERE name = $1`, [name])),
    revision: (name) => cached(`r\u0000${name}`, () => value('SELECT revision AS v FROM workers WHERE name = $1', [name])),
    catalog: async () => (await cached('catalog', () => value(`SELECT value AS v FROM registry_state WHERE name = 'revision'`))) as string,
    list: async () => (await cached('list', () => value(`SELECT string_agg(value::text, '/' ORDER BY name) AS v FROM registry_state WHERE name IN ('downloads', 'revision')`))) as string,
    kitRevision: async () => (await cached('kit', () => value(`SELECT value AS v FROM registry_state WHERE name = 'kits'`))) as string,
    now: {
      worker: (name) => peek(`w\u0000${name}`),
      revision: (name) => peek(`r\u0000${name}`),
      catalog: () => peek('catalog') ?? undefined,
      list: () => peek('list') ?? undefined,
      kitRevision: () => peek('kit') ?? undefined,
      kits: () => peek('kits') ?? undefined,
    },
    kits: async () => (await cached('kits', () => value(`SELECT string_agg(value::text, '/' ORDER BY name) AS v FROM registry_state WHERE name IN ('kit_downloads', 'kits')`))) as string,
  };
}

export const CHANGES_CHANNEL = 'iii_registry_changes';

/** Where a follower starts: the registry counters read before the search index was built (Backend.mark). */
export interface FollowerMark {
  seq: number;
  downloads: number;
  /** The kit revision and kit download counter (kitCounters), which kit caches are keyed on. */
  kits: string;
}

/** The kit counters of `registry_state` rows as one comparable value. */
export const kitCounters = (state: { name: string; value: number }[]): string =>
  `${state.find((r) => r.name === 'kits')?.value ?? 0}/${state.find((r) => r.name === 'kit_downloads')?.value ?? 0}`;

export interface FollowerOptions {
  url: string;
  sql: Sql;
  stamps: { invalidate(): void };
  /** Called with the workers other replicas (or this one) changed, before stamps move on. */
  onWorkers(names: string[]): Promise<void>;
  /** Upper bound on how long a missed notification can leave this replica behind, ms. */
  pollMs?: number;
}

/**
 * Keeps a replica's caches and search index following the database. LISTEN/NOTIFY wakes it as soon as a write
 * commits anywhere; a poll of the registry counters (workers and kits) every `pollMs` catches whatever a notification missed
 * (dropped LISTEN connection, restarted server). Changed workers are read by `change_seq`, so nothing is skipped.
 */
export function startFollower(o: FollowerOptions, since: FollowerMark) {
  let seq = since.seq;
  let downloads = since.downloads;
  let kits = since.kits;
  let listener: pg.Client | null = null;
  let connecting = false;
  let lastConnectAt = 0;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const check = async () => {
    const state = await o.sql.rows<{ name: string; value: number }>(`SELECT name, value FROM registry_state`);
    const revision = state.find((r) => r.name === 'revision')?.value ?? 0;
    const dl = state.find((r) => r.name === 'downloads')?.value ?? 0;
    const kitState = kitCounters(state);
    const moved = revision !== seq || dl !== downloads || kitState !== kits;
    if (revision !== seq) {
      const changed = await o.sql.rows<{ name: string; change_seq: number }>('SELECT name, change_seq FROM workers WHERE change_seq > $1 ORDER BY change_seq', [seq]);
      if (changed.length > 0) await o.onWorkers(changed.map((r) => r.name));
      seq = Math.max(revision, ...changed.map((r) => r.change_seq));
    }
    downloads = dl;
    kits = kitState;
    if (moved) o.stamps.invalidate();
  };

  /** One check at a time; a wake-up during a check runs one more right after. */
  const wake = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = check()
      .catch(() => {})
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          wake();
        }
      });
  };

  const listen = async () => {
    if (stopped || listener || connecting || Date.now() - lastConnectAt < 1000) return;
    connecting = true;
    lastConnectAt = Date.now();
    const client = new pg.Client({ connectionString: o.url, connectionTimeoutMillis: 3000, keepAlive: true, application_name: 'iii-registry-listen' });
    const drop = () => {
      if (listener === client) listener = null;
      client.end().catch(() => {});
    };
    client.on('error', drop);
    client.on('end', drop);
    client.on('notification', wake);
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      if (stopped) drop();
      else listener = client;
      wake();
    } catch {
      drop();
    } finally {
      connecting = false;
    }
  };

  const timer = setInterval(() => {
    void listen();
    wake();
  }, o.pollMs ?? 250);
  timer.unref();
  void listen();

  return {
    /** Waits for the check under way (tests). */
    async settle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await listener?.end().catch(() => {});
      listener = null;
    },
  };
}
