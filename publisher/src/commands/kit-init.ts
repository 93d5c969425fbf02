import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KIT_HANDLE_PATTERN, KIT_MANIFEST_FILE, KIT_NAME_PATTERN } from '@iii-registry/schemas';
import { CliError, EXIT, usageError } from '../errors';
import type { Output } from '../output';

export interface KitInitOptions {
  dir: string;
  force: boolean;
  /** `<handle>/<name>`; default `<$USER or my-handle>/<folder name>`. */
  kit?: string;
}

const slug = (raw: string, fallback: string) => raw.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 39) || fallback;

export const kitManifestTemplate = (kit: string) => `# yaml-language-server: $schema=https://workers.iii.dev/schemas/iii.kit.schema.json
# A kit: agent profiles (agents/*.md), skills (skills/**.md) and the registry workers they need.
# Publish with: iii-publish kit publish   (docs/kits.md)
kit: ${kit}                 # <handle>/<name>
version: 0.1.0
description: What this team of agents does, in one sentence.
license: Apache-2.0
tags: [example]
# Registry workers the agents call, by semver range; resolved again on every install and update.
workers: {}
#  kanban: ^1.4
# notes: Release notes shown in update plans.
# tag: next                    # also point this release tag at the version (latest moves on its own)
`;

const AGENT = `---
name: Assistant
description: Answers questions about this project and calls its workers.
logo: 🤖
model: sonnet
skills: [getting-started]
functions: []
---
You are the project's assistant. Read the getting-started skill first.
`;

const SKILL = `---
title: Getting started
description: What this kit installs and how its agents work together.
type: how-to
---
# Getting started

Describe the workflow the agents follow here.
`;

const readme = (kit: string) => `# ${kit}\n\nWhat this kit installs and why.\n\nInstall: \`directory::download-kit {"kit": "${kit}"}\`\n`;

/** Writes iii.kit.yaml, a sample agent profile, a sample skill and a README (never overwriting without --force). */
export async function kitInitCommand(o: KitInitOptions, out: Output): Promise<void> {
  const folder = path.basename(path.resolve(o.dir));
  const kit = o.kit ?? `${slug(process.env.USER ?? '', 'my-handle')}/${slug(folder, 'my-kit')}`;
  const [h, n, ...rest] = kit.split('/');
  if (rest.length > 0 || !KIT_HANDLE_PATTERN.test(h) || !KIT_NAME_PATTERN.test(n ?? ''))
    throw usageError(`'${kit}' is not a kit id`, 'Pass --kit <handle>/<name>: lower-case letters, digits and - (handle ≤ 39, name ≤ 64).');
  const files: [string, string][] = [
    [KIT_MANIFEST_FILE, kitManifestTemplate(kit)],
    ['agents/assistant.md', AGENT],
    ['skills/getting-started.md', SKILL],
    ['README.md', readme(kit)],
  ];
  const written = await out.step(`Writing ${KIT_MANIFEST_FILE}, a sample agent and skill`, async () => {
    const done: string[] = [];
    for (const [rel, text] of files) {
      const file = path.join(o.dir, rel);
      const present = await access(file).then(() => true, () => false);
      if (present && !o.force) {
        if (rel === KIT_MANIFEST_FILE)
          throw new CliError(EXIT.validation, 'manifest_exists', `${KIT_MANIFEST_FILE} already exists in ${o.dir}`, 'Edit it, or run iii-publish kit init --force to overwrite.');
        continue;
      }
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      done.push(rel);
    }
    return done;
  }, (d) => d.join(', '));
  out.done(`kit ${kit} initialised; edit ${KIT_MANIFEST_FILE}, then run iii-publish kit validate`, { kit, files: written });
}
