import { parseArgs } from 'node:util';
import { loadConfig } from './config';
import { openBackend } from './db/open-backend';
import { mirror } from './mirror/mirror';
import { createMirrorSource } from './mirror/source';
import { createServices } from './services/index';

/**
 * `npm run mirror -- --from URL [--only name...]` copies another registry into this one's database
 * (REGISTRY_DATABASE_URL, else REGISTRY_DATA_DIR), working on it directly (as `npm run keys` does) through the same
 * backend the server opens, archives included. Safe to interrupt and run again.
 */
const usage = 'usage: npm run mirror -- --from <registry URL> [--only <name> ...]';
const { values } = parseArgs({ options: { from: { type: 'string' }, only: { type: 'string', multiple: true }, help: { type: 'boolean' } }, allowPositionals: false, strict: true });
if (values.help || !values.from) {
  console.error(usage);
  process.exit(2);
}

const config = loadConfig();
if (!config.databaseUrl && config.dataDir === ':memory:') {
  console.error('REGISTRY_DATA_DIR must be a directory for the mirror (it writes the registry there).');
  process.exit(2);
}
const started = performance.now();
const backend = await openBackend(config);
const ctx = createServices(backend.repos, backend.archives, config.publicUrl);
const existing = (await ctx.keys.list()).find((k) => k.name === 'mirror' && k.revoked_at === null);
// Mirrored workers belong to a non-admin 'mirror' key (so they are not shown as verified); it writes with admin rights.
const keyId = existing?.id ?? (await ctx.keys.create('mirror', false)).id;
const source = createMirrorSource(values.from);
const target = config.databaseUrl ? 'the PostgreSQL database' : config.dataDir;
console.log(`Mirroring ${source.url} into ${target}...`);
try {
  const report = await mirror(source, ctx.services, { keyId, name: 'mirror', admin: true }, { only: values.only, onProgress: (l) => console.log(l) });
  for (const f of report.failures) console.error(`✗ ${f.worker}${f.version ? `@${f.version}` : ''}: ${f.message}`);
  const summary = `${report.workers} workers: ${report.copied} versions copied, ${report.present} already present, ${report.archives} archives, ` +
    `${report.tags} tags moved, ${report.statuses} statuses, ${report.skills} skills snapshots`;
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  if (report.failures.length > 0) {
    console.error(`Mirrored with ${report.failures.length} failures (${summary}) in ${secs}s. Run the same command again to retry what failed.`);
    process.exitCode = 1;
  } else console.log(`✓ Mirrored ${summary} in ${secs}s.${backend.kind === 'sqlite' ? ' Restart a running registry so its search index includes the copies.' : ''}`);
} catch (err) {
  console.error(`Mirror failed: ${err instanceof Error ? err.message : String(err)}. Run the same command again to resume.`);
  process.exitCode = 1;
} finally {
  await backend.close();
}
