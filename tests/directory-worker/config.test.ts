import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, loadConfig } from '../../directory-worker/src/config';

const dir = mkdtempSync(join(tmpdir(), 'iii-directory-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('config', () => {
  it('defaults', () => {
    expect(loadConfig({ flags: {}, env: {} })).toEqual(DEFAULTS);
    expect(DEFAULTS.url).toBe('ws://127.0.0.1:49134');
    expect(DEFAULTS.registryUrl).toBe('http://127.0.0.1:3000');
  });

  it('reads the YAML file; env beats the file; flags beat env', () => {
    const config = file('a.yaml', 'registry_url: http://file:1\ndownload_timeout_ms: 1234\nregistry_cache_ttl_ms: 0\n');
    expect(loadConfig({ flags: { config }, env: {} })).toEqual({
      url: DEFAULTS.url, registryUrl: 'http://file:1', downloadTimeoutMs: 1234, cacheTtlMs: 0 });
    expect(loadConfig({ flags: { config }, env: { III_DIRECTORY_REGISTRY_URL: 'http://env:2', III_URL: 'ws://e:3' } }))
      .toMatchObject({ registryUrl: 'http://env:2', url: 'ws://e:3' });
    expect(loadConfig({ flags: { config, registry: 'http://flag:4', url: 'ws://f:5', 'cache-ttl-ms': '7' },
      env: { III_DIRECTORY_REGISTRY_URL: 'http://env:2', III_URL: 'ws://e:3' } }))
      .toMatchObject({ registryUrl: 'http://flag:4', url: 'ws://f:5', cacheTtlMs: 7 });
  });

  it('refuses unknown keys, bad values and bad URLs with messages that say what to fix', () => {
    const unknown = file('b.yaml', 'registry: http://x\n');
    expect(() => loadConfig({ flags: { config: unknown }, env: {} })).toThrow(/unknown key\(s\) registry.*allowed keys/);
    const negative = file('c.yaml', 'registry_cache_ttl_ms: -1\n');
    expect(() => loadConfig({ flags: { config: negative }, env: {} })).toThrow(/registry_cache_ttl_ms/);
    expect(() => loadConfig({ flags: { config: join(dir, 'missing.yaml') }, env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ flags: { url: 'http://not-ws' }, env: {} })).toThrow(/--url .* must use ws: or wss:/);
    expect(() => loadConfig({ flags: { 'cache-ttl-ms': 'soon' }, env: {} })).toThrow(/--cache-ttl-ms/);
  });
});
