import path from 'node:path';

export interface RegistryConfig {
  port: number;
  host: string;
  /** Holds registry.db and archives/. ':memory:' keeps the database in memory (tests). */
  dataDir: string;
  /** Base of absolute URLs the registry hands out (archive_url, llms.txt links). */
  publicUrl: string;
  /** Bootstrap admin key; when unset on first start, one is generated and printed once. */
  apiKey?: string;
  seed: boolean;
  /** Reads per IP per minute; 0 disables. */
  readRateLimit: number;
  /** Writes per API key per minute; 0 disables. */
  publishRateLimit: number;
  /** Largest JSON body accepted (bytes). */
  bodyLimit: number;
  logLevel: string;
  /** postgres://... selects PostgreSQL (stateless replicas); unset keeps SQLite in dataDir. */
  databaseUrl?: string;
  /** PostgreSQL connections per replica. */
  databasePool: number;
}

const int = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${value}'`);
  return n;
};

function databaseOf(env: NodeJS.ProcessEnv): Pick<RegistryConfig, 'databaseUrl' | 'databasePool'> {
  const url = env.REGISTRY_DATABASE_URL?.trim() || undefined;
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url))
    throw new Error(`REGISTRY_DATABASE_URL must be a postgres:// URL (unset it to use SQLite), got '${url.replace(/\/\/[^@]*@/, '//***@')}'`);
  return { databaseUrl: url, databasePool: Math.max(1, int(env.REGISTRY_DATABASE_POOL, 10, 'REGISTRY_DATABASE_POOL')) };
}

/** Reads the environment once; every setting is documented in the README. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  const port = int(env.PORT, 3000, 'PORT');
  const host = env.HOST?.trim() || '127.0.0.1';
  const dataDir = env.REGISTRY_DATA_DIR?.trim() || './data';
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    port,
    host,
    dataDir: dataDir === ':memory:' ? dataDir : path.resolve(dataDir),
    publicUrl: (env.REGISTRY_PUBLIC_URL?.trim() || `http://${shownHost}:${port}`).replace(/\/+$/, ''),
    apiKey: env.REGISTRY_API_KEY?.trim() || undefined,
    seed: env.REGISTRY_SEED !== '0',
    readRateLimit: int(env.REGISTRY_READ_RATE_LIMIT, 1200, 'REGISTRY_READ_RATE_LIMIT'),
    publishRateLimit: int(env.REGISTRY_PUBLISH_RATE_LIMIT, 60, 'REGISTRY_PUBLISH_RATE_LIMIT'),
    bodyLimit: int(env.REGISTRY_BODY_LIMIT, 8 * 1024 * 1024, 'REGISTRY_BODY_LIMIT'),
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    ...databaseOf(env),
  };
}
