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
    // Writes after a restore update the restored index like a built one: a new worker, and a new version of one
    // (its old terms removed: what a restore must rebuild from the compact form).
    await second.ctx.services.publish(SEED_PRINCIPAL, { worker_name: 'quokka-relay', version: '1.0.0', type: 'engine', description: 'Relays numbat telemetry' });
    expect((await second.app.inject('/w?search=numbat')).json().workers[0].name).toBe('quokka-relay');
    await second.ctx.services.publish(SEED_PRINCIPAL, { worker_name: 'quokka-relay', version: '1.1.0', type: 'engine', description: 'Relays platypus telemetry' });
    expect((await second.app.inject('/w?search=platypus')).json().workers[0].name).toBe('quokka-relay');
    expect((await second.app.inject('/w?search=numbat')).json().workers).toEqual([]);
    const renamed = syntheticCatalog(80, { seed: 7 })[0];
    await second.ctx.services.publish(SEED_PRINCIPAL, { ...renamed, version: '99.0.0', description: 'Wallaby bookkeeping' });
    expect((await second.app.inject('/w?search=wallaby')).json().workers[0].name).toBe(renamed.worker_name);
    await second.app.close();
  });

  it('once restored, takes writes (new workers, new versions replacing indexed ones) exactly as the built index does', async () => {
    const dir = await catalogDir();
    const first = await open(dir);
    await answers(first.app);
    await first.app.close();
    // Two copies of the same file: one restores the snapshot, the other is made to build from the rows.
    const built = fs.mkdtempSync(path.join(os.tmpdir(), 'iii-search-snapshot-built-'));
    dirs.push(built);
    fs.copyFileSync(path.join(dir, 'registry.db'), path.join(built, 'registry.db'));
    tamper(built, `UPDATE search_snapshot SET fingerprint = 'another-build'`);

    const catalog = syntheticCatalog(80, { seed: 7 });
    const after: Record<string, string[]> = {};
    for (const [label, d] of [['restored', dir], ['built', built]] as const) {
      const b = await open(d);
      await answers(b.app);
      expect(b.ctx.search.source).toBe(label === 'restored' ? 'snapshot' : 'rows');
      for (const [i, p] of [catalog[0], catalog[5], catalog[40]].entries())
        await b.ctx.services.publish(SEED_PRINCIPAL, { ...p, version: '99.0.0', description: `Numbat ${i} keeps ledgers of wombat burrows` });
      await b.ctx.services.publish(SEED_PRINCIPAL, { worker_name: 'quokka-relay', version: '1.0.0', type: 'engine', description: 'Relays numbat telemetry' });
      after[label] = [...(await answers(b.app)), (await b.app.inject('/w?search=numbat%20wombat&limit=50')).body];
      await b.app.close();
    }
    // Ranking only: the bodies also carry publish times, which differ between the two copies.
    const ranking = (bodies: string[]) => bodies.map((b) => (JSON.parse(b).workers as { name: string; score: number; match: string }[]).map((w) => [w.name, w.score, w.match]));
    expect(ranking(after.restored).at(-1)).toHaveLength(4);
    expect(ranking(after.restored)).toEqual(ranking(after.built));
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
