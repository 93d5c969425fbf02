import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadSkills } from '../../directory-worker/src/skills-download';
import { startFakeKitRegistry, type FakeKitRegistry } from './fake-kit-registry';
import { makeProject, type Project } from './kits-harness';

let reg: FakeKitRegistry;
let p: Project;
beforeEach(async () => {
  reg = await startFakeKitRegistry();
  p = makeProject(reg.url);
});
afterEach(async () => {
  p.dispose();
  await reg.close();
});

const bundle = (skills: Array<[string, string]>) => reg.skills.set('mailer', { version: '2.1.0', skills: skills.map(([path, content]) => ({ path, content })) });

describe('directory::skills::download (§3.2)', () => {
  it('writes skills, system prompts and agent profiles where they belong, ignores prompts/, and leaves the marker', async () => {
    bundle([['SKILL.md', '# Mailer\n'], ['index.md', '# old index\n'], ['skills/send/how.md', '# How\n'], ['system-prompts/terse.md', '---\ndescription: terse\n---\nBe terse.\n'],
      ['prompts/compose.md', '# ignored\n'], ['agents/postmaster.md', '---\nname: Postmaster\n---\nSend.\n']]);
    const out = await downloadSkills(p.skills, { worker: 'mailer' });
    expect(out).toEqual({ namespace: 'mailer', skills_written: ['SKILL.md', 'send/how.md'], system_prompts_written: ['terse'], agents_written: ['postmaster'],
      agents_skipped: [], source: { kind: 'registry', worker: 'mailer', tag: 'latest' } });
    const files = p.snapshot();
    expect(Object.keys(files).sort()).toEqual(['agents/postmaster.md', 'skills/mailer/.iii-skill-complete', 'skills/mailer/SKILL.md',
      'skills/mailer/send/how.md', 'skills/mailer/system-prompts/terse.md']);
    expect(JSON.parse(files['skills/mailer/.iii-skill-complete'] ?? '')).toEqual({ worker: 'mailer', source: 'registry', tag_or_version: 'latest', schema: 2,
      version: '2.1.0', agents: { postmaster: createHash('sha256').update('---\nname: Postmaster\n---\nSend.\n').digest('hex') } });
    expect(reg.requests).toContain('GET /w/mailer/skills?version=latest');
    expect(p.events).toContainEqual({ target: 'agents', payload: { op: 'download', source: 'registry' } });
  });

  it('leaves a profile a kit owns alone (kit > worker)', async () => {
    p.write('kits.lock', `version: 1\nkits:\n  acme/k:\n    requested: latest\n    version: 1.0.0\n    installed_at: x\n    workers: {}\n    files:\n      agents/postmaster.md: { sha256: ${'a'.repeat(64)} }\n`);
    p.write('agents/postmaster.md', 'the kit one\n');
    bundle([['agents/postmaster.md', 'the worker one\n']]);
    const out = await downloadSkills(p.skills, { worker: 'mailer', version: '2.1.0' });
    expect(out.agents_skipped).toEqual(['postmaster']);
    expect(p.read('agents/postmaster.md')).toBe('the kit one\n');
  });

  it('refuses an entry that would leave the folder before writing anything; 404 is D310, a down registry D320 without its URL', async () => {
    bundle([['SKILL.md', '# ok\n'], ['skills/../../../escape.md', 'x']]);
    await expect(downloadSkills(p.skills, { worker: 'mailer' })).rejects.toThrow(/^D320 registry_error: .* would leave its folder; nothing was written/);
    expect(p.snapshot()).toEqual({});
    await expect(downloadSkills(p.skills, { worker: 'nobody' })).rejects.toThrow(/^D310 not_found: registry worker "nobody" has no published skills bundle/);
    await expect(downloadSkills(p.skills, { worker: 'Bad/Name' })).rejects.toThrow(/^D311 invalid_input/);
    await expect(downloadSkills(p.skills, { worker: 'mailer', version: '1.0.0', tag: 'next' })).rejects.toThrow(/either version OR tag/);
    reg.mode = 'error';
    const err = (await downloadSkills(p.skills, { worker: 'mailer' }).catch((e) => e)) as Error;
    expect(err.message).toBe('D320 registry_error: could not reach the registry. Next: retry shortly.');
  });
});
