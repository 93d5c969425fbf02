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
  db.pragma('journal_mode = WAL');
  // FULL: every commit syncs the WAL before it returns, so a publish, tag move or key change that was acknowledged
  // survives an OS crash or power cut (NORMAL only survives a process crash). Download counters opt out per
  // commit (workers-repository.ts): losing a few counts on power loss is acceptable, an fsync per download is not.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
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
