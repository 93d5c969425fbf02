import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli, workerDir as worker } from './run-cli';

interface JsonFailure {
  ok: false;
  exit_code: number;
  error: { code: string; problems: { path: string; message: string; fix?: string }[] };
}

describe('iii-publish validate', () => {
  it('accepts the bundle fixture, listing its skills under their published keys', async () => {
    const r = await runCli(['validate', '--dir', path.join(FIXTURES, 'bundle-worker'), '--json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { name: string; version: string; skills: string[] };
    expect(body.name).toBe('todo-bundle');
    expect(body.version).toBe('1.0.0');
    // skills/empty.md is empty and skipped; skills/SKILL.md is published as SKILL.md.
    expect(body.skills.sort()).toEqual(['SKILL.md', 'agents/todo-helper.md', 'skills/how-to/add.md']);
  });

  it('reports every manifest problem at once, each with its path and a fix, and exits 3', async () => {
    const dir = await worker({
      'iii.worker.yaml': [
        'iii: v1',
        'name: Bad_Name!',
        'version: 1.0',
        'deploy: bundle',
        'colour: blue',
        'resources:',
        '  cpus: four', // the engine too wants a whole number (bundles: at most 4)
        'scripts:',
        '  install: npm install',
        '',
      ].join('\n'),
      'config.yaml': '- just\n- a list\n',
      'skills/Bad Key.md': 'content',
      'skills/x.md': '---\ndescription: 1\ntype: tutorial\n---\nbody',
    });
    const r = await runCli(['validate', '--dir', dir, '--json']);
    expect(r.code).toBe(3);
    const body = JSON.parse(r.stdout) as JsonFailure;
    const paths = body.error.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'name',
        'version',
        'colour',
        'resources.cpus',
        'config.yaml',
        'skills/Bad Key.md',
        'skills/x.md (frontmatter).type',
      ]),
    );
    expect(body.error.problems.find((p) => p.path === 'colour')?.message).toBe('unknown field');
    expect(body.error.problems.every((p) => typeof p.fix === 'string' && p.fix.length > 0)).toBe(true);
  });

  it('refuses duplicate keys and, for bundles, install scripts and a missing start', async () => {
    const dir = await worker({
      'iii.worker.yaml': 'iii: v1\nname: dup\nname: dup2\nversion: 0.1.0\ndeploy: bundle\nscripts:\n  setup: ./setup.sh\n',
    });
    const r = await runCli(['validate', '--dir', dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/iii\.worker\.yaml:3:\d+: duplicate key/);
    expect(r.stderr).toContain('scripts.setup: not allowed in a bundle');
    expect(r.stderr).toContain('scripts.start: required for bundles');
  });

  it('reads the version from the manifest file, which wins over version: as in the public CI (with a warning)', async () => {
    const fromPkg = await worker({
      'iii.worker.yaml': 'iii: v1\nname: pkg\nmanifest: package.json\ndeploy: image\n',
      'package.json': JSON.stringify({ name: 'pkg', version: '2.4.6' }),
      'README.md': '# pkg',
    });
    const ok = await runCli(['validate', '--dir', fromPkg, '--json']);
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { version: string }).version).toBe('2.4.6');

    const cargo = await worker({
      'iii.worker.yaml': 'iii: v1\nname: crab\nmanifest: Cargo.toml\ndeploy: binary\nversion: 1.0.0\n',
      'Cargo.toml': '[package]\nname = "crab"\nversion = "1.1.0"\n',
    });
    // iii-hq/workers todo-worker ships exactly this (version: 0.1.0, package.json 0.1.1); its CI reads the file.
    const differs = await runCli(['validate', '--dir', cargo, '--json']);
    expect(differs.code).toBe(0);
    const body = JSON.parse(differs.stdout) as { version: string; sources: Record<string, string>; warnings: string[] };
    expect(body.version).toBe('1.1.0');
    expect(body.sources.version).toBe('Cargo.toml');
    expect(body.warnings).toContain('version 1.1.0 from Cargo.toml is published; version says 1.0.0');

    const py = await worker({
      'iii.worker.yaml': 'iii: v1\nname: snake\nmanifest: pyproject.toml\ndeploy: image\n',
      'pyproject.toml': '[project]\nname = "snake"\nversion = "0.9.1"\n',
    });
    const pyRun = await runCli(['validate', '--dir', py, '--json']);
    expect((JSON.parse(pyRun.stdout) as { version: string }).version).toBe('0.9.1');
  });

  it('says how to start when there is no manifest', async () => {
    const r = await runCli(['validate', '--dir', await worker({})]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('iii-publish init');
  });
});
