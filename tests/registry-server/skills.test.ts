import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SkillsResponseSchema } from '@iii-registry/schemas';
import { binary, expectError, expectOk, makeApp, type TestApp } from './helpers';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
  await expectOk(t.publish(binary('resend', '1.2.3')));
  await expectOk(t.publish(binary('resend', '1.3.0-rc.1', { tag: 'next' })));
});
afterEach(async () => t.close());

const SKILLS = {
  'SKILL.md': '---\nname: resend\ndescription: Send email\n---\n# Send email',
  'skills/emails/send.md': '# Sending',
  'agents/send-email.md': '---\ndescription: Drafts and sends one email\n---\nYou send emails.',
  'prompts/draft.md': '---\ndescription: Draft one email\nargs_schema:\n  type: object\n---\nDraft an email to {{to}}.',
};

describe('skills', () => {
  it('stores a snapshot for the resolved version and serves it back with prompts', async () => {
    const res = await expectOk(t.post('/w/resend/skills', { version: 'latest', skills: SKILLS }));
    expect(res).toMatchObject({ name: 'resend', version: '1.2.3', count: 4 });
    const got = await expectOk(t.get('/w/resend/skills?version=latest'));
    expect(SkillsResponseSchema.safeParse(got).success).toBe(true);
    expect(got.version).toBe('1.2.3');
    expect(got.skills.map((s: { path: string }) => s.path)).toEqual(['SKILL.md', 'agents/send-email.md', 'prompts/draft.md', 'skills/emails/send.md']);
    expect(got.skills[0].content).toBe(SKILLS['SKILL.md']);
    expect(got.prompts).toEqual([{ name: 'draft', description: 'Draft one email', args_schema: { type: 'object' }, content: 'Draft an email to {{to}}.' }]);
  });

  it('replaces the whole snapshot, and an empty map clears it', async () => {
    await expectOk(t.post('/w/resend/skills', { version: '1.2.3', skills: SKILLS }));
    await expectOk(t.post('/w/resend/skills', { version: '1.2.3', skills: { 'SKILL.md': '# v2' } }));
    expect((await t.get('/w/resend/skills?version=1.2.3')).json.skills).toEqual([{ path: 'SKILL.md', content: '# v2' }]);
    await expectOk(t.post('/w/resend/skills', { version: '1.2.3', skills: {} }));
    const cleared = await expectOk(t.get('/w/resend/skills?version=1.2.3'));
    expect(cleared.skills).toEqual([]);
  });

  it('answers 200 with empty lists without a snapshot, and 422 for bad keys or empty files, listing each', async () => {
    expect(await expectOk(t.get('/w/resend/skills?version=next'))).toEqual({ name: 'resend', version: '1.3.0-rc.1', skills: [], prompts: [] });
    expectError(await t.get('/w/ghost/skills'), 404, 'worker_not_found');
    const err = expectError(await t.post('/w/resend/skills', { version: '1.2.3', skills: { '../etc.md': 'x', 'README.txt': 'x', 'ok.md': '' } }), 422, 'validation_failed');
    expect(err.problems?.length).toBeGreaterThanOrEqual(3);
    expectError(await t.post('/w/resend/skills', { version: '7.0.0', skills: {} }), 404, 'version_not_found');
    expectError(await t.post('/w/resend/skills', { version: '1.2.3', skills: {} }, null), 401, 'api_key_missing');
  });
});
