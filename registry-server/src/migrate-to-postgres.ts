import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from './db/open';
import { copySqliteToPostgres } from './db/pg/copy-from-sqlite';
import { migratePostgres } from './db/pg/migrations';
import { createPool } from './db/pg/sql';

/**
 * `npm run migrate-to-postgres -- --from ./data --to postgres://...`: copies a SQLite registry (its data dir) into
 * PostgreSQL. Idempotent: run it again to bring the copy up to date. Stop the old registry (or accept that writes
 * made during the copy need another run) before switching replicas to REGISTRY_DATABASE_URL.
 */
const usage = 'usage: npm run migrate-to-postgres -- --from <REGISTRY_DATA_DIR> --to postgres://user@host:5432/db';
const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } } });
if (!values.from || !values.to || !/^postgres(ql)?:\/\//.test(values.to)) {
  console.error(usage);
  process.exit(2);
}
const from = path.resolve(values.from);
const started = performance.now();
const db = openDatabase(from);
const pool = createPool({ url: values.to, max: 2, statementTimeoutMs: 600_000 });
try {
  process.stdout.write('Migrating the PostgreSQL schema...');
  await migratePostgres(pool);
  console.log('ok');
  process.stdout.write(`Copying ${from} ...`);
  const report = await copySqliteToPostgres(db, path.join(from, 'archives'), pool);
  console.log('ok');
  if (values.json) console.log(JSON.stringify(report));
  else {
    for (const [table, n] of Object.entries(report.rows)) console.log(`  ${table}: ${n} rows`);
    console.log(`  archives: ${report.archives.copied} copied, ${report.archives.present} already there`);
  }
  console.log(`Completed in ${((performance.now() - started) / 1000).toFixed(1)}s. Start replicas with REGISTRY_DATABASE_URL set.`);
} catch (e) {
  console.log('failed');
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
} finally {
  db.close();
  await pool.end();
}
