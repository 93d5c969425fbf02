// Entry point: `npx tsx seed/src/check-cli.ts [catalog-dir]` validates a catalog and prints a summary.
import { SEED_CATALOG_DIR, SeedCatalogError, loadCatalogFrom } from './index';

const dir = process.argv[2] ?? SEED_CATALOG_DIR;
try {
  const started = performance.now();
  const catalog = loadCatalogFrom(dir);
  const workers = new Set(catalog.publishes.map((p) => p.worker_name));
  console.log(`✓ ${dir}: ${workers.size} workers, ${catalog.publishes.length} versions, ${catalog.skills.length} skill snapshots`);
  console.log(`Completed in ${((performance.now() - started) / 1000).toFixed(2)}s`);
} catch (err) {
  if (!(err instanceof SeedCatalogError)) throw err;
  console.error(err.message);
  console.error('Fix the files above, then run this command again.');
  process.exitCode = 1;
}
