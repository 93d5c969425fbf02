import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binary, makeApp, type TestApp } from './helpers';

/**
 * Search pages reuse their list rows between queries (services/list-items.ts) while nothing was written: a new
 * query after a publish, a download or a yank must still show the row as it is now, never the remembered one.
 */
describe('search page rows follow every write', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp();
    await t.publish(binary('mailer', '1.0.0', { description: 'Send email messages' }));
    await t.publish(binary('mail-queue', '1.0.0', { description: 'Queue email for later' }));
  });
  afterEach(() => t.close());

  const row = async (query: string) => {
    const res = await t.get(`/w?search=${encodeURIComponent(query)}`);
    expect(res.status).toBe(200);
    return (res.json.workers as { name: string; version: string; description: string; total_downloads: number }[]).find((w) => w.name === 'mailer');
  };

  it('a new version, a download and a yank show in the next never-seen query', async () => {
    expect(await row('email')).toMatchObject({ version: '1.0.0', description: 'Send email messages', total_downloads: 0 });

    await t.publish(binary('mailer', '1.1.0', { description: 'Send email messages, now with templates' }));
    expect(await row('send email')).toMatchObject({ version: '1.1.0', description: 'Send email messages, now with templates' });

    expect((await t.get('/download/mailer')).status).toBe(200);
    expect((await row('email messages'))?.total_downloads).toBe(1);

    const yank = await t.post('/w/mailer/versions/1.1.0/status', { status: 'yanked', message: 'broken templates' });
    expect(yank.status, yank.body).toBe(200);
    expect(await row('mailer email')).toMatchObject({ version: '1.0.0' });
  });
});
