import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSeedCatalog } from '@iii-registry/seed';
import { buildApp } from '../../registry-server/src/app';
import { loadConfig } from '../../registry-server/src/config';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iii-registry-persist-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const config = (env: Record<string, string> = {}) => loadConfig({ REGISTRY_DATA_DIR: dir, REGISTRY_READ_RATE_LIMIT: '0', ...env });

describe('a registry on a real SQLite file', () => {
  it('seeds an empty database once, keeps everything across restarts, and generates the key only once', async () => {
    const catalog = loadSeedCatalog();
    const first = await buildApp(config());
    expect(first.generatedKey).toMatch(/^iiireg_/);
    // The catalog plus the registry's own iii-directory bundle.
    expect(first.seeded).toEqual({ versions: catalog.publishes.length + 1, skills: catalog.skills.length + 1 });
    const names = [...new Set(catalog.publishes.map((p) => p.worker_name)), 'iii-directory'];
    const listed = (await first.app.inject('/w?limit=100')).json();
    expect(listed.workers.map((w: { name: string }) => w.name).sort()).toEqual(names.sort());
    // Every seeded worker's whole graph resolves.
    for (const name of names) {
      const res = await first.app.inject({ method: 'POST', url: '/resolve', payload: { worker: name } });
      const body = res.json();
      expect(res.statusCode, `${name}: ${res.body}`).toBe(200);
      expect(body.graph.at(-1).name).toBe(name);
    }
    await first.app.inject({ method: 'POST', url: '/publish', headers: { 'x-api-key': first.generatedKey as string },
      payload: { worker_name: 'kept', version: '1.0.0', type: 'engine' } });
    await first.app.close();

    const second = await buildApp(config());
    expect(second.generatedKey).toBeUndefined();
    expect(second.seeded).toBeUndefined();
    expect((await second.app.inject('/w/kept')).json().worker.version).toBe('1.0.0');
    expect((await second.app.inject('/w?search=kept')).json().workers[0].name).toBe('kept');
    const res = await second.app.inject({ method: 'POST', url: '/publish', headers: { 'x-api-key': first.generatedKey as string },
      payload: { worker_name: 'kept', version: '1.0.1', type: 'engine' } });
    expect(res.statusCode).toBe(200);
    await second.app.close();

    const db = new Database(path.join(dir, 'registry.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((db.prepare('SELECT COUNT(*) AS n FROM versions').get() as { n: number }).n).toBe(catalog.publishes.length + 3);
    db.close();
  });

  it('does not seed when REGISTRY_SEED=0', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'iii-registry-noseed-'));
    const built = await buildApp(loadConfig({ REGISTRY_DATA_DIR: empty, REGISTRY_SEED: '0', REGISTRY_API_KEY: 'k' }));
    expect(built.seeded).toBeUndefined();
    expect((await built.app.inject('/w')).json().workers).toEqual([]);
    await built.app.close();
    fs.rmSync(empty, { recursive: true, force: true });
  });
});
