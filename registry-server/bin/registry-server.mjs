#!/usr/bin/env node
// `npm start`: the registry as prebuilt JavaScript (registry-server/dist), built first when any input changed
// (build/build-server.mjs). REGISTRY_TSX=1 runs the TypeScript sources through tsx instead (no build).
import { pathToFileURL } from 'node:url';

if (process.env.REGISTRY_TSX === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
} else {
  const { ensureBuilt, SERVER_BUILD } = await import('../build/build-server.mjs');
  const { main } = await ensureBuilt(SERVER_BUILD);
  await import(pathToFileURL(main).href);
}
