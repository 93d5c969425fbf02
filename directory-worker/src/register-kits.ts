import type { IIIClient } from 'iii-sdk';
import { register as registerDownloadKit } from './download-kit';
import { register as registerFunctionInfo } from './engine-functions-info';
import { register as registerApply } from './kits-apply';
import { register as registerCheckUpdates } from './kits-check-updates';
import { register as registerDiff } from './kits-diff';
import { register as registerIgnore } from './kits-ignore';
import { register as registerList } from './kits-list';
import { registerChangeTriggers } from './kits-on-change';
import { register as registerPlan } from './kits-plan';
import { register as registerPlanUpdate } from './kits-plan-update';
import { register as registerRemove } from './kits-remove';
import { createMutex } from './kits/apply';
import { busCompose } from './kits/bus-compose';
import type { ComposeControl } from './kits/compose';
import type { KitsContext } from './kits/context';
import { createKitRegistry } from './kits/kit-registry';
import { kitsEnv } from './kits/paths';
import { createPlanStore } from './kits/plan-store';
import { checkUpdates, scheduleUpdateChecks, type UpdateScheduler } from './kits/updates';
import type { RegistryClient } from './registry-client';
import { downloadSkills, register as registerSkillsDownload, type SkillsDeps } from './skills-download';

export interface KitsOptions {
  registryUrl: string;
  registryWebUrl?: string;
  downloadTimeoutMs: number;
  projectDir?: string;
  agentsFolder?: string;
  skillsFolder?: string;
  composePollMs?: number;
  composeDeadlineMs?: number;
  env?: Record<string, string | undefined>;
  log: (line: string) => void;
  now?: () => number;
}

export interface KitsParts {
  ctx: KitsContext;
  skills: SkillsDeps;
}

/** The kit and skills surface's shared state. `emit` and `compose` come from the bus, or from tests. */
export function createKitsParts(options: KitsOptions, registry: RegistryClient, bus: { compose: ComposeControl; emit: KitsContext['emit'] }): KitsParts {
  const env = kitsEnv({ ...options, env: options.env ?? process.env });
  const now = options.now ?? Date.now;
  const skills: SkillsDeps = { env, registry, emit: (e) => bus.emit(e) };
  const ctx: KitsContext = {
    env, now, log: options.log, compose: bus.compose, emit: bus.emit,
    registry: createKitRegistry({ baseUrl: options.registryUrl, timeoutMs: options.downloadTimeoutMs, log: options.log }),
    plans: createPlanStore(env.plansDir, now),
    serializeApply: createMutex(),
    composePollMs: options.composePollMs ?? 500,
    composeDeadlineMs: options.composeDeadlineMs ?? 15 * 60_000,
    async downloadWorkerSkills(worker) {
      await downloadSkills(skills, { worker, tag: 'latest' }).catch((err: Error) => options.log(`skills of ${worker} after a kit apply: ${err.message}`));
    },
    async afterApplyCheck(kit) {
      await checkUpdates(ctx, kit).catch((err: Error) => options.log(`update check after applying ${kit}: ${err.message}`));
    },
  };
  return { ctx, skills };
}

export interface KitsSurface extends KitsParts {
  scheduler: UpdateScheduler;
}

/** Registers the kit functions, the on-change trigger types, skills download and the engine proxy; starts update checks. */
export function registerKits(iii: Pick<IIIClient, 'registerFunction' | 'registerTriggerType' | 'trigger'>, registry: RegistryClient,
  options: KitsOptions & { updatesDelayMs: number; updatesIntervalMs: number }): KitsSurface {
  const hubs = registerChangeTriggers(iii, options.log);
  const parts = createKitsParts(options, registry, { compose: busCompose(iii, options.env), emit: (e) => hubs.emit(e) });
  for (const r of [registerDownloadKit, registerPlan, registerPlanUpdate, registerApply, registerRemove, registerIgnore, registerDiff, registerList, registerCheckUpdates])
    r(iii, parts.ctx);
  registerSkillsDownload(iii, parts.skills);
  registerFunctionInfo(iii);
  return { ...parts, scheduler: scheduleUpdateChecks(parts.ctx, options.updatesDelayMs, options.updatesIntervalMs) };
}
