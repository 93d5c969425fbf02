/**
 * The checks the iii CLI runs on a `/resolve` answer before it writes iii.lock, restated from its source
 * (iii-hq/iii crates/iii-worker/src/cli/registry.rs `validate_dependency_graph`, managed.rs `lockfile_from_graph`,
 * lockfile.rs `validate`) and iii-compose's `check_names` (crates/iii-compose/src/registry.rs). A test that passes
 * an answer through here has checked it the way those clients do. Returns the first refusal, or null.
 */
type Node = { name: string; type: string; version: string; repo?: unknown; binaries?: Record<string, { url: string; sha256: string }>; image?: string; archive_url?: string; sha256?: string; dependencies?: Record<string, string> };
type Graph = { root: { name: string; version: string }; graph: Node[]; edges: { from: string; to: string; range: string }[] };

const isSha256Hex = (v: unknown) => typeof v === 'string' && v.length === 64 && /^[0-9a-fA-F]+$/.test(v);
const composePathSafe = (v: string) => v !== '' && v !== '..' && !v.startsWith('.') && /^[A-Za-z0-9._-]+$/.test(v);

export function cliRefusal(body: string): string | null {
  if (Buffer.byteLength(body) > 1024 * 1024) return 'Registry response too large';
  const g = JSON.parse(body) as Graph;
  if (typeof g.root?.name !== 'string' || typeof g.root?.version !== 'string') return 'root is not {name: String, version: String}';
  const names = new Set<string>();
  for (const n of g.graph) {
    for (const f of ['name', 'type', 'version', 'repo'] as const) if (typeof n[f] !== 'string') return `${n.name}.${f} is not a String`;
    if (names.has(n.name)) return `duplicate worker node ${n.name}`;
    names.add(n.name);
    if (!composePathSafe(n.name) || !composePathSafe(n.version)) return `iii-compose refuses ${n.name}@${n.version} as a path`;
    switch (n.type) {
      case 'engine':
        break;
      case 'binary':
        if (!n.binaries || Object.keys(n.binaries).length === 0) return `${n.name} has no binary artifacts`;
        for (const [t, b] of Object.entries(n.binaries)) if (!isSha256Hex(b.sha256)) return `${n.name} artifact ${t} has invalid binary sha256`;
        break;
      case 'image':
        if (typeof n.image !== 'string' || !n.image.includes('@sha256:')) return `${n.name} image must be pinned by digest`;
        break;
      case 'bundle':
        if (!n.archive_url || !isSha256Hex(n.sha256)) return `${n.name} bundle has invalid archive_url or sha256`;
        break;
      default:
        return `${n.name} has unsupported type ${n.type}`;
    }
  }
  names.add(g.root.name);
  const children = new Map<string, string[]>();
  for (const e of g.edges) {
    if (!names.has(e.from) || !names.has(e.to)) return `edge ${e.from} -> ${e.to} references an undeclared worker`;
    children.set(e.from, [...(children.get(e.from) ?? []), e.to]);
  }
  const reached = new Set<string>();
  const stack = [g.root.name];
  while (stack.length > 0) {
    const n = stack.pop() as string;
    if (reached.has(n)) continue;
    reached.add(n);
    stack.push(...(children.get(n) ?? []));
  }
  if (reached.size !== names.size) return 'worker node(s) are unreachable from the root';
  return null;
}
