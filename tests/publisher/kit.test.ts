import { cp, mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KitManifestSchema, KitPublishRequestSchema } from '@iii-registry/schemas';
import { parse as parseYaml } from 'yaml';
import { runCli } from './run-cli';

const KIT_FIXTURE = new URL('../fixtures/kits/kanban-team/', import.meta.url).pathname;
const tmp = () => mkdtemp(path.join(os.tmpdir(), 'iii-kit-'));

describe('iii-publish kit', () => {
  it('init writes a valid manifest, a sample agent profile and skill that validate', async () => {
    const dir = await tmp();
    const init = await runCli(['kit', 'init', '--dir', dir, '--kit', 'acme/my-team', '--json']);
    expect(init.code, init.stdout).toBe(0);
    expect(JSON.parse(init.stdout).files).toEqual(['iii.kit.yaml', 'agents/assistant.md', 'skills/getting-started.md', 'README.md']);
    const manifest = KitManifestSchema.parse(parseYaml(await readFile(path.join(dir, 'iii.kit.yaml'), 'utf8')));
    expect(manifest).toMatchObject({ kit: 'acme/my-team', version: '0.1.0', workers: {} });
    const again = await runCli(['kit', 'init', '--dir', dir]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('--force');
    const valid = await runCli(['kit', 'validate', '--dir', dir]);
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout).toContain('acme/my-team@0.1.0 is valid');
  });

  it('build writes the exact publish body and the agent-context preview', async () => {
    const dir = await tmp();
    await cp(KIT_FIXTURE, dir, { recursive: true });
    const r = await runCli(['kit', 'build', '--dir', dir, '--json']);
    expect(r.code, r.stdout).toBe(0);
    const payload = KitPublishRequestSchema.parse(JSON.parse(await readFile(path.join(dir, '.iii-publish/kit-payload.json'), 'utf8')));
    expect(Object.keys(payload.files).sort()).toEqual(['agents/planner.md', 'agents/reviewer.md', 'skills/SKILL.md', 'skills/tickets/flow.md']);
    expect(payload.workers).toEqual({ kanban: '^1.4', mailer: '~0.2.0' });
    expect(payload.readme).toContain('A planner and a reviewer');
    const context = await readFile(path.join(dir, '.iii-publish/kit-context.md'), 'utf8');
    expect(context).toContain('# acme/kanban-team 1.0.0');
    expect(context).toContain('### Planner (`planner`)');
    expect(context).toContain('`kanban::create`');
    expect(context).toContain('### kanban `^1.4`');
    expect(JSON.parse(r.stdout).agent_context).toBe(context);
  });

  it('validate lists every problem with its path and code and exits 3', async () => {
    const dir = await tmp();
    await cp(KIT_FIXTURE, dir, { recursive: true });
    await mkdir(path.join(dir, 'agents/team'), { recursive: true });
    await writeFile(path.join(dir, 'agents/team/lead.md'), '---\nname: Lead\n---\n');
    await writeFile(path.join(dir, 'skills/latin1.md'), Buffer.from([0x23, 0x20, 0xe9, 0x0a]));
    await writeFile(path.join(dir, 'agents/broken.md'), '---\nname: [oops\n---\n');
    const r = await runCli(['kit', 'validate', '--dir', dir, '--json']);
    expect(r.code).toBe(3);
    const err = JSON.parse(r.stdout).error;
    expect(err.code).toBe('kit_invalid');
    const lines = err.problems.map((p: { path: string; message: string }) => `${p.path} ${p.message}`);
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^files\["agents\/team\/lead.md"\] .*\[nested_agent_path\]$/),
      expect.stringMatching(/^files\["skills\/latin1.md"\] .*\[file_not_utf8\]$/),
      expect.stringMatching(/^files\["agents\/broken.md"\].front_matter .*\[bad_front_matter\]$/),
    ]));
  });

  it('a missing manifest says how to start one; unknown kit commands are usage errors', async () => {
    const r = await runCli(['kit', 'validate', '--dir', await tmp()]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('iii-publish kit init');
    const u = await runCli(['kit', 'frobnicate']);
    expect(u.code).toBe(2);
  });
});
