import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extract } from 'tar';
import YAML from 'yaml';
import type { IIIClient } from 'iii-sdk';
import type { DirectoryInfoResponse, DirectoryListResponse } from '@iii-registry/schemas';
import { callerClient, freePort, startEngineProcess, startRegistry, waitForDirectory, type Proc, type Registry } from './directory-harness';

/**
 * The registry serves its own directory worker: a seeded registry resolves `iii-directory` to a hosted bundle whose
 * archive, unpacked into an empty folder and started with the manifest's own start script (no repo, no node_modules),
 * registers on the development engine and answers over the bus from that registry.
 */
let engine: Proc;
let registry: Registry;
let caller: IIIClient;
let worker: ReturnType<typeof spawn> | undefined;
let workerOut = '';
let enginePort = 0;
const dir = mkdtempSync(join(tmpdir(), 'iii-directory-unpacked-'));

beforeAll(async () => {
  const port = await freePort();
  [engine, registry] = await Promise.all([startEngineProcess(port), startRegistry()]);
  caller = callerClient(`ws://127.0.0.1:${port}`);
  enginePort = port;
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const gone = new Promise((r) => worker?.once('exit', r));
    worker.kill('SIGTERM');
    await gone;
  }
  await caller?.shutdown();
  await Promise.all([engine?.stop(), registry?.dispose()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('iii-directory served by the registry', () => {
  it('resolves to a hosted bundle that unpacks, runs on the dev engine and answers from the registry', async () => {
    const res = await fetch(`${registry.url}/resolve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ worker: 'iii-directory' }) });
    expect(res.status).toBe(200);
    const graph = (await res.json()) as { graph: { name: string; type: string; archive_url: string; sha256: string }[] };
    expect(graph.graph).toHaveLength(1);
    const node = graph.graph[0];
    expect(node).toMatchObject({ name: 'iii-directory', type: 'bundle' });
    expect(node.archive_url).toBe(`${registry.url}/archives/${node.sha256}.tar.gz`);

    const bytes = Buffer.from(await (await fetch(node.archive_url)).arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(node.sha256);
    const file = join(dir, '..', `${node.sha256}.tar.gz`);
    writeFileSync(file, bytes);
    await extract({ file, cwd: dir, strict: true });
    rmSync(file);
    const manifest = YAML.parse(readFileSync(join(dir, 'iii.worker.yaml'), 'utf8')) as { name: string; scripts: { start: string } };
    expect(manifest.name).toBe('iii-directory');
    const [cmd, ...args] = manifest.scripts.start.split(' ');
    expect(cmd).toBe('node');

    const port = enginePort;
    // Only the unpacked folder: no repository on the module path, so every dependency must be inside the bundle.
    worker = spawn(process.execPath, args, {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', III_URL: `ws://127.0.0.1:${port}`, III_DIRECTORY_REGISTRY_URL: registry.url, OTEL_ENABLED: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout?.on('data', (d) => (workerOut += d));
    worker.stderr?.on('data', (d) => (workerOut += d));
    await waitForDirectory(caller, 30_000).catch((e: Error) => { throw new Error(`${e.message}\n${workerOut}`); });

    const listed = await caller.trigger<unknown, DirectoryListResponse>({ function_id: 'directory::registry::workers::list', payload: { search: 'resize images' } });
    expect(listed.workers.map((w) => w.name)).toContain('image-resize');
    const self = await caller.trigger<unknown, DirectoryInfoResponse>({ function_id: 'directory::registry::workers::info', payload: { name: 'iii-directory' } });
    expect(self.worker).toMatchObject({ name: 'iii-directory', type: 'bundle' });
    expect(self.skills_tree.skills.map((s) => s.path)).toContain('SKILL.md');
    const published = self.api_reference.functions.map((f) => f.name);
    for (const id of ['directory::registry::workers::info', 'directory::registry::workers::list', 'directory::download-kit', 'directory::kits::apply', 'directory::skills::download'])
      expect(published).toContain(id);
  }, 120_000);
});
