/**
 * Where a publish's milliseconds go in the store (issue 16): the workers repository's publish transaction on a real
 * SQLite file, as the registry runs it, then without the commit's fsync, without the README index triggers, and
 * bare better-sqlite3 inserting the same JSON (the bench's storage limit). `npx tsx bench/profile-publish.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../registry-server/src/db/open';
import { createWorkersRepository } from '../registry-server/src/db/workers-repository';
import { tagsAfterPublish } from '../registry-server/src/services/version-rules';
import type { VersionDoc } from '../registry-server/src/db/types';
import { payloadOf } from './writes';

const MS = Number(process.env.BENCH_WRITES_MS ?? 1500);
const payload = payloadOf();
const { worker_name: _n, version: _v, tag: _t, ...doc } = payload as Record<string, unknown>;

async function variant(name: string, setup: (db: Database.Database) => void): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-publish-'));
  const db = openDatabase(dir);
  setup(db);
  const workers = createWorkersRepository(db);
  const rules = { authorize() {}, conflict(): never { throw new Error('exists'); }, tagsAfter: tagsAfterPublish };
  let n = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  while (performance.now() - started < MS) {
    await workers.publish({ name: `w-${n % 50}`, version: `1.0.${n}`, prerelease: false, type: (doc as unknown as VersionDoc).type, content_hash: String(n),
      doc: doc as unknown as VersionDoc, doc_json: JSON.stringify(doc), published_at: new Date().toISOString(), publisher_key_id: null }, rules);
    n++;
  }
  const rate = Math.round((n / (performance.now() - started)) * 1000);
  const used = process.cpuUsage(cpu);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`${name.padEnd(52)} ${String(rate).padStart(6)}/s  ${(1000 / rate).toFixed(2)} ms each, CPU ${((used.user + used.system) / 1000 / n).toFixed(2)} ms`);
  return rate;
}

function bare(): void {
  const dir = mkdtempSync(join(tmpdir(), 'bench-publish-'));
  const db = new Database(join(dir, 'bare.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE v (id INTEGER PRIMARY KEY, name TEXT NOT NULL, version TEXT NOT NULL, doc TEXT NOT NULL, UNIQUE (name, version))');
  const insert = db.prepare('INSERT INTO v (name, version, doc) VALUES (?, ?, ?)');
  const one = db.transaction((i: number) => insert.run(`w-${i % 50}`, `1.0.${i}`, JSON.stringify(doc)));
  let n = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  while (performance.now() - started < MS) one.immediate(n++);
  const rate = Math.round((n / (performance.now() - started)) * 1000);
  const used = process.cpuUsage(cpu);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`${'bare better-sqlite3 insert (FULL)'.padEnd(52)} ${String(rate).padStart(6)}/s  ${(1000 / rate).toFixed(2)} ms each, CPU ${((used.user + used.system) / 1000 / n).toFixed(2)} ms`);
}

const dropTriggers = (db: Database.Database) => {
  for (const { name } of db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'readme_fts%'`).all() as { name: string }[])
    db.exec(`DROP TRIGGER ${name}`);
};
/** The README index as it was before the contentless migration: a copy of every README, deletes re-tokenize it. */
const withContent = (db: Database.Database) => {
  db.exec(`DROP TABLE readme_fts; CREATE VIRTUAL TABLE readme_fts USING fts5 (readme, tokenize = 'porter unicode61')`);
};
for (let round = 0; round < Number(process.env.ROUNDS ?? 2); round++) {
  bare();
  await variant('repository publish (FULL, as served)', () => {});
  await variant('repository publish, synchronous = NORMAL', (db) => db.pragma('synchronous = NORMAL'));
  await variant('repository publish, no README index triggers', dropTriggers);
  await variant('repository publish, README index with content (before)', withContent);
  await variant('repository publish, NORMAL and no README triggers', (db) => { db.pragma('synchronous = NORMAL'); dropTriggers(db); });
}
