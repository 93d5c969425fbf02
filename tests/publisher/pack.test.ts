import { cp, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { list } from 'tar';
import { describe, expect, it } from 'vitest';
import { packBundle } from '../../publisher/src/pack/pack';
import { CliError } from '../../publisher/src/errors';
import { FIXTURES } from './run-cli';

async function copyOfBundle(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'iii-publish-pack-'));
  await cp(path.join(FIXTURES, 'bundle-worker'), dir, { recursive: true });
  return dir;
}

async function entriesOf(file: string): Promise<string[]> {
  const out: string[] = [];
  await list({ file, onReadEntry: (e) => out.push(e.path) });
  return out.sort();
}

describe('packBundle', () => {
  it('packs the worker folder without ignored files, node_modules, .git or secrets', async () => {
    const dir = await copyOfBundle();
    await writeFile(path.join(dir, '.env'), 'SECRET=1');
    await writeFile(path.join(dir, 'server.pem'), 'key');
    await mkdir(path.join(dir, 'node_modules/dep'), { recursive: true });
    await writeFile(path.join(dir, 'node_modules/dep/index.js'), '');
    await mkdir(path.join(dir, '.git'));
    await writeFile(path.join(dir, '.git/config'), '');
    const out = path.join(dir, '.iii-publish');
    const packed = await packBundle(dir, out, 'todo-bundle', '1.0.0');
    const entries = await entriesOf(packed.file);
    expect(entries).toEqual(
      [
        '.iii-publishignore', 'README.md', 'agents/todo-helper.md', 'bundle.js', 'config.yaml', 'iii.worker.yaml',
        'skills/SKILL.md', 'skills/empty.md', 'skills/how-to/add.md',
      ].sort(),
    );
    expect(packed.sha256).toMatch(/^[a-f0-9]{64}$/);
    expect(packed.entries).toBe(entries.length);
    // Same files, same bytes: the SHA-256 does not depend on when it was packed.
    const again = await packBundle(dir, path.join(dir, '.iii-publish-2'), 'todo-bundle', '1.0.0');
    expect(again.sha256).toBe(packed.sha256);
  });

  it('refuses a symbolic link with exit code 3 naming it', async () => {
    const dir = await copyOfBundle();
    await symlink('/etc/passwd', path.join(dir, 'passwd'));
    const error = await packBundle(dir, path.join(dir, 'out'), 'todo-bundle', '1.0.0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(3);
    expect((error as CliError).message).toContain('passwd');
  });

  it("applies the registry's archive policy before uploading (too deep)", async () => {
    const dir = await copyOfBundle();
    const deep = path.join(dir, ...Array.from({ length: 17 }, (_, i) => `d${i}`));
    await mkdir(deep, { recursive: true });
    await writeFile(path.join(deep, 'f.js'), '');
    const error = await packBundle(dir, path.join(dir, 'out'), 'todo-bundle', '1.0.0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('archive_too_deep');
    expect((error as CliError).exitCode).toBe(3);
  });
});
