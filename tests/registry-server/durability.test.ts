import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../registry-server/src/app';
import { loadConfig } from '../../registry-server/src/config';
import { ADMIN_KEY, binary } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durability-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const FULL = 2;

describe('durability of acknowledged writes', () => {
  it('commits with synchronous=FULL (WAL synced per commit), also after a download counted without it', async () => {
    const { app, db } = await buildApp(loadConfig({ REGISTRY_DATA_DIR: dir, REGISTRY_API_KEY: ADMIN_KEY, REGISTRY_SEED: '0', REGISTRY_READ_RATE_LIMIT: '0' }));
    try {
      if (!db) throw new Error('this test is about the SQLite file (REGISTRY_DATABASE_URL must be unset)');
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(FULL);
      const headers = { 'x-api-key': ADMIN_KEY };
      expect((await app.inject({ method: 'POST', url: '/publish', headers, payload: binary('durable', '1.0.0') })).statusCode).toBe(200);
      expect((await app.inject('/download/durable')).statusCode).toBe(200);
      expect(db.pragma('synchronous', { simple: true })).toBe(FULL);
      expect((await app.inject({ method: 'PUT', url: '/w/durable/tags/stable', headers, payload: { version: '1.0.0' } })).statusCode).toBe(200);
      expect(db.pragma('synchronous', { simple: true })).toBe(FULL);
      expect((await app.inject('/w/durable')).json().worker.total_downloads).toBe(1);
    } finally {
      await app.close();
    }
  });
});
