import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../registry-server/src/db/open';
import { createKitsRepository, type KitsRepository } from '../../registry-server/src/db/kits-repository';
import type { KitPublishRules, NewKitVersion } from '../../registry-server/src/db/kits-types';
import { kitTagsAfterPublish } from '../../registry-server/src/services/kit-rules';

const doc = { description: null, license: null, repo: null, tags: [], notes: null, experimental: null, workers: [], agents: [], skills: [] };
const input = (version: string, files: [string, string][]): NewKitVersion => ({
  handle: 'acme', name: 'team', version, prerelease: false, publisher_key_id: null, published_at: new Date().toISOString(), doc,
  files: files.map(([p, sha]) => ({ path: p, sha256: sha, content: `content of ${sha}` })), readme: { sha256: 'r'.repeat(64), content: 'readme' }, search_text: '',
});
const rules: KitPublishRules = {
  authorize() {},
  conflict(): never {
    throw new Error('conflict');
  },
  tagsAfter: (all, tags, inserted) => kitTagsAfterPublish(all, tags, inserted),
};

/** The SQLite repository on a real database file. */
describe('kits repository (SQLite file)', () => {
  let dir: string;
  let db: Db;
  let repo: KitsRepository;
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kits-repo-'));
    db = openDatabase(dir);
    repo = createKitsRepository(db);
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a publish failing after its blobs were inserted rolls everything back: no blob, file, kit or handle remains', async () => {
    const failing: KitPublishRules = { ...rules, tagsAfter: () => { throw new Error('disk full'); } };
    await expect(repo.publish(input('1.0.0', [['agents/a.md', 'a'.repeat(64)]]), failing)).rejects.toThrow('disk full');
    for (const table of ['kit_blobs', 'kit_files', 'kit_versions', 'kits', 'kit_handles', 'kit_tags']) expect(count(table), table).toBe(0);
  });

  it('shares blobs between versions and keeps old ones after newer versions', async () => {
    await repo.publish(input('1.0.0', [['agents/a.md', 'a'.repeat(64)], ['skills/s.md', 's'.repeat(64)]]), rules);
    await repo.publish(input('1.1.0', [['agents/a.md', 'b'.repeat(64)], ['skills/s.md', 's'.repeat(64)]]), rules);
    expect(count('kit_blobs')).toBe(4); // a, s, b and the shared readme
    expect(await repo.blob('a'.repeat(64))).toBe(`content of ${'a'.repeat(64)}`);
    const kit = await repo.kit('acme', 'team');
    expect((await repo.tags(kit!.id)).map((t) => `${t.name}=${t.version}`)).toEqual(['latest=1.1.0']);
    await expect(repo.publish(input('1.1.0', [['agents/a.md', 'c'.repeat(64)]]), rules)).rejects.toThrow('conflict');
    expect(await repo.blob('c'.repeat(64))).toBeNull();
  });
});
