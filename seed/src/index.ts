import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { type PublishPayloadIn, isStable } from '@iii-registry/schemas';
import { buildWorkerPayloads } from './build-payloads';
import { checkCatalog } from './check-catalog';
import { readCatalog } from './read-catalog';
import { ProblemList } from './seed-error';

export { SeedCatalogError, type SeedProblem } from './seed-error';
export { SYNTHETIC_QUERIES, syntheticCatalog, type SyntheticOptions } from './synthetic';

export interface SeedSkills {
  worker: string;
  version: string;
  /** Published skill key (`SKILL.md`, `skills/<rel>.md`, `agents/<id>.md`) to markdown. */
  skills: Record<string, string>;
}

export interface SeedCatalog {
  /** In publish order: dependencies first, then each worker's versions ascending by semver. */
  publishes: PublishPayloadIn[];
  /** Bodies for `POST /w/{worker}/skills`, to send after the version they name is published. */
  skills: SeedSkills[];
}

/** The catalog folder shipped with this package. */
export const SEED_CATALOG_DIR = fileURLToPath(new URL('../catalog/', import.meta.url));

/**
 * Loads a catalog folder (see seed/README.md for the layout). Throws SeedCatalogError listing every problem,
 * each with its file and JSON path, when any file is invalid.
 */
export function loadCatalogFrom(catalogDir: string): SeedCatalog {
  const problems = new ProblemList();
  const workers = readCatalog(catalogDir, problems);
  const built = workers.flatMap((w) => buildWorkerPayloads(w, problems));
  const order = checkCatalog(workers, built, problems);
  problems.throwIfAny();

  const rank = new Map(order.map((name, i) => [name, i]));
  const publishes = [...built]
    .sort((a, b) => (rank.get(a.worker.name) ?? 0) - (rank.get(b.worker.name) ?? 0) || semver.compare(a.raw.version, b.raw.version))
    .map((b) => b.payload);

  const skills: SeedSkills[] = [];
  for (const name of order) {
    const w = workers.find((x) => x.name === name);
    if (!w || Object.keys(w.skills).length === 0) continue;
    const newestStable = w.versions.map((v) => v.version).filter(isStable).sort(semver.rcompare)[0];
    const versions = [...new Set([newestStable, ...w.meta.skills_versions])].sort(semver.compare);
    for (const version of versions) skills.push({ worker: name, version, skills: { ...w.skills } });
  }
  return { publishes, skills };
}

/** The seed catalog this registry starts with when its database is empty. Synchronous: plain file reads. */
export function loadSeedCatalog(): SeedCatalog {
  return loadCatalogFrom(SEED_CATALOG_DIR);
}
