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
  /** Failed authentications per client address and per key prefix per minute; 0 disables. */
  authFailureLimit: number;
  /** Largest JSON body accepted (bytes). */
  bodyLimit: number;
  logLevel: string;
  /** The upstream proxy (README, "Upstream proxy"); absent when REGISTRY_UPSTREAM_URL is unset. */
  upstream?: { url: string; ttlMs: number; timeoutMs: number; maxBytes: number; maxRedirects: number };
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
    authFailureLimit: int(env.REGISTRY_AUTH_FAILURE_LIMIT, 10, 'REGISTRY_AUTH_FAILURE_LIMIT'),
    bodyLimit: int(env.REGISTRY_BODY_LIMIT, 8 * 1024 * 1024, 'REGISTRY_BODY_LIMIT'),
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    upstream: upstreamOf(env),
    ...databaseOf(env),
  };
}

function upstreamOf(env: NodeJS.ProcessEnv): RegistryConfig['upstream'] {
  const raw = env.REGISTRY_UPSTREAM_URL?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`REGISTRY_UPSTREAM_URL must be an http(s) URL, got '${raw}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`REGISTRY_UPSTREAM_URL must be an http(s) URL, got '${raw}'`);
  return {
    url: url.toString().replace(/\/+$/, ''),
    ttlMs: int(env.REGISTRY_UPSTREAM_TTL, 300, 'REGISTRY_UPSTREAM_TTL') * 1000,
    timeoutMs: int(env.REGISTRY_UPSTREAM_TIMEOUT_MS, 5000, 'REGISTRY_UPSTREAM_TIMEOUT_MS'),
    maxBytes: int(env.REGISTRY_UPSTREAM_MAX_BYTES, 8 * 1024 * 1024, 'REGISTRY_UPSTREAM_MAX_BYTES'),
    maxRedirects: 3,
  };
}

const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]' || host === '0.0.0.0';

/**
 * What to say at start-up about the public URL. Hosted bundles are handed out as `${publicUrl}/archives/...`: the iii
 * CLI refuses loopback archive URLs (unless III_BUNDLE_DEV_LOOPBACK=1) and iii-compose fetches https only.
 */
export function publicUrlWarnings(publicUrl: string): string[] {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return [`REGISTRY_PUBLIC_URL '${publicUrl}' is not a URL: hosted bundles get unusable archive_url values. Set it to the registry's public https address.`];
  }
  if (isLoopbackHost(url.hostname))
    return [`REGISTRY_PUBLIC_URL is ${publicUrl}, a loopback address: hosted bundles' archive_url point there, which \`iii worker add\` refuses (unless III_BUNDLE_DEV_LOOPBACK=1) and iii-compose cannot fetch. Set REGISTRY_PUBLIC_URL to the registry's public https address in production.`];
  if (url.protocol !== 'https:')
    return [`REGISTRY_PUBLIC_URL is ${publicUrl}, not https: iii-compose only fetches https archive URLs. Set REGISTRY_PUBLIC_URL to the registry's public https address.`];
  return [];
}
