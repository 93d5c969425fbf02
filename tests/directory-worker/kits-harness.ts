import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parse, stringify } from 'yaml';
import { createKitsParts, type KitsParts } from '../../directory-worker/src/register-kits';
import { createRegistryClient } from '../../directory-worker/src/registry-client';
import type { ComposeControl } from '../../directory-worker/src/kits/compose';

/** An in-memory Compose that edits worker-compose.yaml like the real one would (unit tests only). */
export class FakeCompose implements ComposeControl {
  up = true;
  fail = new Set<string>();
  calls: string[] = [];
  private ops = new Map<string, { status: string; detail: string }>();
  constructor(private readonly file: string) {}
  async available() {
    return this.up;
  }
  private containers(): Record<string, Record<string, string>> {
    try {
      return (parse(readFileSync(this.file, 'utf8')) as { containers?: Record<string, Record<string, string>> } | null)?.containers ?? {};
    } catch {
      return {};
    }
  }
  async add(workers: Array<{ worker: string; version: string }>, op: string) {
    if (!this.up) throw new Error('function_not_found');
    this.calls.push(`add ${workers.map((w) => `${w.worker}@${w.version}`).join(',')}`);
    const failed = workers.find((w) => this.fail.has(w.worker));
    if (!failed) {
      const c = this.containers();
      for (const w of workers) c[w.worker] = { worker: `package://api.workers.iii.dev/${w.worker}`, version: w.version };
      writeFileSync(this.file, stringify({ containers: c }));
    }
    this.ops.set(op, failed ? { status: 'failed', detail: `could not pull ${failed.worker}` } : { status: 'succeeded', detail: 'started' });
    return op;
  }
  async remove(containers: string[], op: string) {
    this.calls.push(`remove ${containers.join(',')}`);
    const c = this.containers();
    for (const name of containers) delete c[name];
    writeFileSync(this.file, stringify({ containers: c }));
    this.ops.set(op, { status: 'succeeded', detail: 'removed' });
    return op;
  }
  async operation(op: string) {
    const o = this.ops.get(op);
    if (!o) throw new Error('operation not found');
    return o;
  }
}

export interface Project extends KitsParts {
  dir: string;
  compose: FakeCompose;
  events: unknown[];
  logs: string[];
  /** Every file under the project except .iii/ (plans and caches), path → content. */
  snapshot(): Record<string, string>;
  read(rel: string): string;
  write(rel: string, text: string): void;
  dispose(): void;
}

export function makeProject(registryUrl: string, now: () => number = Date.now): Project {
  const dir = mkdtempSync(join(tmpdir(), 'iii-kits-'));
  const compose = new FakeCompose(join(dir, 'worker-compose.yaml'));
  const events: unknown[] = [];
  const logs: string[] = [];
  const registry = createRegistryClient({ baseUrl: registryUrl, timeoutMs: 2_000 });
  const parts = createKitsParts({ registryUrl, downloadTimeoutMs: 2_000, projectDir: dir, composePollMs: 5, composeDeadlineMs: 2_000,
    env: {}, log: (l) => logs.push(l), now }, registry, { compose, emit: (e) => events.push(e) });
  const walk = (d: string, out: Record<string, string>) => {
    for (const name of readdirSync(d)) {
      const abs = join(d, name);
      const rel = relative(dir, abs);
      if (rel === '.iii') continue;
      if (statSync(abs).isDirectory()) walk(abs, out);
      else out[rel] = readFileSync(abs, 'utf8');
    }
    return out;
  };
  return {
    ...parts, dir, compose, events, logs,
    snapshot: () => walk(dir, {}),
    read: (rel) => readFileSync(join(dir, rel), 'utf8'),
    write: (rel, text) => {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
