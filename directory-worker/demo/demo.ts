/**
 * `npm run demo`: the development engine, a seeded registry and the iii-directory worker, then an agent-like
 * second iii-sdk client that searches with natural language and reads one worker's info. Stops all it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { styleText } from 'node:util';
import type { DirectoryInfoResponse, DirectoryListResponse } from '@iii-registry/schemas';
import { registerWorker, type IIIClient } from 'iii-sdk';
import { startDevEngine, type DevEngine } from '../../dev-engine/src/index';
import { freePort, startRegistryProcess, type RegistryProcess } from '../../registry-server/src/child-process';
import { startComposeStandIn, type ComposeStandIn } from '../../dev-engine/src/compose-stand-in';
import { runKitFlow } from './kit-flow';

/** Colour only on a terminal, so piped output stays plain. */
const paint = (style: Parameters<typeof styleText>[0], text: string): string =>
  process.stdout.isTTY ? styleText(style, text) : text;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SEARCH = 'resize a jpeg for thumbnails';
const started = Date.now();

async function until<T>(check: () => Promise<T | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => false as const);
    if (value !== false) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function step<T>(label: string, run: () => Promise<T>): Promise<T> {
  process.stdout.write(`${label}...`);
  const value = await run();
  process.stdout.write(` ${paint('green', 'ok')}\n`);
  return value;
}

function spawnNode(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  return { child, output: () => out };
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function printList(page: DirectoryListResponse): void {
  console.log(`\n${paint('bold', `directory::registry::workers::list {search: "${SEARCH}"}`)}`);
  page.workers.slice(0, 5).forEach((w, i) => {
    console.log(`  ${i + 1}. ${paint('cyan', w.name)}@${w.version}  ${paint('dim', `${w.type}, ${w.total_downloads} downloads`)}`);
    console.log(`     ${w.description}`);
  });
  console.log(paint('dim', `  ${page.workers.length} on this page; next_cursor ${page.pagination.next_cursor ?? 'null'}`));
}

function printInfo(info: DirectoryInfoResponse): void {
  const { worker, api_reference: api, skills_tree: skills } = info;
  console.log(`\n${paint('bold', `directory::registry::workers::info {name: "${worker.name}"}`)}`);
  console.log(`  ${paint('cyan', worker.name)}@${worker.version}  ${paint('dim', worker.license ?? 'no license')}  ${worker.repo}`);
  console.log(`  ${worker.description}`);
  console.log(`  install: iii worker add ${worker.name}@${worker.version}`);
  console.log(`  functions (${api.functions.length}):`);
  for (const f of api.functions) console.log(`    - ${paint('yellow', f.name)}: ${f.description}`);
  if (api.triggers.length > 0) console.log(`  triggers: ${api.triggers.map((t) => t.name).join(', ')}`);
  console.log(`  skills: ${skills.skills.map((s) => s.path).join(', ') || 'none'}; prompts: ${skills.prompts.map((p) => p.name).join(', ') || 'none'}`);
  const readme = info.readme.split('\n').filter((l) => l.trim() !== '').slice(0, 3);
  console.log(`  readme:\n${readme.map((l) => `    ${paint('dim', l)}`).join('\n')}\n`);
}

async function main(): Promise<void> {
  let engine: DevEngine | undefined;
  let registry: RegistryProcess | undefined;
  let worker: ChildProcess | undefined;
  let agent: IIIClient | undefined;
  let compose: ComposeStandIn | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'iii-directory-demo-'));
  const projectDir = join(dataDir, 'project');
  const kitDir = join(dataDir, 'kit');
  mkdirSync(projectDir);
  try {
    engine = await step('Starting the development engine', () => startDevEngine({ port: 0 }));
    const port = await freePort();
    const registryUrl = `http://127.0.0.1:${port}`;
    registry = await step(`Starting a seeded registry at ${registryUrl}`, () => startRegistryProcess({ dataDir, port }));
    const engineUrl = engine.url;
    agent = registerWorker(engineUrl, { workerName: 'demo-agent', otel: { enabled: false }, enableMetricsReporting: false });
    const caller = agent;
    await step(`Starting iii-directory against ${engineUrl}`, async () => {
      worker = spawnNode([join(ROOT, 'directory-worker/bin/iii-directory.mjs'), '--url', engineUrl, '--registry', registryUrl, '--project', projectDir],
        { OTEL_ENABLED: 'false' }).child;
      await until(async () => {
        const { functions } = await caller.trigger<unknown, { functions: unknown[] }>({
          function_id: 'engine::functions::list', payload: { prefix: 'directory::registry::' }, timeoutMs: 2_000 });
        return functions.length === 2 || false;
      }, 'the directory functions on the engine');
    });
    const page = await caller.trigger<unknown, DirectoryListResponse>({
      function_id: 'directory::registry::workers::list', payload: { search: SEARCH } });
    printList(page);
    const name = page.workers[0]?.name ?? 'image-resize';
    printInfo(await caller.trigger<unknown, DirectoryInfoResponse>({
      function_id: 'directory::registry::workers::info', payload: { name } }));
    compose = await step('Starting the Compose stand-in (development only)', async () =>
      startComposeStandIn({ engineUrl, composeFile: join(projectDir, 'worker-compose.yaml') }));
    const reg = registry;
    await runKitFlow({ root: ROOT, kitDir, projectDir, registryUrl, apiKey: reg.apiKey, caller, step, paint });
  } catch (err) {
    console.error(`\n${paint('red', 'Demo failed:')} ${(err as Error).message}`);
    if (registry?.output()) console.error(paint('dim', registry.output().slice(-2000)));
    process.exitCode = 1;
  } finally {
    await step('Stopping everything', async () => {
      await agent?.shutdown();
      await compose?.close();
      await Promise.all([stopChild(worker), registry?.stop()]);
      await engine?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
  }
  console.log(`Completed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

// The in-process SDK client reports connection chatter on console.debug; the demo's own lines read better alone.
console.debug = () => {};
await main();
