import type { TestApp } from './helpers';
import { binary } from './helpers';

const fn = (name: string, description: string) => ({ name, description, request_schema: { type: 'object' }, response_schema: { type: 'object' }, metadata: {} });

/** Publishes the workers the fixture kits need: kanban 1.4.0, 1.6.1 (+2.0.0-rc.1) and mailer 0.2.3. */
export async function publishKitWorkers(t: TestApp) {
  for (const v of ['1.4.0', '1.6.1', '2.0.0-rc.1'])
    await t.publish(binary('kanban', v, { description: 'Kanban boards', functions: [fn('kanban::create', 'Create a card'), fn('kanban::move', 'Move a card')] }));
  await t.publish(binary('mailer', '0.2.3', { description: 'Send mail', functions: [fn('mailer::send', 'Send one email')] }));
}

export const PLANNER = `---
name: Planner
description: Plans the sprint
logo: 🗂
model: opus
skills: [tickets/flow]
functions: [kanban::create, kanban::move, mailer::send, ghost::fly]
---
You plan the work.
`;

export const REVIEWER = `---
name: Reviewer
description: Reviews cards
model: sonnet
functions: [kanban::move]
---
You review.
`;

export const FLOW = `---
title: Ticket flow
description: How a card moves
type: how-to
---
# Ticket flow
Cards move left to right.
`;

export const INDEX = `# Kanban team\nStart here.\n`;

export function kitBody(version: string, extra: Record<string, unknown> = {}) {
  return {
    version,
    description: 'A team that runs a kanban board',
    license: 'Apache-2.0',
    repo: 'https://example.com/acme/kanban-team',
    tags: ['kanban', 'planning'],
    notes: `Release ${version}`,
    readme: '# Kanban team\n\nInstall with directory::download-kit.\n',
    workers: { kanban: '^1.4', mailer: '~0.2.0' },
    files: { 'agents/planner.md': PLANNER, 'agents/reviewer.md': REVIEWER, 'skills/tickets/flow.md': FLOW, 'skills/SKILL.md': INDEX },
    ...extra,
  };
}
