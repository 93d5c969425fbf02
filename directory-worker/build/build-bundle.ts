/**
 * Builds the `iii-directory` hosted bundle: esbuild bundles directory-worker/src/main.ts (with iii-sdk, zod, yaml and
 * the shared schemas) into one file next to bundle/ (manifest, README, skills), then the real `iii-publish build`
 * captures its interface against the development engine and packs the archive.
 *
 *   node --import tsx directory-worker/build/build-bundle.ts <out dir>
 *
 * Writes <out>/publish-payload.json, <out>/skills.json and <out>/<archive>.tar.gz (the only .tar.gz there).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const PACKAGE = path.join(HERE, '..');
const REPO = path.join(PACKAGE, '..');

/** iii-sdk reads its version from ../package.json at run time; a single-file bundle has none, so inline it. */
const inlineSdkVersion: Plugin = {
  name: 'inline-iii-sdk-version',
  setup(b) {
    b.onLoad({ filter: /iii-sdk[\\/]dist[\\/].*\.mjs$/ }, (args) => {
      const version = (JSON.parse(readFileSync(path.join(path.dirname(args.path), '..', 'package.json'), 'utf8')) as { version: string }).version;
      const text = readFileSync(args.path, 'utf8').split('createRequire(import.meta.url)("../package.json")').join(JSON.stringify({ version }));
      return { contents: text, loader: 'js' };
    });
  },
};

export async function buildDirectoryBundle(outDir: string): Promise<void> {
  const stage = mkdtempSync(path.join(os.tmpdir(), 'iii-directory-bundle-'));
  try {
    cpSync(path.join(PACKAGE, 'bundle'), stage, { recursive: true });
    await build({
      entryPoints: [path.join(PACKAGE, 'src/main.ts')],
      outfile: path.join(stage, 'iii-directory.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      legalComments: 'none',
      logLevel: 'error',
      // CommonJS dependencies inside an ES module bundle still call require().
      banner: { js: "import { createRequire as __iiiCreateRequire } from 'node:module'; const require = __iiiCreateRequire(import.meta.url);" },
      plugins: [inlineSdkVersion],
    });
    const run = spawnSync(process.execPath, [path.join(REPO, 'publisher/bin/iii-publish.mjs'), 'build', '--out', outDir, '--json'], {
      cwd: stage,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    if (run.status !== 0) throw new Error(`iii-publish build failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node --import tsx directory-worker/build/build-bundle.ts <out dir>');
    process.exit(2);
  }
  await buildDirectoryBundle(path.resolve(out));
}
