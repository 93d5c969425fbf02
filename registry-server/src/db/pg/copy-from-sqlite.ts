import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { Db } from '../open';
import { CHUNK_BYTES } from './archive-store';
import { readmeColumns } from './readme-text';
import { poolSql, transaction, type Sql } from './sql';

/**
 * Copies a SQLite registry (registry.db + archives/) into a migrated PostgreSQL database. Rows keep their ids, so
 * owners, tags and skills keep pointing at the same things; every row is an upsert by primary key, so running
 * the copy again (after more traffic on the old registry) converges on the source instead of duplicating.
 * The relational part is one transaction: a failed copy leaves the target as it was.
 */

export interface CopyReport {
  rows: Record<string, number>;
  archives: { copied: number; present: number };
}

interface TableCopy {
  table: string;
  key: string[];
  columns: string[];
  /** Rows the source no longer has (a replaced skills snapshot, a dropped tag) must go: replace the whole table. */
  replace?: boolean;
  /** Extra target columns computed from a source row, with the SQL expression that stores each value. */
  extra?: { column: string; sql: string; value(row: Record<string, unknown>): unknown }[];
}

const TABLES: TableCopy[] = [
  { table: 'api_keys', key: ['id'], columns: ['id', 'name', 'hash', 'admin', 'created_at', 'revoked_at'] },
  { table: 'workers', key: ['id'], columns: ['id', 'name', 'owner_key_id', 'created_at', 'updated_at', 'total_downloads', 'ci_downloads', 'revision'] },
  {
    table: 'versions',
    key: ['id'],
    columns: ['id', 'worker_id', 'version', 'prerelease', 'type', 'status', 'status_message', 'published_at', 'publisher_key_id', 'content_hash', 'summary', 'fn_text', 'doc'],
    extra: [
      { column: 'readme_tsv', sql: '?::tsvector', value: (r) => readmeColumns(JSON.parse(r.doc as string).readme).tsv },
      { column: 'readme_len', sql: '?', value: (r) => readmeColumns(JSON.parse(r.doc as string).readme).length },
    ],
  },
  { table: 'tags', replace: true, key: ['worker_id', 'name'], columns: ['worker_id', 'name', 'version_id', 'updated_at'] },
  { table: 'skill_snapshots', key: ['version_id'], columns: ['version_id', 'updated_at'] },
  { table: 'skill_files', replace: true, key: ['version_id', 'path'], columns: ['version_id', 'path', 'content'] },
  { table: 'staged_archives', key: ['worker_name', 'version'], columns: ['worker_name', 'version', 'sha256', 'size', 'created_at'] },
  { table: 'upstream_cache', key: ['key'], columns: ['key', 'status', 'body', 'etag', 'fetched_at'] },
  // Kits: handles with their owners, kits with their counters, blobs (content-addressed, so a blob already copied
  // is the same text), immutable versions and their files, and tags (moved or dropped since: replaced whole).
  { table: 'kit_handles', key: ['handle'], columns: ['handle', 'owner_key_id', 'created_at'] },
  { table: 'kits', key: ['id'], columns: ['id', 'handle', 'name', 'created_at', 'updated_at', 'total_downloads', 'ci_downloads'] },
  { table: 'kit_blobs', key: ['sha256'], columns: ['sha256', 'size', 'content', 'created_at'] },
  {
    table: 'kit_versions',
    key: ['id'],
    columns: ['id', 'kit_id', 'version', 'prerelease', 'status', 'status_message', 'replaced_by', 'published_at', 'publisher_key_id', 'readme_sha256', 'search_text', 'doc'],
  },
  { table: 'kit_files', key: ['version_id', 'path'], columns: ['version_id', 'path', 'sha256'] },
  { table: 'kit_tags', replace: true, key: ['kit_id', 'name'], columns: ['kit_id', 'name', 'version_id', 'updated_at'] },
];

async function copyTable(source: Db, sql: Sql, t: TableCopy): Promise<number> {
  const rows = source.prepare(`SELECT ${t.columns.join(', ')} FROM ${t.table}`).all() as Record<string, unknown>[];
  const extras = t.extra ?? [];
  const targetColumns = [...t.columns, ...extras.map((e) => e.column)];
  const updates = targetColumns.filter((c) => !t.key.includes(c)).map((c) => `${c} = excluded.${c}`);
  const values = [...t.columns.map((_, i) => `$${i + 1}`), ...extras.map((e, i) => e.sql.replace('?', `$${t.columns.length + i + 1}`))];
  const text = `INSERT INTO ${t.table} (${targetColumns.join(', ')}) VALUES (${values.join(', ')})
    ON CONFLICT (${t.key.join(', ')}) DO ${updates.length ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`;
  if (t.replace) await sql.exec(`DELETE FROM ${t.table}`);
  for (const row of rows) await sql.exec(text, [...t.columns.map((c) => row[c]), ...extras.map((e) => e.value(row))]);
  return rows.length;
}

async function copyArchive(pool: pg.Pool, file: string, sha256: string): Promise<void> {
  const hash = createHash('sha256');
  let size = 0;
  let seq = 0;
  await transaction(pool, async (s) => {
    await s.exec('DELETE FROM archive_chunks WHERE blob = $1', [sha256]);
    let pending: Buffer[] = [];
    let bytes = 0;
    const flush = async () => {
      if (bytes === 0) return;
      await s.exec('INSERT INTO archive_chunks (blob, seq, data) VALUES ($1, $2, $3)', [sha256, seq++, Buffer.concat(pending, bytes)]);
      pending = [];
      bytes = 0;
    };
    for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      pending.push(chunk);
      bytes += chunk.length;
      if (bytes >= CHUNK_BYTES) await flush();
    }
    await flush();
    if (hash.digest('hex') !== sha256) throw new Error(`${file} does not hash to its name; the archive store is damaged`);
    await s.exec('INSERT INTO archive_blobs (sha256, size, chunks, created_at) VALUES ($1, $2, $3, $4)', [sha256, size, seq, new Date().toISOString()]);
  });
}

export async function copySqliteToPostgres(source: Db, archiveDir: string, pool: pg.Pool): Promise<CopyReport> {
  const rows: Record<string, number> = {};
  await transaction(pool, async (sql) => {
    for (const t of TABLES) rows[t.table] = await copyTable(source, sql, t);
    const state = source.prepare('SELECT name, value FROM registry_state').all() as { name: string; value: number }[];
    // Counters move forward (never back), so a replica that cached under an old value sees a change.
    for (const s of state)
      await sql.exec(`INSERT INTO registry_state (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = GREATEST(registry_state.value + 1, excluded.value)`, [s.name, s.value]);
    for (const table of ['api_keys', 'workers', 'versions', 'kits', 'kit_versions'])
      await sql.exec(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST((SELECT COALESCE(max(id), 0) FROM ${table}), 1))`);
  });
  const sql = poolSql(pool);
  const files = (await readdir(archiveDir).catch(() => [] as string[])).filter((f) => /^[0-9a-f]{64}\.tar\.gz$/.test(f));
  let copied = 0;
  for (const f of files) {
    const sha256 = f.slice(0, 64);
    if (await sql.one('SELECT 1 AS x FROM archive_blobs WHERE sha256 = $1', [sha256])) continue;
    await copyArchive(pool, path.join(archiveDir, f), sha256);
    copied++;
  }
  return { rows, archives: { copied, present: files.length - copied } };
}
