import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export interface DirectoryConfig {
  /** The iii engine's WebSocket URL. */
  url: string;
  /** The registry's base URL (GET /w, GET /w/{slug}, GET /w/{slug}/skills). */
  registryUrl: string;
  /** Timeout of each registry HTTP request. */
  downloadTimeoutMs: number;
  /** How long an answer stays fresh; 0 disables the cache. */
  cacheTtlMs: number;
  /** Kits: the project (next to worker-compose.yaml); default III_COMPOSE_FILE's folder, III_COMPOSE_DIR, or the cwd. */
  projectDir?: string;
  agentsFolder?: string;
  skillsFolder?: string;
  registryWebUrl?: string;
  /** First kit update check after start, then every interval (15 s and 6 h; shorter in tests). */
  kitUpdatesDelayMs?: number;
  kitUpdatesIntervalMs?: number;
}

export const DEFAULTS: DirectoryConfig = {
  url: 'ws://127.0.0.1:49134',
  registryUrl: 'http://127.0.0.1:3000',
  downloadTimeoutMs: 10_000,
  cacheTtlMs: 60_000,
};

/** The YAML config file, with the key names of the Rust iii-directory's config. */
const ConfigFileSchema = z.strictObject({
  registry_url: z.url().optional(),
  download_timeout_ms: z.number().int().min(1).optional(),
  registry_cache_ttl_ms: z.number().int().min(0).optional(),
  registry_web_url: z.url().optional(),
  agents_folder: z.string().min(1).optional(),
  skills_folder: z.string().min(1).optional(),
  kit_updates_delay_ms: z.number().int().min(0).optional(),
  kit_updates_interval_ms: z.number().int().min(1000).optional(),
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface ConfigSources {
  flags: { url?: string; registry?: string; config?: string; 'cache-ttl-ms'?: string; project?: string };
  env: Record<string, string | undefined>;
}

function readConfigFile(path: string): z.infer<typeof ConfigFileSchema> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read config file ${path}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text) ?? {};
  } catch (err) {
    throw new ConfigError(`Config file ${path} is not valid YAML: ${(err as Error).message}`);
  }
  const parsed = ConfigFileSchema.safeParse(doc);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) =>
      i.code === 'unrecognized_keys' ? `unknown key(s) ${i.keys.join(', ')}` : `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Config file ${path}: ${problems.join('; ')} (allowed keys: registry_url, download_timeout_ms, registry_cache_ttl_ms, registry_web_url, agents_folder, skills_folder, kit_updates_delay_ms, kit_updates_interval_ms)`);
  }
  return parsed.data;
}

function nonNegativeInt(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${what} must be a whole number of milliseconds, got '${value}'`);
  return n;
}

function checkUrl(value: string, what: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${what} is not a URL: '${value}'`);
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(`${what} must use ${protocols.join(' or ')}, got '${value}'`);
  return value;
}

/** Flags beat environment variables, which beat the config file, which beats the defaults. */
export function loadConfig({ flags, env }: ConfigSources): DirectoryConfig {
  const configPath = flags.config ?? env.III_DIRECTORY_CONFIG;
  const file = configPath ? readConfigFile(configPath) : {};
  const ttl = flags['cache-ttl-ms'] ?? env.III_DIRECTORY_CACHE_TTL_MS;
  return {
    url: checkUrl(flags.url ?? env.III_URL ?? DEFAULTS.url, '--url / III_URL', ['ws:', 'wss:']),
    registryUrl: checkUrl(flags.registry ?? env.III_DIRECTORY_REGISTRY_URL ?? file.registry_url ?? DEFAULTS.registryUrl,
      '--registry / III_DIRECTORY_REGISTRY_URL', ['http:', 'https:']),
    downloadTimeoutMs: file.download_timeout_ms ?? DEFAULTS.downloadTimeoutMs,
    cacheTtlMs: ttl !== undefined ? nonNegativeInt(ttl, '--cache-ttl-ms') : (file.registry_cache_ttl_ms ?? DEFAULTS.cacheTtlMs),
    projectDir: flags.project,
    agentsFolder: env.III_DIRECTORY_AGENTS_FOLDER ?? file.agents_folder,
    skillsFolder: env.III_DIRECTORY_SKILLS_FOLDER ?? file.skills_folder,
    registryWebUrl: file.registry_web_url,
    kitUpdatesDelayMs: env.III_DIRECTORY_KIT_UPDATES_DELAY_MS !== undefined
      ? nonNegativeInt(env.III_DIRECTORY_KIT_UPDATES_DELAY_MS, 'III_DIRECTORY_KIT_UPDATES_DELAY_MS') : file.kit_updates_delay_ms,
    kitUpdatesIntervalMs: env.III_DIRECTORY_KIT_UPDATES_INTERVAL_MS !== undefined
      ? nonNegativeInt(env.III_DIRECTORY_KIT_UPDATES_INTERVAL_MS, 'III_DIRECTORY_KIT_UPDATES_INTERVAL_MS') : file.kit_updates_interval_ms,
  };
}
