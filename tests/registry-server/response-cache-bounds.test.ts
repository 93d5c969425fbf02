/**
 * The response caches are bounded in bytes as well as entries (issue 16, RSS): large answers evict the oldest ones
 * instead of growing the process, an answer larger than the whole budget is served but not kept, and a replaced
 * entry's bytes are released.
 */
import { describe, expect, it } from 'vitest';
import type { IndexRow } from '../../registry-server/src/db/types';
import type { ReadmeSearchRepository } from '../../registry-server/src/db/readme-search-repository';
import type { WorkersRepository } from '../../registry-server/src/db/workers-repository';
import { cachedText, ResponseCache } from '../../registry-server/src/services/response-cache';
import { WorkerSearch } from '../../registry-server/src/services/worker-search';

const KiB = 1024;
const body = (kib: number, fill = 'x') => cachedText(fill.repeat(kib * KiB));

describe('response cache bounds', () => {
  it('evicts the oldest entries once the byte budget is exceeded, keeping the newest within it', async () => {
    const cache = new ResponseCache(1000, 100 * KiB);
    for (let i = 0; i < 10; i++) cache.put(`k${i}`, 's', body(20));
    expect(cache.bytes).toBeLessThanOrEqual(100 * KiB);
    expect(cache.size).toBe(4);
    expect(cache.peek('k5', 's')).toBeUndefined();
    for (const k of ['k6', 'k7', 'k8', 'k9']) expect(cache.peek(k, 's')).toBeDefined();
  });

  it('still bounds the number of entries when they are small', () => {
    const cache = new ResponseCache(3, 100 * KiB);
    for (let i = 0; i < 5; i++) cache.put(`k${i}`, 's', body(1));
    expect(cache.size).toBe(3);
    expect(cache.peek('k1', 's')).toBeUndefined();
  });

  it('serves an answer larger than the whole budget without keeping it or evicting the others', async () => {
    const cache = new ResponseCache(1000, 50 * KiB);
    cache.put('small', 's', body(10));
    let builds = 0;
    const build = async () => { builds++; return { text: 'y'.repeat(80 * KiB) }; };
    const first = await cache.get('huge', 's', build);
    const second = await cache.get('huge', 's', build);
    expect(first.body.length).toBeGreaterThan(80 * KiB);
    expect(second.etag).toBe(first.etag);
    expect(builds).toBe(2);
    expect(cache.peek('small', 's')).toBeDefined();
    expect(cache.size).toBe(1);
  });

  it('releases the bytes of a replaced entry (a new stamp for the same key)', () => {
    const cache = new ResponseCache(1000, 1000 * KiB);
    cache.put('k', 's1', body(40));
    const once = cache.bytes;
    for (let i = 2; i < 50; i++) cache.put('k', `s${i}`, body(40));
    expect(cache.bytes).toBe(once);
    expect(cache.peek('k', 's49')).toBeDefined();
    expect(cache.peek('k', 's1')).toBeUndefined();
  });

  it('with secondMiss, keeps an answer only from the second miss of its key, and at once when it had an entry', async () => {
    const cache = new ResponseCache(1000, 1000 * KiB, true);
    let builds = 0;
    const build = async () => ({ n: ++builds });
    await cache.get('q', 's1', build);
    expect(cache.peek('q', 's1')).toBeUndefined();
    expect(cache.size).toBe(0);
    await cache.get('q', 's1', build);
    expect(cache.peek('q', 's1')).toBeDefined();
    await cache.get('q', 's1', build);
    expect(builds).toBe(2);
    // A new stamp (a write) replaces a kept answer on its first miss: the key is known to be asked for.
    await cache.get('q', 's2', build);
    expect(cache.peek('q', 's2')).toBeDefined();
    expect(builds).toBe(3);
  });

  it('keeps a search result list from the second time its query is asked', async () => {
    const row = { name: 'mail-sender', version: '1.0.0', type: 'engine', updated_at: '2026-01-01T00:00:00Z',
      summary: { description: 'Sends email', tags: ['email'] }, api: { names: [], descriptions: [], schemas: [], routes: [] } } as unknown as IndexRow;
    const workers = { catalogStamp: async () => '1', indexRows: async () => [row] } as unknown as WorkersRepository;
    const readmes = { search: async () => [], repair: async () => false } as unknown as ReadmeSearchRepository;
    const search = new WorkerSearch(workers, readmes);
    const first = await search.hits('email');
    const second = await search.hits('email');
    const third = await search.hits('email');
    expect(first.names).toEqual(['mail-sender']);
    expect(second).not.toBe(first);
    expect(third).toBe(second);
  });
});
