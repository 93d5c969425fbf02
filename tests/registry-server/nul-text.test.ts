import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binary, expectOk, makeApp, type TestApp } from './helpers';

/**
 * A NUL character inside published free text (a fuzz finding on PostgreSQL, whose text and jsonb types refuse it):
 * the publish is stored, and every read that touches the text answers without a 5xx, on both backends.
 */
let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
});
afterAll(() => t.close());

describe('NUL characters in published text', () => {
  it('are stored and every listing, feed and search around them answers', async () => {
    await expectOk(t.publish(binary('nul-text', '1.0.0', { description: 'before\u0000after', readme: '# nul\n\nzero\u0000byte text', tags: ['nul'] })));
    for (const url of ['/w/nul-text', '/w?tag=nul', '/w?search=zero', '/w?search=nul', '/feed.xml', '/workers/nul-text/feed.xml', '/llms.txt', '/workers/nul-text.md', '/w/%00', '/download/%00']) {
      const res = await t.get(url);
      expect(res.status, `${url}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
    }
    expect((await t.get('/w?tag=nul')).json.workers.map((w: { name: string }) => w.name)).toEqual(['nul-text']);
  });
});
