/**
 * `npm start` runs a prebuilt bundle (registry-server/build/build-server.mjs): a build is reused only while every
 * input is unchanged, and bundled modules still find files next to their sources. Every registry process the e2e
 * suites start goes through the same launcher, so those suites exercise the real server bundle.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureBuilt, SERVER_BUILD } from '../../registry-server/build/build-server.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'server-build-'));
  dirs.push(root);
  mkdirSync(join(root, 'src/data'), { recursive: true });
  writeFileSync(join(root, 'src/data/asset.txt'), 'next to the source');
  writeFileSync(join(root, 'src/value.ts'), 'export const value: number = 1;\n');
  writeFileSync(join(root, 'src/main.ts'), [
    "import { readFileSync } from 'node:fs';",
    "import { value } from './value';",
    'export { value };',
    "export const asset = readFileSync(new URL('./data/asset.txt', import.meta.url), 'utf8');",
  ].join('\n'));
  return root;
}

const load = async (main: string) => (await import(`${pathToFileURL(main).href}?t=${Date.now()}`)) as { value: number; asset: string };

describe('the registry start-up build', () => {
  it('reuses a build while the inputs are unchanged and rebuilds (dropping the stale one) when any input changes', async () => {
    const root = project();
    const spec = { root, entry: 'src/main.ts', inputs: ['src'], outRoot: 'dist' };
    const first = await ensureBuilt(spec);
    expect(first.built).toBe(true);
    expect(await load(first.main)).toMatchObject({ value: 1 });

    const again = await ensureBuilt(spec);
    expect(again).toEqual({ ...first, built: false });

    writeFileSync(join(root, 'src/value.ts'), 'export const value: number = 2;\n');
    const changed = await ensureBuilt(spec);
    expect(changed.built).toBe(true);
    expect(changed.hash).not.toBe(first.hash);
    expect(await load(changed.main)).toMatchObject({ value: 2 });
    expect(readdirSync(join(root, 'dist'))).toEqual([changed.hash]);

    // A data file (not code) is an input too.
    writeFileSync(join(root, 'src/data/asset.txt'), 'changed');
    expect((await ensureBuilt(spec)).hash).not.toBe(changed.hash);
  });

  it('gives each bundled module its own source URL, so files next to a source are found from the bundle', async () => {
    const root = project();
    const { main } = await ensureBuilt({ root, entry: 'src/main.ts', inputs: ['src'], outRoot: 'dist' });
    expect((await load(main)).asset).toBe('next to the source');
  });

  it('builds the registry server from its sources, the workspaces and the installed dependency tree', () => {
    expect(SERVER_BUILD.entry).toBe('registry-server/src/main.ts');
    expect(SERVER_BUILD.inputs).toEqual(expect.arrayContaining(['registry-server/src', 'schemas/src', 'seed/src', 'node_modules/.package-lock.json']));
  });
});
