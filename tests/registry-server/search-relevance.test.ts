import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerListItemSchema } from '@iii-registry/schemas';
import { CUT_RATIO } from '../../registry-server/src/services/search-index';
import { binary, expectOk, makeApp, type TestApp } from './helpers';

/**
 * Search relevance (issue 12): BM25F ranking with per-entry saturation, stemming, synonyms, typo tolerance, the
 * `score` and `match` extension fields, and the cut of a weak tail. The labelled 86-query benchmark is in
 * bench/relevance/ (`npm run bench -- relevance`); these are the rules it relies on, one by one.
 */
let t: TestApp;
const obsFns = Array.from({ length: 20 }, (_, i) => ({
  name: `otel::op${i}`,
  description: `Operation ${i} over stored spans: attribute key and value pairs, state of the store.`,
  request_schema: { type: 'object', properties: { key: { type: 'string', description: 'Attribute key' }, value: { type: 'string', description: 'Attribute value' } } },
}));

beforeAll(async () => {
  t = await makeApp();
  await t.publish(binary('iii-state', '1.0.0', {
    description: 'Key-value state shared by every worker.', tags: ['state'],
    functions: [{ name: 'state::get', description: 'Read the value under a key.' }, { name: 'state::set', description: 'Store a value under a key.' }] as never,
  }));
  await t.publish(binary('iii-observability', '1.0.0', { description: 'OpenTelemetry traces, metrics and logs, stored and queryable.', functions: obsFns as never }));
  await t.publish(binary('image-resize', '1.0.0', {
    description: 'Resize and convert images.',
    functions: [{
      name: 'image_resize::resize', description: 'Resize an image.',
      request_schema: { type: 'object', properties: { size: { $ref: '#/$defs/Size' } }, $defs: { Size: { type: 'object', properties: { width: { type: 'integer', description: 'Width in pixels; 200 makes a small thumbnail' } } } } },
    }] as never,
  }));
  await t.publish(binary('iii-cron', '1.0.0', { description: 'Run functions on a timetable with cron expressions.' }));
  await t.publish(binary('iii-mailer', '1.0.0', { description: 'Transactional mail over SMTP.', functions: [{ name: 'mailer::send', description: 'Send one message.' }] as never }));
  await t.publish(binary('slack-notify', '1.0.0', { description: 'Post messages to Slack channels.' }));
});
afterAll(async () => t.close());

const search = async (q: string) => (await expectOk(t.get(`/w?search=${encodeURIComponent(q)}&limit=50`))).workers as { name: string; score: number; match: string }[];

describe('search relevance', () => {
  it('gives every search row a score and a match kind, valid against the list row schema', async () => {
    const rows = await search('resize images');
    expect(rows[0]).toMatchObject({ name: 'image-resize', match: 'all_words' });
    for (const r of rows) {
      expect(WorkerListItemSchema.safeParse(r).success).toBe(true);
      expect(typeof r.score).toBe('number');
    }
    const listed = await expectOk(t.get('/w'));
    expect(listed.workers[0]).not.toHaveProperty('score');
  });

  it('ranks the focused worker above one with many functions repeating the words', async () => {
    expect((await search('key value store'))[0].name).toBe('iii-state');
    expect((await search('kv'))[0].name).toBe('iii-state');
  });

  it('finds a word that lives only in a property description inside $defs', async () => {
    expect((await search('make a thumbnail'))[0]).toMatchObject({ name: 'image-resize', match: 'all_words' });
  });

  it('stems words and applies the synonym table', async () => {
    expect((await search('scheduling'))[0].name).toBe('iii-cron');
    expect((await search('send an email'))[0].name).toBe('iii-mailer');
    expect((await search('opentelemetry'))[0].name).toBe('iii-observability');
  });

  it('names the match: exact worker name, exact function id, typo', async () => {
    expect((await search('iii-cron'))[0]).toMatchObject({ name: 'iii-cron', match: 'exact_name' });
    expect((await search('mailer::send'))[0]).toMatchObject({ name: 'iii-mailer', match: 'exact_name' });
    expect((await search('thumbnial'))[0]).toMatchObject({ name: 'image-resize', match: 'typo' });
  });

  it('cuts hits far below the best one, and says when nothing matches every word', async () => {
    // iii-state and iii-observability match "store" too, but weakly: they are cut, not listed below.
    const rows = await search('post slack messages store');
    expect(rows.map((r) => r.name)).toEqual(['slack-notify']);
    expect((await search('store')).map((r) => r.name)).toEqual(expect.arrayContaining(['iii-state', 'iii-observability']));
    for (const r of await search('state store')) expect(r.score).toBeGreaterThanOrEqual((await search('state store'))[0].score * CUT_RATIO - 0.001);
    const weak = await search('send a fax');
    expect(weak.every((r) => r.match === 'some_words')).toBe(true);
  });

  it('follows a new version: words of the old one stop matching, new ones match', async () => {
    await t.publish(binary('iii-shell', '1.0.0', { description: 'Run shell commands in a sandbox.' }));
    expect((await search('sandbox'))[0].name).toBe('iii-shell');
    await t.publish(binary('iii-shell', '2.0.0', { description: 'Execute programs in a jail.' }));
    expect((await search('sandbox')).map((r) => r.name)).not.toContain('iii-shell');
    expect((await search('jail'))[0]).toMatchObject({ name: 'iii-shell', match: 'all_words' });
  });
});
