import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, startDirectoryWorker, WORKER_NAME } from './index';

const USAGE = `Usage: iii-directory [--url ws://127.0.0.1:49134] [--registry http://127.0.0.1:3000] [--config iii-directory.yaml] [--cache-ttl-ms 60000] [--project DIR]
  env: III_URL, III_DIRECTORY_REGISTRY_URL, III_DIRECTORY_CONFIG, III_DIRECTORY_CACHE_TTL_MS,
       III_COMPOSE_FILE, III_COMPOSE_DIR, III_DIRECTORY_AGENTS_FOLDER, III_DIRECTORY_SKILLS_FOLDER, CI`;

let config;
try {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      registry: { type: 'string' },
      config: { type: 'string' },
      'cache-ttl-ms': { type: 'string' },
      project: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  config = loadConfig({ flags: values, env: process.env });
} catch (err) {
  const known = err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  console.error(known ? `${(err as Error).message}\n${USAGE}` : err);
  process.exit(2);
}

const worker = startDirectoryWorker(config);
console.error(`[${WORKER_NAME}] engine ${config.url}, registry ${config.registryUrl}, cache TTL ${config.cacheTtlMs} ms`);

let closing = false;
const shutdown = (signal: string): void => {
  if (closing) return;
  closing = true;
  console.error(`[${WORKER_NAME}] ${signal}: shutting down`);
  worker.close().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
