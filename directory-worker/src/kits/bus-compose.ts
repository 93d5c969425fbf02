import type { IIIClient } from 'iii-sdk';
import type { ComposeControl } from './compose';

/**
 * `compose::*` over the engine. Compose registers these only while `iii compose --up` runs; when it started this
 * worker it sets III_COMPOSE_FILE (and III_COMPOSE_NAMESPACE), which every call names so Compose edits the right
 * project. The SDK 0.22.1 has no per-call namespace routing, so the namespace travels in the payload only.
 */
export function busCompose(iii: Pick<IIIClient, 'trigger'>, env: Record<string, string | undefined> = process.env): ComposeControl {
  const file = env.III_COMPOSE_FILE?.trim();
  const namespace = env.III_COMPOSE_NAMESPACE?.trim();
  const call = <T>(function_id: string, payload: Record<string, unknown>, timeoutMs: number): Promise<T> =>
    iii.trigger<Record<string, unknown>, T>({ function_id, timeoutMs,
      payload: { ...payload, ...(file ? { file } : {}), ...(namespace ? { namespace } : {}) } });
  const opId = (out: unknown, fallback: string): string => {
    const id = (out as { operation_id?: unknown } | null)?.operation_id;
    return typeof id === 'string' ? id : fallback;
  };
  return {
    async available() {
      try {
        await call('compose::status', {}, 5_000);
        return true;
      } catch {
        return false;
      }
    },
    async add(workers, operationId) {
      return opId(await call('compose::add', { workers, operation_id: operationId }, 60_000), operationId);
    },
    async remove(containers, operationId) {
      return opId(await call('compose::remove', { workers: containers, operation_id: operationId }, 60_000), operationId);
    },
    async operation(operationId) {
      const out = (await call<Record<string, unknown> | null>('compose::operation', { operation_id: operationId }, 10_000)) ?? {};
      const event = (out.last_event ?? {}) as { detail?: unknown };
      const status = typeof out.status === 'string' ? out.status : 'running';
      const detail = typeof event.detail === 'string' ? event.detail : typeof out.phase === 'string' ? out.phase : '';
      return { status, detail };
    },
  };
}
