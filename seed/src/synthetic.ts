import { KNOWN_TARGETS, type PublishPayloadIn, type WorkerType } from '@iii-registry/schemas';
import { type Domain, ADJECTIVES, DOMAINS, LICENSES, QUALITIES, SUFFIXES, VENDORS } from './synthetic-words';
import { syntheticReadme } from './synthetic-readme';
import { type Rng, createRng } from './rng';

export interface SyntheticOptions {
  /** PRNG seed; the same seed always yields the same catalog. Default 1. */
  seed?: number;
  /** Versions of each worker, ascending. Default 1. */
  versionsPerWorker?: number;
}

/** Two-word queries, each answered by workers of one domain (verb and noun appear in their texts). */
export const SYNTHETIC_QUERIES: string[] = DOMAINS.flatMap((d) => [`${d.verbs[0]} ${d.noun}`, `${d.noun} ${d.verbs[1]}`]);

type Fn = NonNullable<PublishPayloadIn['functions']>[number];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function workerName(rng: Rng, d: Domain, verb: string, taken: Set<string>): string {
  const noun = d.noun.replace(/[^a-z0-9]+/g, '-');
  const patterns = [
    () => `${noun}-${verb}`,
    () => `${rng.pick(ADJECTIVES)}-${noun}-${verb}`,
    () => `${rng.pick(VENDORS)}-${noun}`,
    () => `${noun}-${rng.pick(SUFFIXES)}`,
    () => `${rng.pick(VENDORS)}-${noun}-${rng.pick(SUFFIXES)}`,
  ];
  const base = rng.pick(patterns)();
  let name = base;
  for (let k = 2; taken.has(name); k++) name = `${base}-${k}`;
  taken.add(name);
  return name;
}

function functionsFor(rng: Rng, d: Domain, prefix: string): Fn[] {
  const count = rng.int(2, 6);
  const verbs = rng.shuffle(d.verbs).slice(0, count);
  const noun = d.noun.replace(/[^a-z0-9]+/g, '_');
  const fns: Fn[] = verbs.map((verb) => {
    const fields = rng.shuffle(d.fields).slice(0, rng.int(1, d.fields.length));
    const properties: Record<string, unknown> = {};
    for (const [field, type, description] of fields) properties[field] = { type, description };
    return {
      name: `${prefix}::${verb}_${noun}`,
      description: `${cap(verb)} one ${d.noun} ${rng.pick(d.purposes)}.`,
      request_schema: { type: 'object', required: [fields[0][0]], properties },
      response_schema: {
        type: 'object',
        required: ['ok'],
        properties: { ok: { type: 'boolean' }, id: { type: 'string', description: `Id of the ${d.noun}` } },
      },
      metadata: {},
    };
  });
  // Domains have at most six verbs; top up with the generic operations most workers expose.
  const extras = ['get_status', 'list_jobs', 'health'];
  while (fns.length < count) {
    const op = extras[fns.length - verbs.length];
    fns.push({
      name: `${prefix}::${op}`,
      description: `${cap(op.replace('_', ' '))} of the ${d.noun} worker.`,
      request_schema: { type: 'object', properties: { id: { type: 'string' } } },
      response_schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok', 'degraded', 'down'] } } },
      metadata: {},
    });
  }
  return fns;
}

function nextVersion(rng: Rng, prev: [number, number, number]): [number, number, number] {
  return rng.chance(0.7) ? [prev[0], prev[1], prev[2] + 1] : [prev[0], prev[1] + 1, 0];
}

function artifacts(rng: Rng, type: WorkerType, name: string, vendor: string, version: string): Partial<PublishPayloadIn> {
  const base = `https://github.com/${vendor}/${name}/releases/download/v${version}`;
  switch (type) {
    case 'binary': {
      const targets = rng.shuffle([...KNOWN_TARGETS]).slice(0, rng.int(2, 4)).sort();
      return { binaries: Object.fromEntries(targets.map((t) => [t, { url: `${base}/${name}-${t}.tar.gz`, sha256: rng.hex64() }])) };
    }
    case 'image':
      return { image_tag: `ghcr.io/${vendor}/${name}:${version}@sha256:${rng.hex64()}` };
    case 'bundle':
      return { archive_url: `${base}/${name}-${version}.tar.gz`, sha256: rng.hex64() };
    case 'engine':
      return {};
  }
}

const TYPES: WorkerType[] = ['binary', 'binary', 'binary', 'binary', 'image', 'image', 'bundle', 'bundle', 'bundle', 'engine'];

/**
 * A deterministic catalog of `n` plausible workers for benchmarks and property tests: payloads in publish
 * order (worker by worker, versions ascending). Dependencies point only at earlier workers' first versions,
 * so the graph is acyclic and every range resolves.
 */
export function syntheticCatalog(n: number, options: SyntheticOptions = {}): PublishPayloadIn[] {
  const rng = createRng(options.seed ?? 1);
  const perWorker = Math.max(1, Math.floor(options.versionsPerWorker ?? 1));
  const taken = new Set<string>();
  const firstVersions: { name: string; version: string }[] = [];
  const out: PublishPayloadIn[] = [];
  for (let i = 0; i < n; i++) {
    const d = rng.pick(DOMAINS);
    const verb = rng.pick(d.verbs);
    const name = workerName(rng, d, verb, taken);
    const vendor = rng.pick(VENDORS);
    const type = rng.pick(TYPES);
    const prefix = name.replace(/-/g, '_');
    const functions = functionsFor(rng, d, prefix);
    const other = rng.pick(d.verbs.filter((v) => v !== verb));
    const description = `${cap(verb)} and ${other} ${d.plural} ${rng.pick(d.purposes)}, ${rng.pick(QUALITIES)}.`;
    const readme = syntheticReadme(rng, { name, description, domain: d, verb, functions });
    const dependencies: { name: string; version: string }[] = [];
    if (i > 0 && rng.chance(0.12)) {
      for (let k = rng.int(1, 2); k > 0; k--) {
        const dep = firstVersions[rng.int(0, i - 1)];
        if (!dependencies.some((x) => x.name === dep.name)) dependencies.push({ name: dep.name, version: `^${dep.version}` });
      }
    }
    const shared = {
      worker_name: name,
      type,
      readme,
      repo: `https://github.com/${vendor}/${name}`,
      description,
      license: rng.pick(LICENSES),
      tags: [...new Set([...rng.shuffle(d.tags).slice(0, rng.int(2, 3)), verb])],
      experimental: rng.chance(0.05),
      dependencies,
      config: { timeout_ms: rng.pick([1000, 5000, 10000, 30000]), log_level: rng.pick(['info', 'warn', 'debug']) },
      functions,
      triggers: rng.chance(0.2)
        ? [{ name: `${prefix}::on-${verb}`, description: `Fires after each ${d.noun} is processed.`,
            invocation_schema: { type: 'object', properties: { filter: { type: 'string' } } },
            return_schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } }, metadata: {} }]
        : [],
    };
    let v: [number, number, number] = [rng.int(0, 2), rng.int(0, 9), rng.int(0, 5)];
    for (let k = 0; k < perWorker; k++) {
      if (k > 0) v = nextVersion(rng, v);
      const version = v.join('.');
      if (k === 0) firstVersions.push({ name, version });
      out.push({ ...shared, version, ...artifacts(rng, type, name, vendor, version) });
    }
  }
  return out;
}
