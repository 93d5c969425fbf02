import type { AgentEntry, KitCompare, KitUpdateAnswer, KitUpdatesResponse } from '@iii-registry/schemas';
import { KIT_HANDLE_PATTERN, KIT_NAME_PATTERN, KitUpdatesRequestSchema, validate } from '@iii-registry/schemas';
import { validationFailed } from '../errors';
import { deprecationOf, kitAt, type KitReadDeps } from './kit-read';
import { availableUpdate, bestLatest, isMajorJump } from './kit-rules';

const AGENT_FIELDS = ['name', 'description', 'logo', 'icon', 'color', 'model', 'reasoning_effort', 'extends', 'hidden', 'skills', 'functions'] as const;

const bodyOf = (content: string) => content.replace(/^---\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/, '');

/** `GET /k/{handle}/{name}/compare?from=&to=` (to defaults to latest): what changed between two versions. */
export async function compareKit(deps: KitReadDeps, handle: string, name: string, fromSpec: string, toSpec?: string): Promise<KitCompare> {
  const a = await kitAt(deps, handle, name, fromSpec);
  const b = await kitAt(deps, handle, name, toSpec);
  const [filesA, filesB] = await Promise.all([deps.kits.files(a.record.id), deps.kits.files(b.record.id)]);
  const shaA = new Map(filesA.map((f) => [f.path, f]));
  const shaB = new Map(filesB.map((f) => [f.path, f]));
  const files = { added: [] as string[], removed: [] as string[], modified: [] as string[], unchanged: [] as string[] };
  for (const f of filesB) {
    const old = shaA.get(f.path);
    if (!old) files.added.push(f.path);
    else (old.sha256 === f.sha256 ? files.unchanged : files.modified).push(f.path);
  }
  for (const f of filesA) if (!shaB.has(f.path)) files.removed.push(f.path);

  const agentsA = new Map<string, AgentEntry>(a.record.doc.agents.map((x) => [x.id, x]));
  const agentsB = new Map<string, AgentEntry>(b.record.doc.agents.map((x) => [x.id, x]));
  const modified: KitCompare['agents']['modified'] = [];
  const functionsAdded: { agent: string; function: string }[] = [];
  const modelsChanged: { agent: string; from: string | null; to: string | null }[] = [];
  for (const [id, next] of agentsB) {
    const prev = agentsA.get(id);
    for (const fn of next.functions) if (!prev || !prev.functions.includes(fn)) functionsAdded.push({ agent: id, function: fn });
    if (!prev) continue;
    if ((prev.model ?? null) !== (next.model ?? null)) modelsChanged.push({ agent: id, from: prev.model ?? null, to: next.model ?? null });
    if (prev.sha256 === next.sha256) continue;
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of AGENT_FIELDS) {
      const x = prev[field] ?? null;
      const y = next[field] ?? null;
      if (JSON.stringify(x) !== JSON.stringify(y)) changed[field] = { from: x, to: y };
    }
    const bodyChanged = bodyOf(shaA.get(prev.path)?.content ?? '') !== bodyOf(shaB.get(next.path)?.content ?? '');
    modified.push({ id, path: next.path, frontmatter: changed, body_changed: bodyChanged });
  }
  const rangesA = new Map(a.record.doc.workers.map((w) => [w.name, w.range]));
  const rangesB = new Map(b.record.doc.workers.map((w) => [w.name, w.range]));
  const workers = {
    added: [...rangesB].filter(([n]) => !rangesA.has(n)).map(([n, r]) => ({ name: n, range: r, from: null, to: r })),
    removed: [...rangesA].filter(([n]) => !rangesB.has(n)).map(([n, r]) => ({ name: n, range: r, from: r, to: null })),
    changed: [...rangesB].filter(([n, r]) => rangesA.has(n) && rangesA.get(n) !== r).map(([n, r]) => ({ name: n, range: r, from: rangesA.get(n) ?? null, to: r })),
  };
  return {
    notes: b.record.doc.notes,
    major: isMajorJump(a.record.version, b.record.version),
    agents: {
      modified,
      added: [...agentsB.keys()].filter((id) => !agentsA.has(id)),
      removed: [...agentsA.keys()].filter((id) => !agentsB.has(id)),
    },
    workers,
    capabilities: { workers_added: workers.added.map((w) => w.name), functions_added: functionsAdded, models_changed: modelsChanged },
    from: a.record.version,
    to: b.record.version,
    files,
  };
}

/** `POST /k/updates`: one answer per asked kit; a missing kit answers `not_found: true` instead of failing the batch. */
export async function kitUpdates(deps: KitReadDeps, body: unknown): Promise<KitUpdatesResponse> {
  const checked = validate(KitUpdatesRequestSchema, body);
  if (!checked.ok) throw validationFailed('update check', checked.problems);
  const kits = await Promise.all(checked.value.kits.map(async (q): Promise<KitUpdateAnswer> => {
    const missing: KitUpdateAnswer = { kit: q.kit, current: q.version, available: null, latest: null, major: false, deprecation: null, not_found: true };
    const [handle, name, ...rest] = q.kit.split('/');
    if (rest.length > 0 || !KIT_HANDLE_PATTERN.test(handle) || !KIT_NAME_PATTERN.test(name ?? '')) return missing;
    const kit = await deps.kits.kit(handle, name);
    if (!kit) return missing;
    const [metas, tags] = await Promise.all([deps.kits.versions(kit.id), deps.kits.tags(kit.id)]);
    const latestTag = tags.find((t) => t.name === 'latest');
    const latest = latestTag ? metas.find((m) => m.id === latestTag.version_id) ?? null : bestLatest(metas);
    const available = availableUpdate(metas, tags, q.version, q.requested);
    const installed = metas.find((m) => m.version === q.version.replace(/^v/, ''));
    const deprecation = (installed && deprecationOf(installed)) ?? (latest && deprecationOf(latest)) ?? null;
    return {
      kit: q.kit,
      current: q.version,
      available: available?.version ?? null,
      latest: latest?.version ?? null,
      major: available ? isMajorJump(q.version.replace(/^v/, ''), available.version) : false,
      deprecation,
      not_found: false,
    };
  }));
  return { kits };
}
