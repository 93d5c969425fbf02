import { loadSeedCatalog } from '@iii-registry/seed';
import { RegistryError } from './errors';
import type { RegistryServices } from './services/types';
import { seedDirectoryWorker } from './seed-directory';

/** The seed catalog belongs to the registry itself: no key owns it, so only admin keys may publish over it. */
export const SEED_PRINCIPAL = { keyId: 0, name: 'seed', admin: true } as const;

/** Loads the shipped catalog into an empty registry through the same services a publish uses. */
export async function seedRegistry(services: RegistryServices): Promise<{ versions: number; skills: number }> {
  const catalog = loadSeedCatalog();
  for (const payload of catalog.publishes) {
    // Another process on the same data dir may be seeding at the same moment: what it stored first stays.
    await services.publish(SEED_PRINCIPAL, payload).catch((e) => {
      if (!(e instanceof RegistryError && e.code === 'version_exists')) throw e;
    });
  }
  for (const s of catalog.skills) await services.publishSkills(SEED_PRINCIPAL, s.worker, { version: s.version, skills: s.skills });
  // The registry's own directory worker, built from directory-worker/ into a hosted bundle (cached by content).
  await seedDirectoryWorker(services, SEED_PRINCIPAL);
  return { versions: catalog.publishes.length + 1, skills: catalog.skills.length + 1 };
}
