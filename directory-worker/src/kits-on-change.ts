import { KitsChangeEventSchema, toJsonSchema, type KitsChangeEvent } from '@iii-registry/schemas';
import { TriggerAction, type IIIClient } from 'iii-sdk';

export const KITS_ON_CHANGE_ID = 'directory::kits::on-change';
export const AGENTS_ON_CHANGE_ID = 'directory::agents::on-change';
export const SKILLS_ON_CHANGE_ID = 'directory::skills::on-change';

/** Fan-out of one trigger type: every registered trigger's function is called (fire and forget) per event. */
export interface EventHub {
  fire(payload: unknown): void;
  readonly subscribers: number;
}

export function createEventHub(iii: Pick<IIIClient, 'registerTriggerType' | 'trigger'>, id: string, description: string,
  log: (line: string) => void = () => {}): EventHub {
  const subscribers = new Map<string, string>();
  iii.registerTriggerType({ id, description }, {
    async registerTrigger({ id: triggerId, function_id }) {
      subscribers.set(triggerId, function_id);
    },
    async unregisterTrigger({ id: triggerId }) {
      subscribers.delete(triggerId);
    },
  });
  return {
    fire(payload) {
      for (const function_id of new Set(subscribers.values()))
        iii.trigger({ function_id, payload, action: TriggerAction.Void() }).catch((err: Error) => log(`${id} → ${function_id}: ${err.message}`));
    },
    get subscribers() {
      return subscribers.size;
    },
  };
}

export interface ChangeHubs {
  emit(event: KitsChangeEvent | { target: 'agents' | 'skills'; payload: Record<string, unknown> }): void;
}

/** `directory::kits::on-change` with its payloads, and the agents/skills on-change an apply or download fires. */
export function registerChangeTriggers(iii: Pick<IIIClient, 'registerTriggerType' | 'trigger'>, log?: (line: string) => void): ChangeHubs {
  const kits = createEventHub(iii, KITS_ON_CHANGE_ID,
    `Fires when kit plans, applies or available updates change. Payloads: ${JSON.stringify(toJsonSchema(KitsChangeEventSchema))}`, log);
  const agents = createEventHub(iii, AGENTS_ON_CHANGE_ID, 'Fires when agent profiles change ({op: "kit", kit, plan_id} after a kit apply; {op: "download", source: "registry"} after a worker bundle download).', log);
  const skills = createEventHub(iii, SKILLS_ON_CHANGE_ID, 'Fires when skills change ({op: "kit", kit, plan_id} after a kit apply; {op: "download", source: "registry"} after a worker bundle download).', log);
  return {
    emit(event) {
      if ('target' in event) (event.target === 'agents' ? agents : skills).fire(event.payload);
      else kits.fire(event);
    },
  };
}
