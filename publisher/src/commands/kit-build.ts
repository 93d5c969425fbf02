import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderKitMarkdown, type KitFunction } from '@iii-registry/schemas';
import { collectKit, type KitProject } from '../kit/collect-kit';
import type { Output } from '../output';

export interface KitBuildOptions {
  dir: string;
  out: string;
}

/** Functions the agents preload, unresolved (the registry resolves them against the workers at publish). */
export const previewFunctions = (p: KitProject): KitFunction[] => {
  const used = new Map<string, string[]>();
  for (const a of p.preview.agents) for (const f of a.functions) used.set(f, [...(used.get(f) ?? []), a.id]);
  return [...used].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, by]) => ({ id, used_by: by, status: null, worker: null, worker_version: null, description: null }));
};

export async function loadKit(dir: string, out: Output): Promise<KitProject> {
  const project = await out.step('Checking iii.kit.yaml, agents and skills', () => collectKit(dir),
    (p) => `${p.manifest.kit}@${p.manifest.version}: ${p.preview.counts.agents} agents, ${p.preview.counts.skills} skills, ${p.preview.counts.workers} workers`);
  for (const w of project.warnings) out.warn(w);
  return project;
}

/** Dry run: writes kit-payload.json (the exact POST body) and kit-context.md (the agent-context preview). */
export async function kitBuildCommand(o: KitBuildOptions, out: Output): Promise<void> {
  const project = await loadKit(o.dir, out);
  const outDir = path.resolve(o.dir, o.out);
  const markdown = renderKitMarkdown(project.preview, previewFunctions(project), { preview: true });
  const written = await out.step(`Writing the payload and preview into ${o.out}`, async () => {
    await mkdir(outDir, { recursive: true });
    const payloadFile = path.join(outDir, 'kit-payload.json');
    const contextFile = path.join(outDir, 'kit-context.md');
    await writeFile(payloadFile, `${JSON.stringify(project.payload, null, 2)}\n`);
    await writeFile(contextFile, markdown);
    return { payload: payloadFile, context: contextFile };
  }, () => 'kit-payload.json, kit-context.md');
  out.done(`${project.manifest.kit}@${project.manifest.version} built (dry run, nothing sent)`, {
    kit: project.manifest.kit, version: project.manifest.version, files: Object.keys(project.payload.files), out: written, agent_context: markdown,
  });
}

export async function kitValidateCommand(o: { dir: string }, out: Output): Promise<void> {
  const project = await loadKit(o.dir, out);
  out.done(`${project.manifest.kit}@${project.manifest.version} is valid`, {
    kit: project.manifest.kit, version: project.manifest.version, files: Object.keys(project.payload.files), workers: project.manifest.workers,
  });
}
