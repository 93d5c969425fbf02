import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../registry-server/helpers';
import { kitBody, publishKitWorkers } from '../registry-server/kit-fixtures';

describe('kit pages and documents', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
    await publishKitWorkers(t);
    await t.post('/k/acme/kanban-team', kitBody('1.0.0'));
    await t.post('/k/acme/kanban-team', kitBody('1.1.0', { workers: { kanban: '^1.6', mailer: '~0.2.0' } }));
    await t.post('/k/other/mail-team', kitBody('0.1.0', { tags: ['mail'], description: 'Answers <email> & more', workers: { mailer: '^0.2' }, files: { 'agents/m.md': '---\nname: "<script>alert(1)</script>"\n---\nx\n' } }));
  });
  afterAll(() => t.close());

  it('/kits lists kits, searches and filters by tag, with the strict CSP', async () => {
    const all = await t.get('/kits');
    expect(all.status).toBe(200);
    expect(all.headers['content-security-policy']).toContain("script-src 'self'");
    expect(all.body).toContain('href="/kits/acme/kanban-team"');
    const searched = await t.get('/kits?search=kanban');
    expect(searched.body).toContain('acme/kanban-team');
    expect(searched.body).not.toContain('other/mail-team');
    const tagged = await t.get('/kits?tag=mail');
    expect(tagged.body).toContain('other/mail-team');
    expect(tagged.body).not.toContain('href="/kits/acme/kanban-team"');
    expect((await t.get('/kits/acme')).body).not.toContain('other/mail-team');
  });

  it('the kit page has agents, skills, workers, versions (with compare) and readme tabs', async () => {
    const agents = await t.get('/kits/acme/kanban-team');
    expect(agents.status).toBe(200);
    expect(agents.body).toContain('id="kit-version">1.1.0<');
    expect(agents.body).toContain('kanban::create');
    expect(agents.body).toContain('no kit worker provides it'); // ghost::fly
    expect(agents.body).toContain('directory::download-kit {&quot;kit&quot;: &quot;acme/kanban-team@1.1.0&quot;}');
    const workers = await t.get('/kits/acme/kanban-team?tab=workers');
    expect(workers.body).toMatch(/<code>\^1\.6<\/code><\/td>\s*<td><a href="\/workers\/kanban\?version=1\.6\.1">1\.6\.1<\/a>/);
    expect((await t.get('/kits/acme/kanban-team?tab=skills')).body).toContain('acme/kanban-team/tickets/flow');
    const versions = await t.get('/kits/acme/kanban-team?tab=versions&compare=1.0.0');
    expect(versions.body).toContain('1.1.0 vs 1.0.0');
    expect(versions.body).toContain('worker <code>kanban</code> ^1.4 → ^1.6');
    expect((await t.get('/kits/acme/kanban-team?tab=readme')).body).toMatch(/<h[12][^>]*>Kanban team<\/h[12]>/);
    expect((await t.get('/kits/acme/kanban-team?version=1.0.0')).body).toContain('which is not the latest');
    expect((await t.get('/kits/acme/nope')).status).toBe(404);
  });

  it('escapes what publishers wrote', async () => {
    const page = await t.get('/kits/other/mail-team');
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('&lt;script&gt;');
    expect(page.body).toContain('Answers &lt;email&gt; &amp; more');
  });

  it('/kits/{handle}/{name}.md is one markdown document for agents; llms.txt lists kits', async () => {
    const md = await t.get('/kits/acme/kanban-team.md');
    expect(md.status).toBe(200);
    expect(md.headers['content-type']).toMatch(/^text\/markdown/);
    expect(md.body).toContain('# acme/kanban-team 1.1.0');
    expect(md.body).toContain('`kanban::create` (from `kanban` 1.6.1): Create a card');
    expect(md.body).toContain('### kanban `^1.6`');
    expect(md.body).toContain('resolves to 1.6.1 today');
    expect(md.body).toContain('## Functions no kit worker provides');
    expect((await t.get('/kits/acme/kanban-team.md?version=1.0.0')).body).toContain('# acme/kanban-team 1.0.0');
    expect((await t.get('/kits/acme/nope.md')).json.error.code).toBe('kit_not_found');
    const llms = await t.get('/llms.txt');
    expect(llms.body).toContain('## Kits');
    expect(llms.body).toContain('- [acme/kanban-team](http://registry.test/kits/acme/kanban-team.md): A team that runs a kanban board (latest 1.1.0; 2 agents, 2 skills, 2 workers)');
  });
});
