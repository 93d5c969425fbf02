/**
 * The public release train's registry calls, restated from iii-hq/workers `.github/scripts/` (registry_publish.py,
 * registry_release.py, registry_publication.py) so that e2e tests send exactly their requests and judge the answers
 * exactly as they do. Each function names the script function it follows.
 */
import { readAnswer } from '../registry-server/helpers';

export interface Registry { url: string; apiKey: string }
type Json = Record<string, any>;

async function request(reg: Registry, method: string, path: string, payload?: unknown, withKey = false) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  if (withKey) headers['x-api-key'] = reg.apiKey;
  return readAnswer(await fetch(`${reg.url}${path}`, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload) }));
}

/** registry_release.py resolve_version(): root.version, or null for version_not_found / worker_not_found when allowed. */
export async function resolveVersion(reg: Registry, worker: string, selector: string, allowMissing = false): Promise<string | null> {
  const { status, json } = await request(reg, 'POST', '/resolve', { worker, version: selector });
  if (status === 200) {
    const v = json.root?.version;
    if (typeof v !== 'string' || v === '') throw new Error('Registry resolve response has no root.version');
    return v;
  }
  const code = json.error?.code;
  if (allowMissing && (code === 'version_not_found' || code === 'worker_not_found')) return null;
  throw new Error(`resolve ${worker}@${selector} failed with HTTP ${status}: ${JSON.stringify(json)}`);
}

/** registry_publish.py publish(): 200 is done; 409 reconciles by resolving the registry tag. */
export async function publish(reg: Registry, payload: Json, registryTag: string): Promise<Json> {
  const { status, json } = await request(reg, 'POST', '/publish', payload, true);
  if (status === 200) return { reconciled: false, registry_response: json };
  if (status === 409) {
    const resolved = await resolveVersion(reg, payload.worker_name, registryTag, true);
    if (resolved !== payload.version) throw new Error(`${payload.worker_name}@${registryTag} resolves ${resolved ?? 'nothing'}, expected ${payload.version}`);
    return { reconciled: true };
  }
  throw new Error(`publish failed with HTTP ${status}: ${JSON.stringify(json)}`);
}

/** registry_release.py promote(). */
export async function promote(reg: Registry, worker: string, version: string): Promise<Json> {
  const currentLatest = await resolveVersion(reg, worker, 'latest', true);
  const currentNext = await resolveVersion(reg, worker, 'next', true);
  if (currentLatest !== version && currentNext !== version) throw new Error(`next points to ${currentNext}, expected ${version}`);
  const payload: Json = { version, expected_tag: 'next' };
  if (currentLatest !== null) payload.expected_current_version = currentLatest;
  const { status, json } = await request(reg, 'PUT', `/w/${encodeURIComponent(worker)}/tags/latest`, payload, true);
  if (status !== 200) throw new Error(`promotion failed with HTTP ${status}: ${JSON.stringify(json)}`);
  const promoted = await resolveVersion(reg, worker, 'latest');
  if (promoted !== version) throw new Error(`promotion verification resolved ${promoted}, expected ${version}`);
  return { previous_latest: currentLatest, next: currentNext, latest: promoted, changed: Boolean(json.changed) };
}

const sortedRows = (rows: Json[]) =>
  [...rows].sort((a, b) => (a.name === b.name ? (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1) : a.name < b.name ? -1 : 1));
const depList = (deps: Json[] | Json | undefined) =>
  (Array.isArray(deps) ? deps : Object.entries(deps ?? {}).map(([name, version]) => ({ name, version })))
    .map((d: Json) => ({ name: d.name, version: d.version }))
    .sort((a, b) => (a.name === b.name ? (a.version < b.version ? -1 : 1) : a.name < b.name ? -1 : 1));
/** Python's json.dumps(sort_keys=True) equality, which is what `!=` on parsed JSON amounts to. */
const canon = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

/** registry_publication.py _expected_detail / _actual_detail / _expected_resolved / _actual_resolved, then _difference. */
export async function proveVersion(reg: Registry, worker: string, version: string, payload: Json): Promise<{ state: string; detail: string }> {
  const detail = await request(reg, 'GET', `/w/${encodeURIComponent(worker)}?version=${encodeURIComponent(version)}`);
  const resolved = await request(reg, 'POST', '/resolve', { worker, version });
  if (detail.status !== 200 || resolved.status !== 200) return { state: 'unavailable', detail: `detail=${detail.status}, resolve=${resolved.status}` };
  const expected: Json = {
    name: payload.worker_name, version: payload.version, type: payload.type, description: payload.description ?? '',
    license: payload.license ?? '', repo: payload.repo ?? '', config: payload.config || {}, readme: payload.readme ?? '',
    dependencies: depList(payload.dependencies ?? []), functions: sortedRows(payload.functions ?? []), triggers: sortedRows(payload.triggers ?? []),
    experimental: payload.experimental === true,
  };
  const w = detail.json.worker as Json;
  const required = ['name', 'version', 'type', 'description', 'license', 'repo', 'config', 'readme', 'dependencies', 'functions', 'triggers'];
  const missing = required.filter((f) => !(f in w));
  if (missing.length > 0) return { state: 'divergent', detail: `detail.worker hides required fields: ${missing.join(', ')}` };
  const actual: Json = {
    name: w.name, version: w.version, type: w.type, description: w.description ?? '', license: 'license' in w ? w.license : '',
    repo: w.repo ?? '', config: w.config || {}, readme: w.readme ?? '', dependencies: depList(w.dependencies ?? []),
    functions: sortedRows(w.functions ?? []), triggers: sortedRows(w.triggers ?? []), experimental: w.experimental === true,
  };
  if ('tags' in payload) { expected.tags = [...payload.tags].sort(); actual.tags = [...(w.tags ?? [])].sort(); }
  if (payload.type === 'binary') { expected.supported_targets = Object.keys(payload.binaries).sort(); actual.supported_targets = [...w.supported_targets].sort(); }
  if (payload.type === 'image') { expected.image = payload.image_tag; actual.image = w.image; }
  for (const field of Object.keys(expected).sort())
    if (canon(actual[field]) !== canon(expected[field])) return { state: 'divergent', detail: `detail field ${field} differs: expected ${canon(expected[field])}, got ${canon(actual[field])}` };

  const root = resolved.json.root;
  if (root?.name !== worker || root?.version !== version) return { state: 'divergent', detail: 'resolve.root does not match' };
  const nodes = (resolved.json.graph as Json[]).filter((n) => n.name === worker);
  if (nodes.length !== 1) return { state: 'divergent', detail: 'resolve.graph has no unique exact root node' };
  const node = nodes[0];
  const expectedNode: Json = { name: worker, version, type: payload.type, repo: payload.repo ?? '', config: payload.config || {},
    dependencies: Object.fromEntries(depList(payload.dependencies ?? []).map((d) => [d.name, d.version])) };
  const actualNode: Json = { name: node.name, version: node.version, type: node.type, repo: node.repo, config: node.config, dependencies: node.dependencies };
  if (payload.type === 'binary') { expectedNode.binaries = payload.binaries; actualNode.binaries = node.binaries; }
  if (payload.type === 'image') { expectedNode.image = payload.image_tag; actualNode.image = node.image; }
  if (payload.type === 'bundle') { Object.assign(expectedNode, { archive_url: payload.archive_url, sha256: payload.sha256 }); Object.assign(actualNode, { archive_url: node.archive_url, sha256: node.sha256 }); }
  for (const field of Object.keys(expectedNode).sort())
    if (canon(actualNode[field]) !== canon(expectedNode[field])) return { state: 'divergent', detail: `resolve field ${field} differs` };
  return { state: 'equivalent', detail: 'detail and exact resolved root match the publish payload' };
}

/** registry_publication.py read_channel(): the one version carrying `tag` in GET /w/{w}/versions. */
export async function readChannel(reg: Registry, worker: string, tag: string): Promise<string | null> {
  const { status, json } = await request(reg, 'GET', `/w/${encodeURIComponent(worker)}/versions`);
  if (status !== 200) throw new Error(`versions readback returned HTTP ${status}`);
  const targets = (json.versions as Json[]).filter((v) => (v.tags as string[]).includes(tag)).map((v) => v.version as string);
  if (targets.length > 1) throw new Error(`channel ${tag} points to multiple versions`);
  return targets[0] ?? null;
}

/** registry_publication.py publish_skills() + read_skills(): POST the snapshot, then read it back by exact version. */
export async function publishSkills(reg: Registry, worker: string, version: string, skills: Record<string, string>, readBackAs = version): Promise<string> {
  const posted = await request(reg, 'POST', `/w/${encodeURIComponent(worker)}/skills`, { version, skills }, true);
  if (posted.status !== 200) throw new Error(`skills publish failed with HTTP ${posted.status}: ${JSON.stringify(posted.json)}`);
  const { status, json } = await request(reg, 'GET', `/w/${encodeURIComponent(worker)}/skills?version=${encodeURIComponent(readBackAs)}`);
  if (status !== 200) return `skills readback returned HTTP ${status}`;
  if (json.name !== worker || json.version !== posted.json.version) return 'skills readback identity differs';
  const actual = Object.fromEntries((json.skills as Json[]).map((r) => [r.path, r.content]));
  return canon(actual) === canon(skills) ? 'equivalent' : 'skills readback does not match the full requested snapshot';
}

export { request };
