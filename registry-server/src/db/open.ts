import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/** Opens (creating if needed) the registry database with WAL and runs pending migrations in one transaction. */
export function openDatabase(dataDir: string): Db {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    fs.mkdirSync(dataDir, { recursive: true });
    file = path.join(dataDir, 'registry.db');
  }
  const db = new Database(file);
  // The busy timeout first: switching to WAL takes a lock another process starting at the same moment may hold.
  db.pragma('busy_timeout = 5000');
  // SQLite answers SQLITE_BUSY at once, without calling the busy handler, while another connection is recovering the
  // WAL or switching the journal mode: two processes starting together on a new data dir hit it. Retry, bounded.
  retryWhileBusy(() => db.pragma('journal_mode = WAL'));
  // FULL: every commit syncs the WAL before it returns, so a publish, tag move or key change that was acknowledged
  // survives an OS crash or power cut (NORMAL only survives a process crash). Download counters opt out per
  // commit (workers-repository.ts): losing a few counts on power loss is acceptable, an fsync per download is not.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  retryWhileBusy(() => migrate(db));
  return db;
}

const BUSY_RETRY_MS = 10_000;

/** Runs `fn`, retrying with a short sleep while it fails with SQLITE_BUSY, for at most BUSY_RETRY_MS. */
export function retryWhileBusy<T>(fn: () => T): T {
  const deadline = Date.now() + BUSY_RETRY_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (!code.startsWith('SQLITE_BUSY') || Date.now() > deadline) throw err;
      // Start-up only: blocking the thread for a few milliseconds is fine before the server listens.
      Atomics.wait(pause, 0, 0, Math.min(5 * 2 ** attempt, 100));
    }
  }
}

/** Reads the schema version inside an immediate transaction, so two processes starting together migrate once. */
export function migrate(db: Db): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length)
      throw new Error(`database schema version ${current} is newer than this registry (${MIGRATIONS.length}); upgrade the registry`);
    for (let i = current; i < MIGRATIONS.length; i++) db.exec(MIGRATIONS[i]);
    if (current !== MIGRATIONS.length) db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
