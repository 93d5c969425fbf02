import semver from 'semver';
import { isStable, toNpmRange } from '@iii-registry/schemas';
import type { BuiltVersion } from './build-payloads';
import type { RawWorker } from './read-catalog';
import type { ProblemList } from './seed-error';

/** Seed functions and trigger types are examples people copy: each needs a description and real schemas. */
function checkEntries(worker: RawWorker, problems: ProblemList): void {
  const prefix = `${worker.name.replace(/-/g, '_')}::`;
  // Engine built-ins carry the ids the engine registers (`state::get`, trigger type `cron`), not a name prefix.
  const prefixed = (id: string) => worker.meta.type === 'engine' || id.startsWith(prefix);
  const empty = (s: unknown) => s === undefined || s === null || Object.keys(s as object).length === 0;
  for (const v of worker.versions) {
    (v.data.functions ?? []).forEach((f, i) => {
      if (!prefixed(f.name)) problems.add(v.file, `functions[${i}].name`, `must start with ${prefix}`);
      if (!f.description) problems.add(v.file, `functions[${i}].description`, 'required in the seed');
      if (empty(f.request_schema)) problems.add(v.file, `functions[${i}].request_schema`, 'must be a real JSON Schema, not {}');
      if (empty(f.response_schema)) problems.add(v.file, `functions[${i}].response_schema`, 'must be a real JSON Schema, not {}');
    });
    (v.data.triggers ?? []).forEach((t, i) => {
      if (!prefixed(t.name)) problems.add(v.file, `triggers[${i}].name`, `must start with ${prefix}`);
      if (!t.description) problems.add(v.file, `triggers[${i}].description`, 'required in the seed');
      if (empty(t.invocation_schema)) problems.add(v.file, `triggers[${i}].invocation_schema`, 'must be a real JSON Schema, not {}');
    });
    if (v.data.tag === 'latest' && !isStable(v.version))
      problems.add(v.file, 'tag', 'a prerelease must not take the latest tag; use next or rc');
  }
}

/** Every range must pick a stable seed version, so `POST /resolve` works on a freshly seeded registry. */
function checkDependencies(workers: RawWorker[], problems: ProblemList): void {
  const stable = new Map(workers.map((w) => [w.name, w.versions.map((v) => v.version).filter(isStable)]));
  for (const w of workers) {
    if ((stable.get(w.name) ?? []).length === 0)
      problems.add(w.workerFile, '(root)', 'needs at least one stable version so that latest exists');
    w.meta.skills_versions.forEach((sv, i) => {
      if (!w.versions.some((v) => v.version === sv))
        problems.add(w.workerFile, `skills_versions[${i}]`, `${sv} has no file in versions/`);
    });
    for (const v of w.versions) {
      for (const [dep, range] of Object.entries(v.data.dependencies ?? {})) {
        if (range === null) continue;
        const candidates = stable.get(dep);
        if (!candidates) problems.add(v.file, `dependencies.${dep}`, `no worker "${dep}" in the seed catalog`);
        else if (!semver.maxSatisfying(candidates, toNpmRange(range) ?? range))
          problems.add(v.file, `dependencies.${dep}`, `"${range}" matches no stable seed version (${candidates.join(', ')})`);
      }
    }
  }
}

/** Orders workers so that dependencies come first; any cycle becomes a problem. Ties break by name. */
function topologicalOrder(built: BuiltVersion[], workers: RawWorker[], problems: ProblemList): string[] {
  const edges = new Map<string, Set<string>>(workers.map((w) => [w.name, new Set<string>()]));
  for (const b of built)
    for (const dep of Object.keys(b.merged.dependencies)) if (edges.has(dep)) edges.get(b.worker.name)?.add(dep);
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      const file = workers.find((w) => w.name === name)?.workerFile ?? name;
      problems.add(file, 'dependencies', `dependency cycle: ${cycle.join(' -> ')}`);
      return;
    }
    state.set(name, 'visiting');
    for (const dep of [...(edges.get(name) ?? [])].sort()) visit(dep, [...trail, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of [...edges.keys()].sort()) visit(name, []);
  return order;
}

/** Cross-file rules; returns the worker publish order. */
export function checkCatalog(workers: RawWorker[], built: BuiltVersion[], problems: ProblemList): string[] {
  for (const w of workers) checkEntries(w, problems);
  checkDependencies(workers, problems);
  return topologicalOrder(built, workers, problems);
}
