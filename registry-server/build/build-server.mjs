/**
 * The registry's production build (issue 16, start-up): esbuild bundles registry-server/src/main.ts with the shared
 * workspaces and its npm dependencies into one ES module, so `npm start` runs plain JavaScript instead of tsx
 * transpiling about 200 TypeScript files and node resolving about 400 dependency files at every start (1.3 s -> about
 * 0.45 s at 10,000 workers, and about 40 MB less RSS without tsx's loader thread).
 *
 * The output lives in registry-server/dist/<hash>/ where <hash> covers every input (sources, workspace manifests,
 * the installed dependency tree in node_modules/.package-lock.json, this file), so a start after any change builds
 * again (about a second) and a start without one only hashes the inputs (a few ms). Plain JavaScript so that the
 * launcher (bin/registry-server.mjs) needs no TypeScript loader; types in build-server.d.mts.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** Native or optional modules stay outside the bundle (loaded from node_modules at run time). */
const EXTERNAL = ['better-sqlite3', 'pg-native'];

/** The registry server's build: what `npm start` runs. */
export const SERVER_BUILD = {
  root: REPO,
  entry: 'registry-server/src/main.ts',
  inputs: [
    'registry-server/src', 'schemas/src', 'seed/src', 'registry-server/build/build-server.mjs',
    'package.json', 'registry-server/package.json', 'schemas/package.json', 'seed/package.json', 'tsconfig.json',
    'node_modules/.package-lock.json',
  ],
  outRoot: 'registry-server/dist',
};

/** A hash of every input file (path and bytes), directories walked in name order; missing inputs are skipped. */
export function inputsHash(root, inputs) {
  const hash = createHash('sha256');
  const add = (abs) => {
    const st = fs.statSync(abs, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(abs).sort()) if (e !== 'node_modules') add(path.join(abs, e));
      return;
    }
    hash.update(path.relative(root, abs)).update('\0').update(fs.readFileSync(abs)).update('\0');
  };
  for (const rel of inputs) add(path.join(root, rel));
  return hash.digest('hex').slice(0, 20);
}

/**
 * Bundled modules share one file, so `import.meta.url` would name the bundle for all of them (breaking files read
 * next to a source, such as web/assets, seed/catalog, and "is this the entry" checks). Each module's own
 * `import.meta.url` is rewritten to its source file's URL, relative to the output folder so the build stays valid
 * wherever the repository is moved.
 */
const sourceImportMetaUrl = (root, outDir) => ({
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`) || !args.path.startsWith(root)) return undefined;
      const text = fs.readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const rel = path.relative(outDir, args.path).split(path.sep).join('/');
      return { contents: text.split('import.meta.url').join(`new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'ts' };
    });
  },
});

async function bundle(root, entry, outDir) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [path.join(root, entry)],
    outfile: path.join(outDir, 'main.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    legalComments: 'none',
    logLevel: 'error',
    // CommonJS dependencies inside an ES module bundle still call require().
    banner: { js: "import { createRequire as __iiiCreateRequire } from 'node:module'; const require = __iiiCreateRequire(import.meta.url);" },
    plugins: [sourceImportMetaUrl(root, outDir)],
  });
}

/** Removes builds of other inputs and temp folders older than ten minutes (a crashed build); best effort. */
function prune(outRoot, keep) {
  for (const e of fs.readdirSync(outRoot)) {
    if (e === keep) continue;
    const abs = path.join(outRoot, e);
    if (e.startsWith('.tmp-') && Date.now() - (fs.statSync(abs, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 600_000) continue;
    fs.rmSync(abs, { recursive: true, force: true });
  }
}

/**
 * The bundle for the current inputs: `<outRoot>/<hash>/main.mjs`, built now when absent. Concurrent starts may
 * both build; each writes a private temp folder and renames it into place, and the loser uses the winner's.
 */
export async function ensureBuilt({ root, entry, inputs, outRoot }) {
  const hash = inputsHash(root, inputs);
  const outAbs = path.join(root, outRoot);
  const dir = path.join(outAbs, hash);
  const main = path.join(dir, 'main.mjs');
  if (fs.existsSync(main)) return { main, hash, built: false };
  fs.mkdirSync(outAbs, { recursive: true });
  const tmp = path.join(outAbs, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await bundle(root, entry, tmp);
    try {
      fs.renameSync(tmp, dir);
    } catch (err) {
      if (!fs.existsSync(main)) throw err; // not "another start got there first"
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  prune(outAbs, hash);
  return { main, hash, built: true };
}
