import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerListItemSchema, WorkerListResponseSchema } from '@iii-registry/schemas';
import { binary, digestOf, engine, expectError, expectOk, image, makeApp, type TestApp } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
  await t.publish(binary('image-resize', '0.1.2', {
    description: 'Resize JPEG, PNG and WebP images through channel I/O', tags: ['image', 'thumbnail'],
    functions: [{ name: 'image_resize::resize', description: 'Resize one image read from a channel' }] as never,
  }));
  await t.publish(binary('resend', '1.2.3', { description: 'Send transactional email through Resend', tags: ['email'] }));
  await t.publish(binary('pdf-extract', '1.0.0', { description: 'Extract text from documents', readme: '# pdf\n\nPulls the text and tables out of PDF files.' }));
  await t.publish(image('llm-router', '0.3.0', { description: 'Route prompts to language models' }));
  await t.publish(engine('state', '0.21.4'));
  for (let i = 0; i < 45; i++) await t.publish(binary(`filler-${String(i).padStart(2, '0')}`, '1.0.0', { description: 'Filler worker for paging' }));
  for (let i = 0; i < 3; i++) await t.get('/download/resend');
  await t.get('/download/pdf-extract');
});
afterAll(async () => t.close());

describe('GET /w', () => {
  it('lists rows with the contract fields, ordered by downloads', async () => {
    const body = await expectOk(t.get('/w'));
    expect(WorkerListResponseSchema.safeParse(body).success).toBe(true);
    expect(body.workers.map((w: { name: string }) => w.name).slice(0, 2)).toEqual(['resend', 'pdf-extract']);
    const resend = body.workers[0];
    expect(resend).toMatchObject({ name: 'resend', type: 'binary', version: '1.2.3', total_downloads: 3, dependencies: [],
      supported_targets: ['aarch64-apple-darwin', 'x86_64-unknown-linux-gnu'], author: { name: 'bootstrap-admin', pfp: null, verified: true } });
    expect(resend).not.toHaveProperty('image');
    expect(body.pagination).toMatchObject({ has_more: true, page_size: 20 });
    expect(typeof body.pagination.next_cursor).toBe('string');
  });

  it('shows image only for image workers', async () => {
    const llm = (await t.get('/w?search=llm-router')).json.workers[0];
    expect(llm.image).toBe(`ghcr.io/iii/llm-router@sha256:${digestOf('llm-router@0.3.0')}`);
  });

  it('pages through every worker exactly once, even with publishes in between', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body = await expectOk(t.get(`/w${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`));
      seen.push(...body.workers.map((w: { name: string }) => w.name));
      cursor = body.pagination.next_cursor;
      if (pages === 0) await t.publish(binary('zz-late', '1.0.0'));
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    const base = seen.filter((n) => n !== 'zz-late');
    expect(new Set(base).size).toBe(base.length);
    expect(base.length).toBe(50);
  });

  it('honours limit and refuses a foreign cursor', async () => {
    expect((await t.get('/w?limit=5')).json.workers).toHaveLength(5);
    expectError(await t.get('/w?cursor=not-a-cursor'), 422, 'invalid_cursor');
    expectError(await t.get('/w?limit=0'), 422, 'validation_failed');
  });

  it('ranks natural-language, typo and prefix queries, exact name first', async () => {
    const first = async (q: string) => (await t.get(`/w?search=${encodeURIComponent(q)}`)).json.workers[0]?.name;
    expect(await first('resize a jpeg')).toBe('image-resize');
    expect(await first('send email')).toBe('resend');
    expect(await first('emial')).toBe('resend');
    expect(await first('thumbn')).toBe('image-resize');
    expect(await first('tables out of pdf files')).toBe('pdf-extract');
    // Words only the README carries are found through its full-text index, ranked after metadata hits.
    expect(await first('pulls tables')).toBe('pdf-extract');
    expect(await first('pull')).toBe('pdf-extract');
    expect(await first('state')).toBe('state');
    expect(await first('image resize')).toBe('image-resize');
    const none = await expectOk(t.get('/w?search=qqqqzzzz'));
    expect(none.workers).toEqual([]);
    expect(none.pagination).toEqual({ next_cursor: null, has_more: false, page_size: 20 });
  });

  it('pages a search with a stable snapshot', async () => {
    const page1 = await expectOk(t.get('/w?search=filler&limit=20'));
    const page2 = await expectOk(t.get(`/w?search=filler&limit=20&cursor=${page1.pagination.next_cursor}`));
    const page3 = await expectOk(t.get(`/w?search=filler&limit=20&cursor=${page2.pagination.next_cursor}`));
    const names = [...page1.workers, ...page2.workers, ...page3.workers].map((w: { name: string }) => w.name);
    expect(names.filter((n) => n.startsWith('filler-'))).toHaveLength(45);
    expect(new Set(names).size).toBe(names.length);
    expect(page3.pagination.next_cursor).toBeNull();
  });

  it('filters by updated_since, type and tag', async () => {
    const future = await expectOk(t.get('/w?updated_since=2999-01-01T00:00:00Z'));
    expect(future.workers).toEqual([]);
    const past = await expectOk(t.get('/w?updated_since=2000-01-01&limit=100'));
    expect(past.workers.length).toBeGreaterThanOrEqual(50);
    const images = await expectOk(t.get('/w?type=image'));
    expect(images.workers.map((w: { name: string }) => w.name)).toEqual(['llm-router']);
    const tagged = await expectOk(t.get('/w?tag=email'));
    expect(tagged.workers.map((w: { name: string }) => w.name)).toEqual(['resend']);
    expectError(await t.get('/w?updated_since=yesterday-ish'), 422, 'validation_failed');
  });
});

describe('GET /w/{slug}', () => {
  it('returns the detail of latest, a tag or an exact version', async () => {
    await t.publish(binary('resend', '1.3.0-rc.1', { tag: 'next', readme: '# rc' }));
    const latest = (await expectOk(t.get('/w/resend'))).worker;
    expect(WorkerListItemSchema.safeParse(latest).success).toBe(true);
    expect(latest).toMatchObject({ version: '1.2.3', license: '', experimental: false, tags: ['email'], status: 'active' });
    expect(latest.readme).toContain('# resend');
    expect((await expectOk(t.get('/w/resend?version=next'))).worker.version).toBe('1.3.0-rc.1');
    expect((await expectOk(t.get('/w/resend?version=1.3.0-rc.1'))).worker.readme).toBe('# rc');
    expect((await expectOk(t.get('/w/image-resize'))).worker.functions[0].name).toBe('image_resize::resize');
  });

  it('decodes percent-encoded versions (a prerelease with dots and dashes)', async () => {
    await t.publish(binary('built', '1.2.3-build.5'));
    expect((await expectOk(t.get('/w/built?version=1.2.3%2Dbuild%2E5'))).worker.version).toBe('1.2.3-build.5');
  });

  it('answers 404 worker_not_found and version_not_found with alternatives', async () => {
    const err = expectError(await t.get('/w/resnd'), 404, 'worker_not_found');
    expect(err.available).toContain('resend');
    const v = expectError(await t.get('/w/resend?version=9.9.9'), 404, 'version_not_found');
    expect(v.available).toEqual(['1.2.3']);
    expectError(await t.get('/w/nobody/versions'), 404, 'worker_not_found');
  });
});
