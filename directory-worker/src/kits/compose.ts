import { parse as parseYaml } from 'yaml';
import { D514Compose, D515 } from './errors';
import { readText } from './files';

/** A worker the compose file declares (read from disk, so planning works while the daemon is down). */
export interface DeclaredWorker {
  container: string;
  package: string;
  selector?: string;
  resolved?: string;
  /** A `path://` worker: the operator's build, never managed by kits. */
  path: boolean;
}

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

async function readYaml(path: string): Promise<Record<string, unknown>> {
  const text = await readText(path);
  if (text === null) return {};
  try {
    return asRecord(parseYaml(text));
  } catch {
    return {};
  }
}

/** Declared workers by package name, with the version `worker-compose.lock` resolved. */
export async function declaredWorkers(composeFile: string): Promise<Map<string, DeclaredWorker>> {
  const doc = await readYaml(composeFile);
  const lock = asRecord((await readYaml(composeFile.replace(/\.ya?ml$/, '.lock'))).containers);
  const out = new Map<string, DeclaredWorker>();
  for (const [container, value] of Object.entries(asRecord(doc.containers))) {
    const c = asRecord(value);
    const worker = typeof c.worker === 'string' ? c.worker.trim() : container;
    const path = worker.startsWith('path://') || worker.startsWith('.') || worker.startsWith('/');
    const reference = worker.replace(/^package:\/\//, '').replace(/@[^/]*$/, '');
    const pkg = path ? container : (reference.split('/').pop() ?? reference);
    const selector = typeof c.version === 'string' || typeof c.version === 'number' ? String(c.version) : undefined;
    const locked = asRecord(asRecord(lock[container]).resolved).version;
    const resolved = typeof locked === 'string' ? locked : selector && /^\d+\.\d+\.\d+/.test(selector) ? selector : undefined;
    out.set(pkg, { container, package: pkg, selector, resolved, path });
  }
  return out;
}

/** The `compose::*` calls an apply makes; the bus one is in bus-compose.ts, tests may pass their own. */
export interface ComposeControl {
  /** Resolves when the Compose daemon answers `compose::status`. */
  available(): Promise<boolean>;
  add(workers: Array<{ worker: string; version: string }>, operationId: string): Promise<string>;
  remove(containers: string[], operationId: string): Promise<string>;
  /** `{status, detail}` of an operation: running | succeeded | failed | cancelled. */
  operation(operationId: string): Promise<{ status: string; detail: string }>;
}

export interface WaitOptions {
  pollMs: number;
  deadlineMs: number;
  onProgress?: (detail: string) => void;
}

/** Polls `compose::operation` until it leaves `running`; a failure is D515, losing the daemon D514. */
export async function waitOperation(compose: ComposeControl, operationId: string, { pollMs, deadlineMs, onProgress }: WaitOptions): Promise<string> {
  const started = Date.now();
  let misses = 0;
  let last = '';
  for (;;) {
    try {
      const { status, detail } = await compose.operation(operationId);
      misses = 0;
      if (detail && detail !== last) onProgress?.((last = detail));
      if (status === 'succeeded') return detail;
      if (status === 'failed' || status === 'cancelled')
        throw D515(`compose operation ${operationId} ${status}${detail ? `: ${detail}` : ''}`);
    } catch (err) {
      if ((err as Error).name === 'DirectoryError') throw err;
      // The operation may not be visible for a moment after it was accepted.
      if (++misses > 10) throw D514Compose();
    }
    if (Date.now() - started > deadlineMs)
      throw D515(`compose operation ${operationId} did not finish within ${Math.round(deadlineMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
