import type { KitsChangeEvent, KitsLock, SkillMarker } from '@iii-registry/schemas';
import type { ComposeControl, DeclaredWorker } from './compose';
import { declaredWorkers } from './compose';
import type { KitRegistry } from './kit-registry';
import { readLock } from './lock';
import { readMarkers } from './origin';
import type { KitsEnv } from './paths';
import type { PlanStore } from './plan-store';

/** Everything the kit functions share; built once in register.ts, replaced by fakes in tests. */
export interface KitsContext {
  env: KitsEnv;
  registry: KitRegistry;
  plans: PlanStore;
  compose: ComposeControl;
  /** Fires `directory::kits::on-change` (and the agents/skills on-change after an apply). */
  emit(event: KitsChangeEvent | { target: 'agents' | 'skills'; payload: Record<string, unknown> }): void;
  /** Downloads a worker's skills bundle after an apply added or moved it; failures are logged, not thrown. */
  downloadWorkerSkills(worker: string): Promise<void>;
  /** Runs the update check for a kit after an apply; failures are recorded, not thrown. */
  afterApplyCheck(kit: string): Promise<void>;
  /** One apply (or lock edit) at a time. */
  serializeApply<T>(fn: () => Promise<T>): Promise<T>;
  composePollMs: number;
  composeDeadlineMs: number;
  log(line: string): void;
  now(): number;
}

/** What a plan builder reads from the project besides the registry. */
export interface LocalView {
  lock: KitsLock;
  markers: SkillMarker[];
  declared: Map<string, DeclaredWorker>;
}

export async function loadView(ctx: KitsContext): Promise<LocalView> {
  const [lock, markers, declared] = await Promise.all([readLock(ctx.env.lockPath), readMarkers(ctx.env.skillsFolder), declaredWorkers(ctx.env.composeFile)]);
  return { lock, markers, declared };
}

export const kitWebUrl = (env: KitsEnv, kit: string): string => `${env.webUrl}/kits/${kit}`;
export const workerWebUrl = (env: KitsEnv, worker: string): string => `${env.webUrl}/workers/${worker}`;
export const isoNow = (ctx: Pick<KitsContext, 'now'>, plusMs = 0): string =>
  new Date(ctx.now() + plusMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
