/**
 * Kits for the bench catalog: `count` kits under the `bench` handle, each a planner agent and a skill over two
 * catalog workers, published through the kit service (validation, one transaction) like a real POST /k/{handle}/{name}.
 */
import type { ServicesContext } from '../registry-server/src/services/index';

export const BENCH_KIT_HANDLE = 'bench';

const agent = (i: number) => `---
name: Planner ${i}
description: Plans the work of team ${i}
model: sonnet
skills: [flow]
---
You plan the work of team ${i}. Read the flow skill before you start, then split the work into cards.
`;

const skill = (i: number) => `---
title: Flow ${i}
description: How work moves through team ${i}
type: how-to
---
# Flow ${i}

${'Cards move left to right; every card names its owner and its next step. '.repeat(20)}
`;

/** Publishes the kits with the catalog's admin key and returns their names (under BENCH_KIT_HANDLE). */
export async function publishBenchKits(ctx: ServicesContext, apiKey: string, workerNames: string[], count = 50): Promise<string[]> {
  const principal = await ctx.keys.authenticate(apiKey);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `team-${i}`;
    const workers = [workerNames[(i * 7) % workerNames.length], workerNames[(i * 13 + 1) % workerNames.length]];
    await ctx.kits.publish(principal, BENCH_KIT_HANDLE, name, {
      version: '1.0.0',
      description: `A team kit number ${i} for the bench`,
      license: 'Apache-2.0',
      tags: ['bench', `team${i % 5}`],
      readme: `# Team ${i}\n\nInstall with directory::download-kit.\n`,
      workers: Object.fromEntries([...new Set(workers)].map((w) => [w, '>=0.0.0'])),
      files: { 'agents/planner.md': agent(i), 'skills/flow.md': skill(i) },
    });
    names.push(name);
  }
  return names;
}
