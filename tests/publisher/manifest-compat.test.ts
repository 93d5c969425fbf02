import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { WorkerManifestSchema, validate, type PublishPayload } from '@iii-registry/schemas';
import { FIXTURES, runCli, workerDir as worker } from './run-cli';

const REAL = new URL('../fixtures/real-manifests/', import.meta.url).pathname;

interface Validated {
  ok: boolean;
  version: string;
  type: string;
  sources: Record<string, string>;
  warnings?: string[];
  error?: { problems: { path: string; message: string; fix?: string }[] };
}
const validateJson = async (dir: string, ...flags: string[]) => {
  const r = await runCli(['validate', '--dir', dir, '--json', ...flags]);
  return { code: r.code, body: JSON.parse(r.stdout) as Validated };
};

describe('manifests the engine accepts', () => {
  it('every real iii.worker.yaml of iii-hq/workers and iii-hq/iii passes the manifest schema', async () => {
    const files = (await readdir(REAL)).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      const checked = validate(WorkerManifestSchema, parseYaml(await readFile(path.join(REAL, file), 'utf8')));
      expect(checked.ok ? 'ok' : `${file}: ${JSON.stringify(checked.problems)}`).toBe('ok');
    }
  });

  it('an engine built-in manifest (no version) is refused with the --version fix, and validates with --version', async () => {
    const dir = path.join(FIXTURES, 'engine-builtin');
    const without = await validateJson(dir);
    expect(without.code).toBe(3);
    expect(without.body.error?.problems).toEqual([expect.objectContaining({ path: 'version', fix: expect.stringContaining('--version') })]);
    const withFlag = await validateJson(dir, '--version', '0.23.0');
    expect(withFlag.code).toBe(0);
    expect(withFlag.body).toMatchObject({ version: '0.23.0', type: 'engine', sources: { version: '--version', type: 'type', repo: 'repo' } });
  });

  it('a manifest with a top-level entry and no iii: key takes version, license, repo and description from package.json', async () => {
    const dir = path.join(FIXTURES, 'legacy-entry');
    const noType = await validateJson(dir);
    expect(noType.code).toBe(3);
    expect(noType.body.error?.problems).toEqual([expect.objectContaining({ path: 'deploy', fix: expect.stringContaining('--type') })]);
    const ok = await validateJson(dir, '--type', 'image');
    expect(ok.code).toBe(0);
    expect(ok.body).toMatchObject({
      version: '1.4.0',
      type: 'image',
      sources: { version: 'package.json', type: '--type', license: 'package.json', repo: 'package.json', description: 'package.json' },
    });
  });

  it('flags win over the manifest and the package file, and land in the payload', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'iii-publish-compat-out-'));
    const r = await runCli([
      'build', '--dir', path.join(FIXTURES, 'legacy-entry'), '--out', out, '--interface', path.join(FIXTURES, 'engine-builtin/interface.json'),
      '--version', '2.0.0-rc.1', '--image-tag', `ghcr.io/example/legacy-entry@sha256:${'c'.repeat(64)}`,
      '--license', 'MIT', '--repo', 'https://example.com/legacy', '--description', 'Given on the command line', '--json',
    ]);
    expect(r.code).toBe(0);
    const payload = JSON.parse(await readFile(path.join(out, 'publish-payload.json'), 'utf8')) as PublishPayload;
    // No deploy: and no --type: --image-tag says it ships an image.
    expect(payload).toMatchObject({ version: '2.0.0-rc.1', type: 'image', license: 'MIT', repo: 'https://example.com/legacy', description: 'Given on the command line' });
  });

  it('reads YAML nulls as absent keys, as the engine does, and only warns on an unknown iii: marker', async () => {
    const dir = await worker({
      'iii.worker.yaml': 'iii: v2\nname: nulls\nversion: 0.1.0\ndeploy: image\ndescription:\nruntime:\n  kind:\nscripts:\n  start: node x.js\n  install:\n',
      'README.md': '# nulls',
    });
    const r = await validateJson(dir);
    expect(r.code).toBe(0);
    expect(r.body.warnings).toEqual([expect.stringContaining('iii: v2 is not a manifest format this publisher knows')]);
  });

  it('refuses an unknown --type and a bad --version, each with its path', async () => {
    const r = await validateJson(path.join(FIXTURES, 'engine-builtin'), '--version', '1.0', '--type', 'zip');
    expect(r.code).toBe(3);
    expect(r.body.error?.problems.map((p) => p.path).sort()).toEqual(['--type', '--version: version']);
  });

  it('keeps refusing what the engine refuses: unknown keys, and wrong shapes', async () => {
    const dir = await worker({ 'iii.worker.yaml': 'name: shapes\nversion: 0.1.0\ndeploy: image\nruntime: node\nresources:\n  cpus: -1\nfavourite: blue\n' });
    const r = await validateJson(dir);
    expect(r.code).toBe(3);
    expect(r.body.error?.problems.map((p) => p.path).sort()).toEqual(['favourite', 'resources.cpus', 'runtime']);
  });
});
