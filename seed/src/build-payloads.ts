import {
  type FunctionEntry,
  type JsonObject,
  type PublishPayloadIn,
  type TriggerEntry,
  PublishPayloadSchema,
  validate,
} from '@iii-registry/schemas';
import type { RawVersion, RawWorker } from './read-catalog';
import type { ProblemList } from './seed-error';

/** A version with its `extends` chain applied. */
export interface MergedVersion {
  dependencies: Record<string, string>;
  config: JsonObject | undefined;
  functions: FunctionEntry[];
  triggers: TriggerEntry[];
}

function mergeByName<T extends { name: string }>(
  parent: T[],
  child: T[] | undefined,
  removed: string[] | undefined,
  where: { file: string; field: string },
  problems: ProblemList,
): T[] {
  const firstAt = new Map<string, number>();
  (child ?? []).forEach((entry, i) => {
    const seen = firstAt.get(entry.name);
    if (seen === undefined) firstAt.set(entry.name, i);
    else problems.add(where.file, `${where.field}[${i}].name`, `duplicate of ${where.field}[${seen}]`);
  });
  let out = [...parent];
  (removed ?? []).forEach((name, i) => {
    if (!out.some((e) => e.name === name))
      problems.add(where.file, `remove_${where.field}[${i}]`, `"${name}" is not inherited, nothing to remove`);
    out = out.filter((e) => e.name !== name);
  });
  for (const entry of child ?? []) {
    const at = out.findIndex((e) => e.name === entry.name);
    if (at >= 0) out[at] = entry;
    else out.push(entry);
  }
  return out;
}

/** Applies `extends` recursively; undefined (with a problem recorded) on a missing or circular parent. */
function merge(
  worker: RawWorker,
  v: RawVersion,
  problems: ProblemList,
  done: Map<string, MergedVersion | undefined>,
  visiting: Set<string>,
): MergedVersion | undefined {
  if (done.has(v.version)) return done.get(v.version);
  let parent: MergedVersion | undefined = { dependencies: {}, config: undefined, functions: [], triggers: [] };
  const base = v.data.extends;
  if (base !== undefined) {
    const parentRaw = worker.versions.find((p) => p.version === base);
    if (!parentRaw) {
      problems.add(v.file, 'extends', `version ${base} of ${worker.name} has no file in versions/`);
      parent = undefined;
    } else if (visiting.has(base)) {
      problems.add(v.file, 'extends', `circular: ${[...visiting, base].join(' -> ')}`);
      parent = undefined;
    } else {
      visiting.add(v.version);
      parent = merge(worker, parentRaw, problems, done, visiting);
      visiting.delete(v.version);
    }
  }
  if (!parent) {
    done.set(v.version, undefined);
    return undefined;
  }
  const dependencies = { ...parent.dependencies };
  for (const [name, range] of Object.entries(v.data.dependencies ?? {})) {
    if (range === null) delete dependencies[name];
    else dependencies[name] = range;
  }
  const where = (field: string) => ({ file: v.file, field });
  const merged: MergedVersion = {
    dependencies,
    config: v.data.config ?? parent.config,
    functions: mergeByName(parent.functions, v.data.functions, v.data.remove_functions, where('functions'), problems),
    triggers: mergeByName(parent.triggers, v.data.triggers, v.data.remove_triggers, where('triggers'), problems),
  };
  done.set(v.version, merged);
  return merged;
}

function buildPayload(worker: RawWorker, v: RawVersion, m: MergedVersion): PublishPayloadIn {
  const { meta, name } = worker;
  const d = v.data;
  const readme = `${worker.readme.trimEnd()}\n\n---\n\n_This README ships with ${name} ${v.version}._\n`;
  const payload: PublishPayloadIn = {
    worker_name: name,
    version: v.version,
    ...(d.tag !== undefined && { tag: d.tag }),
    type: meta.type,
    readme,
    repo: meta.repo,
    description: d.description ?? meta.description,
    license: meta.license,
    tags: meta.tags,
    experimental: d.experimental ?? meta.experimental,
    dependencies: Object.keys(m.dependencies)
      .sort()
      .map((dep) => ({ name: dep, version: m.dependencies[dep] })),
    config: m.config ?? meta.config ?? {},
    functions: m.functions,
    triggers: m.triggers,
    ...(d.binaries !== undefined && { binaries: d.binaries }),
    ...(d.image_tag !== undefined && { image_tag: d.image_tag }),
    ...(d.archive_url !== undefined && { archive_url: d.archive_url }),
    ...(d.sha256 !== undefined && { sha256: d.sha256 }),
  };
  return payload;
}

export interface BuiltVersion {
  worker: RawWorker;
  raw: RawVersion;
  merged: MergedVersion;
  payload: PublishPayloadIn;
}

/** One publish payload per version file, each validated against the wire schema. */
export function buildWorkerPayloads(worker: RawWorker, problems: ProblemList): BuiltVersion[] {
  const done = new Map<string, MergedVersion | undefined>();
  const out: BuiltVersion[] = [];
  for (const raw of worker.versions) {
    const merged = merge(worker, raw, problems, done, new Set());
    if (!merged) continue;
    const payload = buildPayload(worker, raw, merged);
    const check = validate(PublishPayloadSchema, payload);
    if (!check.ok) {
      problems.addAll(raw.file, check.problems, '(in the publish payload built from this file and worker.yaml)');
      continue;
    }
    out.push({ worker, raw, merged, payload });
  }
  return out;
}
