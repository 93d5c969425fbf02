import type { ApplyRequest, Decision, Plan, PlanContents } from '@iii-registry/schemas';
import { D513 } from './errors';
import { hasConflictMarkers } from './merge';

export interface Resolved { choice: Decision; content?: string }

/**
 * Every file's final choice, checked against the reviewed plan before anything is downloaded or written (D513):
 * paths must be the plan's, choices among the file's options, `merged` text free of conflict markers, and every
 * file without a default decided.
 */
export function resolveDecisions(plan: Plan, contents: PlanContents, request: ApplyRequest): Map<string, Resolved> {
  const out = new Map<string, Resolved>();
  for (const [path, input] of Object.entries(request.decisions ?? {})) {
    const file = plan.files.find((f) => f.path === path);
    if (!file) throw D513(`"${path}" is not a file of plan ${plan.plan_id}`);
    const choice = typeof input === 'string' ? input : input.choice;
    const given = typeof input === 'string' ? undefined : input.content;
    if (!file.options.includes(choice)) throw D513(`"${choice}" is not an option for ${path} (options: ${file.options.join(', ')})`);
    if (given !== undefined && choice !== 'merged') throw D513(`content for ${path} is only accepted with the choice "merged"`);
    out.set(path, { choice, ...(choice === 'merged' ? { content: mergedText(plan, contents, path, given) } : {}) });
  }
  for (const file of plan.files) {
    if (out.has(file.path)) continue;
    if (file.default === null)
      throw D513(`${file.path} needs a decision (${file.options.join(', ')}${file.options.includes('merged') ? ', or merged with content' : ''})`);
    out.set(file.path, { choice: file.default, ...(file.default === 'merged' ? { content: mergedText(plan, contents, file.path) } : {}) });
  }
  return out;
}

function mergedText(plan: Plan, contents: PlanContents, path: string, given?: string): string {
  const text = given ?? contents.merged[path];
  if (text === undefined) throw D513(`plan ${plan.plan_id} has no merge for ${path}; send {choice: "merged", content}`);
  if (hasConflictMarkers(text)) throw D513(`the merged text for ${path} still has conflict markers`);
  return text;
}

/** Workers the caller ticks for removal: only those the plan offers to remove. */
export function checkRemoveWorkers(plan: Plan, names: string[] = []): string[] {
  const removable = plan.workers.filter((w) => (w.action === 'remove' || (plan.kind === 'remove' && w.container)) && !w.path);
  for (const name of names)
    if (!removable.some((w) => w.name === name))
      throw D513(`remove_workers names "${name}", which this plan does not offer to remove (${removable.map((w) => w.name).join(', ') || 'none'})`);
  return names.map((n) => removable.find((w) => w.name === n)?.container ?? n);
}
