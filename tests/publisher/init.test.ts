import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'iii-publish-init-'));

describe('iii-publish init', () => {
  it('writes a commented manifest from package.json that validate accepts', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: '@acme/Mail_Sender', version: '1.4.0', description: 'Sends mail', license: 'MIT', scripts: { start: 'node x.js' } }));
    await writeFile(path.join(dir, 'README.md'), '# mail');
    expect((await runCli(['init', '--dir', dir])).code).toBe(0);
    const text = await readFile(path.join(dir, 'iii.worker.yaml'), 'utf8');
    expect(text).toContain('name: mail_sender');
    expect(text).toContain('manifest: package.json');
    expect(text).toContain('start: "npm start"');
    expect(text).toMatch(/^# /m);
    const v = await runCli(['validate', '--dir', dir, '--json']);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ name: 'mail_sender', version: '1.4.0', type: 'bundle' });
  });

  it('detects Cargo.toml and pyproject.toml', async () => {
    const rust = await tmp();
    await writeFile(path.join(rust, 'Cargo.toml'), '[package]\nname = "image-resize"\nversion = "0.1.2"\n');
    await runCli(['init', '--dir', rust]);
    const r = await runCli(['validate', '--dir', rust, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'image-resize', version: '0.1.2', type: 'binary' });

    const py = await tmp();
    await writeFile(path.join(py, 'pyproject.toml'), '[project]\nname = "summarise"\nversion = "2.0.0"\n');
    await runCli(['init', '--dir', py]);
    const p = await runCli(['validate', '--dir', py, '--json']);
    expect(JSON.parse(p.stdout)).toMatchObject({ name: 'summarise', version: '2.0.0', type: 'image' });
  });

  it('does not overwrite an existing manifest without --force', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'iii.worker.yaml'), 'mine');
    const r = await runCli(['init', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(await readFile(path.join(dir, 'iii.worker.yaml'), 'utf8')).toBe('mine');
    expect((await runCli(['init', '--dir', dir, '--force'])).code).toBe(0);
  });
});
