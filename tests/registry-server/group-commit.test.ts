import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../registry-server/src/db/open';
import type { NewVersion, PublishRules, VersionDoc } from '../../registry-server/src/db/types';
import { createWorkersRepository } from '../../registry-server/src/db/workers-repository';
import { tagsAfterPublish } from '../../registry-server/src/services/version-rules';

/**
 * SQLite group commit (issue 16, publish throughput): publishes that arrive together share one transaction, one
 * savepoint each, and are answered only after the one COMMIT.
 */

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'group-commit-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;

const doc = { type: 'binary', description: 'd', readme: '# r', functions: [], triggers: [] } as unknown as VersionDoc;
const version = (name: string, v: string): NewVersion => ({
  name, version: v, prerelease: false, type: 'binary', content_hash: `${name}@${v}`, doc, doc_json: JSON.stringify(doc),
  published_at: new Date().toISOString(), publisher_key_id: null,
});

function setup() {
  const dir = path.join(root, `case-${n++}`);
  const db = openDatabase(dir);
  const observer = new Database(path.join(dir, 'registry.db'), { readonly: true });
  const count = (conn: Database.Database) => conn.prepare('SELECT COUNT(*) FROM versions').pluck().get() as number;
  return { db, observer, workers: createWorkersRepository(db), count };
}

class Conflict extends Error {}

describe('SQLite publishes: group commit', () => {
  it('publishes made together share one transaction, each isolated in its own savepoint', async () => {
    const { db, observer, workers, count } = setup();
    await workers.publish(version('taken', '1.0.0'), { authorize() {}, conflict: () => { throw new Conflict(); }, tagsAfter: tagsAfterPublish });
    const seen: { own: number; committed: number }[] = [];
    const rules = (refuse = false): PublishRules => ({
      authorize() {
        // Inside the transaction: this connection sees the batch's earlier rows, another sees only what is committed.
        seen.push({ own: count(db), committed: count(observer) });
        if (refuse) throw new Error('forbidden');
      },
      conflict: () => {
        throw new Conflict('exists');
      },
      tagsAfter: tagsAfterPublish,
    });
    const results = await Promise.allSettled([
      workers.publish(version('a', '1.0.0'), rules()),
      workers.publish(version('taken', '1.0.0'), rules()),
      workers.publish(version('b', '1.0.0'), rules()),
      workers.publish(version('c', '1.0.0'), rules(true)),
      workers.publish(version('a', '1.1.0'), rules()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(Conflict);
    expect((results[3] as PromiseRejectedResult).reason.message).toBe('forbidden');
    // One transaction: nothing of the batch was committed while it ran; the refused ones rolled back only themselves.
    expect(seen.map((s) => s.committed)).toEqual([1, 1, 1, 1, 1]);
    expect(seen.map((s) => s.own)).toEqual([1, 2, 2, 3, 3]);
    expect(count(observer)).toBe(4);
    expect(db.prepare("SELECT name FROM workers ORDER BY name").pluck().all()).toEqual(['a', 'b', 'taken']);
    const a = await workers.findWorker('a');
    expect((await workers.tags(a!.id)).map((t) => [t.name, t.version])).toEqual([['latest', '1.1.0']]);
    observer.close();
    db.close();
  });

  it('answers a lone publish on its own, and a later one in the next transaction', async () => {
    const { db, observer, workers, count } = setup();
    const rules: PublishRules = { authorize() {}, conflict: () => { throw new Conflict(); }, tagsAfter: tagsAfterPublish };
    const first = await workers.publish(version('x', '1.0.0'), rules);
    expect(first).toMatchObject({ version: '1.0.0', status: 'active', content_hash: 'x@1.0.0' });
    expect(count(observer)).toBe(1);
    await workers.publish(version('x', '1.0.1'), rules);
    expect(count(observer)).toBe(2);
    observer.close();
    db.close();
  });

  it('when the transaction itself fails, every publish of the batch fails and none is stored', async () => {
    const { db, observer, workers, count } = setup();
    const rules: PublishRules = { authorize() {}, conflict: () => { throw new Conflict(); }, tagsAfter: tagsAfterPublish };
    // Another connection holds the write lock past the busy timeout: BEGIN IMMEDIATE fails for the whole batch.
    const blocker = new Database(path.join(root, `case-${n - 1}`, 'registry.db'));
    db.pragma('busy_timeout = 50');
    blocker.exec('BEGIN IMMEDIATE');
    const results = await Promise.allSettled([workers.publish(version('p', '1.0.0'), rules), workers.publish(version('q', '1.0.0'), rules)]);
    blocker.exec('ROLLBACK');
    blocker.close();
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason.code).toMatch(/^SQLITE_BUSY/);
    expect(count(observer)).toBe(0);
    observer.close();
    db.close();
  });
});
