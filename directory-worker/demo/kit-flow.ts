/**
 * The kit part of `npm run demo`: publish a kit with `iii-publish kit publish`, install it with
 * directory::download-kit + directory::kits::apply, edit a profile locally, publish a new version, review the
 * three-way merge in directory::kits::plan-update, and apply it. Workers go through the Compose stand-in.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KitPlanResponse } from '@iii-registry/schemas';
import type { IIIClient } from 'iii-sdk';

export interface KitFlowOptions {
  root: string;
  kitDir: string;
  projectDir: string;
  registryUrl: string;
  apiKey: string;
  caller: IIIClient;
  step: <T>(label: string, run: () => Promise<T>) => Promise<T>;
  paint: (style: 'bold' | 'dim' | 'cyan' | 'yellow' | 'green', text: string) => string;
}

const KIT = 'demo/kanban-team';
const PLANNER = (extra = '') => `---\nname: Planner\ndescription: Turns goals into cards.\nmodel: opus\nfunctions: [resend-email::send]\n---\n` +
  `You plan the work.\nCreate one card per task.\nMove cards as they progress.\n${extra}Mail a summary every Friday.\n`;

function writeKit(dir: string, version: string, planner: string): void {
  mkdirSync(join(dir, 'agents'), { recursive: true });
  mkdirSync(join(dir, 'skills/tickets'), { recursive: true });
  writeFileSync(join(dir, 'iii.kit.yaml'), `kit: ${KIT}\nversion: ${version}\ndescription: A planning team that runs a kanban board.\n` +
    `license: Apache-2.0\nnotes: Release ${version}.\nworkers:\n  resend-email: ^1.2\n`);
  writeFileSync(join(dir, 'agents/planner.md'), planner);
  writeFileSync(join(dir, 'skills/SKILL.md'), '---\ntitle: Kanban team\n---\n# Kanban team\n\nHow the team works.\n');
  writeFileSync(join(dir, 'skills/tickets/flow.md'), '---\ntitle: Ticket flow\n---\n# Ticket flow\n\nTodo, doing, done.\n');
  writeFileSync(join(dir, 'README.md'), `# ${KIT}\n`);
}

function publishKit(o: KitFlowOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(o.root, 'publisher/src/main.ts'), 'kit', 'publish', '--dir', o.kitDir,
      '--registry', o.registryUrl, '--api-key', o.apiKey], { cwd: o.root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`iii-publish kit publish exited ${code}:\n${out}`))));
  });
}

export async function runKitFlow(o: KitFlowOptions): Promise<void> {
  const call = <T>(function_id: string, payload: Record<string, unknown>) => o.caller.trigger<unknown, T>({ function_id, payload, timeoutMs: 30_000 });
  const show = (title: string, r: KitPlanResponse) => {
    console.log(`\n${o.paint('bold', title)}\n  ${r.status}: ${r.message}`);
    for (const f of r.plan?.files ?? [])
      console.log(`  ${o.paint('cyan', f.path)}  ${f.change}, local ${f.local}${f.merge ? `, merge ${f.merge}` : ''} → ${f.default ?? 'decision required'}`);
    for (const w of r.plan?.workers ?? []) console.log(`  worker ${o.paint('yellow', w.name)} ${w.range ?? ''} → ${w.action}`);
    for (const i of r.plan?.warnings ?? []) console.log(`  ${o.paint('dim', `warning ${i.code}: ${i.message}`)}`);
  };

  writeKit(o.kitDir, '1.0.0', PLANNER());
  await o.step(`Publishing ${KIT}@1.0.0 with iii-publish kit publish`, () => publishKit(o));
  const planned = await call<KitPlanResponse>('directory::download-kit', { kit: KIT });
  show(`directory::download-kit {kit: "${KIT}"}`, planned);
  const applied = await call<KitPlanResponse>('directory::kits::apply', { plan_id: planned.plan?.plan_id });
  show('directory::kits::apply', applied);
  console.log(`  ${o.paint('dim', `wrote ${applied.report?.files_written.join(', ')}; kits.lock at ${applied.report?.lock_path}`)}`);

  const local = join(o.projectDir, 'agents/planner.md');
  writeFileSync(local, readFileSync(local, 'utf8').replace('Create one card per task.', 'Create one card per task, with an owner.'));
  console.log(`\n${o.paint('bold', 'Edited agents/planner.md locally')} (cards get an owner)`);
  writeKit(o.kitDir, '1.1.0', PLANNER('Flag cards idle for three days.\n'));
  await o.step(`Publishing ${KIT}@1.1.0 (the planner flags idle cards)`, () => publishKit(o));

  const update = await call<KitPlanResponse>('directory::kits::plan-update', { kit: KIT });
  show(`directory::kits::plan-update {kit: "${KIT}"}`, update);
  const { contents } = await call<{ contents?: { merged: Record<string, string> } }>('directory::kits::plan', { plan_id: update.plan?.plan_id, contents: true });
  console.log(`  ${o.paint('dim', 'three-way merge of agents/planner.md:')}`);
  for (const line of (contents?.merged['agents/planner.md'] ?? '').split('\n').slice(6, 11)) console.log(`    ${line}`);
  const done = await call<KitPlanResponse>('directory::kits::apply', { plan_id: update.plan?.plan_id });
  show('directory::kits::apply', done);
}
