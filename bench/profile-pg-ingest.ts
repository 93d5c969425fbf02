/**
 * The PostgreSQL archive store's ingest (issue 16): a 10 MiB bundle through `createPgArchiveStore().put()` in this
 * process, in 64 KiB chunks as a socket delivers them, against SHA-256 + the policy scan of the same bytes.
 * Throwaway cluster (tests/helpers/pg-cluster.ts: fsync off, so this measures the pipeline, not the disk).
 * `npx tsx bench/profile-pg-ingest.ts` (under the bench lock).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { create } from 'tar';
import { CHUNK_BYTES, createPgArchiveStore } from '../registry-server/src/db/pg/archive-store';
import { migratePostgres } from '../registry-server/src/db/pg/migrations';
import { createPool } from '../registry-server/src/db/pg/sql';
import { inspectArchive } from '../registry-server/src/storage/archive-policy';
import { startPgCluster } from '../tests/helpers/pg-cluster';

const MiB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'bench-pg-ingest-'));
const cluster = await startPgCluster();
const pool = createPool({ url: cluster.url, max: 4 });
try {
  await migratePostgres(pool);
  const src = join(dir, 'src');
  mkdirSync(src);
  writeFileSync(join(src, 'iii.worker.yaml'), 'iii: v1\nname: bundled\nversion: 1.0.0\ndeploy: bundle\nscripts:\n  start: node bundle.js\n');
  const rounds = Number(process.env.ROUNDS ?? 8);
  const archives: Buffer[] = [];
  for (let i = 0; i <= rounds; i++) {
    writeFileSync(join(src, 'bundle.js'), randomBytes(10 * MiB));
    await create({ gzip: true, cwd: src, file: join(dir, `a${i}.tar.gz`), portable: true }, ['.']);
    archives.push(readFileSync(join(dir, `a${i}.tar.gz`)));
  }
  const chunks = (b: Buffer) => Array.from({ length: Math.ceil(b.length / 65536) }, (_, i) => b.subarray(i * 65536, (i + 1) * 65536));
  const store = createPgArchiveStore(pool);
  const put = ([] as number[]);
  const scan = ([] as number[]);
  for (let i = 0; i <= rounds; i++) {
    let t = performance.now();
    await store.put(Readable.from(chunks(archives[i])), { expectedName: 'bundled' });
    if (i > 0) put.push(performance.now() - t);
    t = performance.now();
    createHash('sha256').update(archives[i]).digest('hex');
    await inspectArchive(Readable.from(chunks(archives[i])), { expectedName: 'bundled' });
    if (i > 0) scan.push(performance.now() - t);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  // The chunk rows alone: the same bytes as 256 KiB INSERTs, one after the other, then deleted.
  const rows: number[] = [];
  for (let i = 1; i <= rounds; i++) {
    const t = performance.now();
    for (let at = 0, seq = 0; at < archives[i].length; at += CHUNK_BYTES, seq++)
      await pool.query('INSERT INTO archive_chunks (blob, seq, data) VALUES ($1, $2, $3)', ['tmp:rows', seq, archives[i].subarray(at, at + CHUNK_BYTES)]);
    rows.push(performance.now() - t);
    await pool.query(`DELETE FROM archive_chunks WHERE blob = 'tmp:rows'`);
  }
  console.log(`the chunk rows alone (INSERTs of ${CHUNK_BYTES / 1024} KiB): median ${median(rows).toFixed(0)} ms`);
  console.log(`PostgreSQL store put, 10 MiB: median ${median(put).toFixed(0)} ms; scan ${median(scan).toFixed(0)} ms; ratio ${(median(put) / median(scan)).toFixed(2)}`);
} finally {
  await pool.end();
  await cluster.destroy();
  rmSync(dir, { recursive: true, force: true });
}
