import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { StoredPlanSchema, type StoredPlan } from '@iii-registry/schemas';
import { D512Expired, D512Missing } from './errors';
import { readText, removeFile, writeAtomic } from './files';

/** Plans live 24 hours; an expired plan is refused (D512) and swept on the next listing. */
export const PLAN_TTL_MS = 24 * 60 * 60 * 1000;
const PLAN_ID = /^kp_[0-9a-f]{32}$/;

export const newPlanId = (): string => `kp_${randomBytes(16).toString('hex')}`;

export interface PlanStore {
  save(stored: StoredPlan): Promise<void>;
  /** The plan, or D512 (unknown: not_found; expired: invalid_input). */
  load(planId: string): Promise<StoredPlan>;
  /** Every pending plan that has not expired, oldest first; expired ones are removed. */
  list(): Promise<StoredPlan[]>;
  remove(planId: string): Promise<boolean>;
}

export function createPlanStore(dir: string, now: () => number = Date.now): PlanStore {
  const file = (id: string) => join(dir, `${id}.json`);

  async function read(id: string): Promise<StoredPlan | null> {
    if (!PLAN_ID.test(id)) return null;
    const text = await readText(file(id));
    if (text === null) return null;
    try {
      const parsed = StoredPlanSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  return {
    save: (stored) => writeAtomic(file(stored.plan.plan_id), JSON.stringify(stored)),
    async load(planId) {
      const stored = await read(planId);
      if (!stored) throw D512Missing(planId);
      if (Date.parse(stored.plan.expires_at) <= now()) throw D512Expired(planId, stored.plan.expires_at);
      return stored;
    },
    async list() {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        return [];
      }
      const out: StoredPlan[] = [];
      for (const name of names) {
        if (!name.endsWith('.json')) continue;
        const stored = await read(name.slice(0, -'.json'.length));
        if (!stored) continue;
        if (Date.parse(stored.plan.expires_at) <= now()) await removeFile(file(stored.plan.plan_id));
        else out.push(stored);
      }
      return out.sort((a, b) => a.plan.created_at.localeCompare(b.plan.created_at));
    },
    async remove(planId) {
      if (!PLAN_ID.test(planId) || (await readText(file(planId))) === null) return false;
      await removeFile(file(planId));
      return true;
    },
  };
}
