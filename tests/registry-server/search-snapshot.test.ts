/**
 * The persisted search index (services/search/snapshot.ts): a restart at the same catalog revision restores it and
 * answers exactly as an index built from the rows; any write since, another index code, or an unreadable snapshot
 * makes the registry build from the rows instead (never a stale answer), and persist the new index.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { syntheticCatalog } from '@iii-registry/seed';
import { buildApp } from '../../registry-server/src/app';
import { loadConfig } from '../../registry-server/src/config';
import { SEED_PRINCIPAL } from '../../registry-server/src/seed-catalog';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const QUERIES = ['http', 'send email', 'schedule jobs', 'databse', 'imag resiz', 'queue', 'state::set'];

const open = (dir: string) => buildApp(loadConfig({ REGISTRY_DATA_DIR: dir, REGISTRY_SEED: '0', REGISTRY_API_KEY: 'snapshot-test-key', REGISTRY_READ_RATE_LIMIT: '0' }));

async function catalogDir(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iii-search-snapshot-'));
  dirs.push(dir);
  const { app, ctx } = await open(dir);
  for (const payload of syntheticCatalog(80, { seed: 7 })) await ctx.services.publish(SEED_PRINCIPAL, payload);
  await app.close();
  return dir;
}

const answers = async (app: Awaited<ReturnType<typeof open>>['app']) => {
  const out: string[] = [];
  for (const q of QUERIES) out.push((await app.inject(`/w?search=${encodeURIComponent(q)}&limit=50`)).body);
  return out;
};

const snapshotRow = (dir: string) => {
  const db = new Database(path.join(dir, 'registry.db'), { readonly: true });
  try {
    return db.prepare(`SELECT s.revision, CAST((SELECT value FROM registry_state WHERE name = 'revision') AS TEXT) AS current FROM search_snapshot s`).get() as
      { revision: string; current: string } | undefined;
  } finally {
    db.close();
  }
};

const tamper = (dir: string, sql: string) => {
  const db = new Database(path.join(dir, 'registry.db'));
  db.exec(sql);
  db.close();
};

describe('the persisted search index', () => {
  it('is restored at the same catalog revision and answers exactly as the index built from the rows', async () => {
    const dir = await catalogDir();
    const first = await open(dir);
    const built = await answers(first.app);
    expect(first.ctx.search.source).toBe('rows');
    expect(JSON.parse(built[0]).workers.length).toBeGreaterThan(0);
    await first.app.close();
    const row = snapshotRow(dir);
    expect(row?.revision).toBe(row?.current);

    const second = await open(dir);
    expect(await answers(second.app)).toEqual(built);
    expect(second.ctx.search.source).toBe('snapshot');
    // Writes after a restore update the restored index like a built one.
    await second.ctx.services.publish(SEED_PRINCIPAL, { worker_name: 'quokka-relay', version: '1.0.0', type: 'engine', description: 'Relays quokka telemetry' });
    expect((await second.app.inject('/w?search=quokka')).json().workers[0].name).toBe('quokka-relay');
    await second.app.close();
  });

  it('is ignored once any write moved the catalog past it: the new worker is found, and the index persisted again', async () => {
    const dir = await catalogDir();
    const first = await open(dir);
    await answers(first.app);
    await first.app.close();

    // A publish by a process that never searched: the snapshot stays at the old revision.
    const writer = await open(dir);
    await writer.ctx.services.publish(SEED_PRINCIPAL, { worker_name: 'wombat-ledger', version: '1.0.0', type: 'engine', description: 'Keeps wombat ledgers' });
    await writer.app.close();
    const stale = snapshotRow(dir);
    expect(stale?.revision).not.toBe(stale?.current);

    const next = await open(dir);
    expect((await next.app.inject('/w?search=wombat')).json().workers.map((w: { name: string }) => w.name)).toEqual(['wombat-ledger']);
    expect(next.ctx.search.source).toBe('rows');
    await next.app.close();
    const fresh = snapshotRow(dir);
    expect(fresh?.revision).toBe(fresh?.current);
  });

  it('is ignored when another index code wrote it or it cannot be read', async () => {
    const dir = await catalogDir();
    const first = await open(dir);
    const built = await answers(first.app);
    await first.app.close();

    tamper(dir, `UPDATE search_snapshot SET fingerprint = 'another-build'`);
    const other = await open(dir);
    expect(await answers(other.app)).toEqual(built);
    expect(other.ctx.search.source).toBe('rows');
    await other.app.close();

    tamper(dir, `UPDATE search_snapshot SET data = X'00ff00ff'`);
    const broken = await open(dir);
    expect(await answers(broken.app)).toEqual(built);
    expect(broken.ctx.search.source).toBe('rows');
    await broken.app.close();
  });
});
