import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { collectProject } from '../collect';
import { packBundle } from '../pack/pack';
import { buildSkillsRequest } from '../payload';
import type { Output } from '../output';
import type { MetadataFlags } from '../metadata';

export interface ValidateOptions {
  dir: string;
  meta?: MetadataFlags;
}

/**
 * Checks the manifest, its version source, README, config and skills without running the worker, and for
 * bundles packs into a temporary folder to apply the archive safety policy too.
 */
export async function validateCommand(o: ValidateOptions, out: Output): Promise<void> {
  const project = await out.step('Checking iii.worker.yaml, README, config and skills', () => collectProject(o.dir, o.meta), (p) => `${p.manifest.name}@${p.version}`);
  for (const w of project.warnings) out.warn(w);
  const skills = buildSkillsRequest(project);
  if (project.meta.type === 'bundle') {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'iii-publish-validate-'));
    try {
      await out.step('Checking the bundle against the archive policy', () => packBundle(o.dir, tmp, project.manifest.name, project.version), (a) => `${a.files.length} files`);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
  out.done(`${project.manifest.name}@${project.version} is valid`, {
    name: project.manifest.name,
    version: project.version,
    type: project.meta.type,
    sources: project.meta.sources,
    skills: Object.keys(skills.skills),
  });
}
