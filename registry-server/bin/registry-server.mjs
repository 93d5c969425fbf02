#!/usr/bin/env node
// `npm start`: the registry as prebuilt JavaScript (registry-server/dist), built first when any input changed
// (build/build-server.mjs). REGISTRY_TSX=1 runs the TypeScript sources through tsx instead (no build).
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { keepTickShape } from './tick-shape.mjs';

// Before anything else runs (the build included): see tick-shape.mjs.
keepTickShape();

// The old generation grows by half after each full GC instead of V8's adaptive factor (up to 4x when allocating
// fast): uncacheable searches allocate quickly, and the adaptive factor let RSS reach ~350 MB at 10,000 workers
// for a live heap of ~60 MB (bench/README.md, "Start-up and memory"). A flag given to node explicitly wins.
if (!process.execArgv.some((a) => a.startsWith('--heap-growing-percent'))) v8.setFlagsFromString('--heap-growing-percent=50');

async function runSources() {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}

if (process.env.REGISTRY_TSX === '1') await runSources();
else {
  const { ensureBuilt, SERVER_BUILD } = await import('../build/build-server.mjs');
  // A checkout the process cannot write to (a read-only image without a build) still starts, only slower.
  const built = await ensureBuilt(SERVER_BUILD).catch((err) => {
    console.error(`registry build failed, running the TypeScript sources through tsx instead: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  });
  if (built) await import(pathToFileURL(built.main).href);
  else await runSources();
}
