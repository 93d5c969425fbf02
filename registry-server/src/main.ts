import { buildApp } from './app';
import { loadConfig, publicUrlWarnings } from './config';

const config = loadConfig();
const started = performance.now();
const { app, generatedKey, seeded } = await buildApp(config, { logger: true });
if (generatedKey) {
  console.log(`\nGenerated the bootstrap admin API key (shown once, only its hash is stored):\n\n  ${generatedKey}\n\nSet REGISTRY_API_KEY or keep this key to publish.\n`);
}
if (seeded) app.log.info(`seeded ${seeded.versions} versions and ${seeded.skills} skills snapshots`);
for (const warning of publicUrlWarnings(config.publicUrl)) app.log.warn(warning);
await app.listen({ port: config.port, host: config.host });
app.log.info(`registry ready in ${Math.round(performance.now() - started)} ms at ${config.publicUrl} (${config.databaseUrl ? 'data: PostgreSQL (REGISTRY_DATABASE_URL)' : `data: ${config.dataDir}`})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info(`${signal}: closing`);
    app.close().then(() => process.exit(0), () => process.exit(1));
  });
}
