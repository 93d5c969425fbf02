import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCargoRange, satisfiesRange } from '@iii-registry/schemas';
import { loadSeedCatalog } from '@iii-registry/seed';
import { makeApp, type TestApp } from '../registry-server/helpers';
import { cliRefusal } from '../registry-server/real-clients/lockfile-rules';

/**
 * real-clients.md, seed data that installs: every seed version resolves through POST /resolve as `iii worker add
 * name@version` asks, and the answer passes the checks the CLI runs before writing iii.lock (images pinned by
 * digest, 64-hex sha256, a valid graph, under 1 MiB) and iii-compose's path checks. Every published range is one
 * Rust's semver::VersionReq parses, and READMEs show the real SDK call.
 */

let t: TestApp;
const catalog = loadSeedCatalog();
beforeAll(async () => { t = await makeApp({ REGISTRY_SEED: '1' }); });
afterAll(() => t.close());

describe('seed catalog installs with the real clients', () => {
  it('resolves every seed version exactly, and the CLI would lock the answer', async () => {
    expect(catalog.publishes.length).toBeGreaterThanOrEqual(40);
    for (const p of catalog.publishes) {
      const res = await t.post('/resolve', { worker: p.worker_name, version: p.version }, null);
      expect(res.status, `${p.worker_name}@${p.version}: ${res.body}`).toBe(200);
      expect(cliRefusal(res.body), `${p.worker_name}@${p.version}`).toBeNull();
      // Every dependency edge is satisfied by the version picked for it, read with Cargo rules.
      const versions = Object.fromEntries(res.json.graph.map((n: { name: string; version: string }) => [n.name, n.version]));
      for (const e of res.json.edges as { to: string; range: string }[]) expect(satisfiesRange(versions[e.to], e.range), `${e.to} ${e.range}`).toBe(true);
    }
  });

  it('installs every seed worker by name (`iii worker add name` sends version "latest")', async () => {
    for (const name of new Set(catalog.publishes.map((p) => p.worker_name))) {
      const res = await t.post('/resolve', { worker: name, version: 'latest' }, null);
      expect(res.status, `${name}: ${res.body}`).toBe(200);
      expect(cliRefusal(res.body)).toBeNull();
    }
  });

  it('publishes only Cargo ranges, https artifact URLs, digest-pinned images and 64-hex sha256', () => {
    for (const p of catalog.publishes) {
      const id = `${p.worker_name}@${p.version}`;
      const deps = Array.isArray(p.dependencies) ? p.dependencies : Object.entries(p.dependencies ?? {}).map(([name, version]) => ({ name, version }));
      for (const d of deps) expect(isCargoRange(d.version), `${id} -> ${d.name}@${d.version}`).toBe(true);
      if (p.type === 'image') expect(p.image_tag, id).toMatch(/@sha256:[a-f0-9]{64}$/);
      for (const b of Object.values(p.binaries ?? {})) {
        expect(b.url, id).toMatch(/^https:\/\//);
        expect(b.sha256, id).toMatch(/^[a-f0-9]{64}$/);
      }
      if (p.type === 'bundle' && p.sha256 !== undefined) expect(p.sha256, id).toMatch(/^[a-f0-9]{64}$/);
      expect(p.version, id).not.toContain('+');
    }
  });

  it('shows the real SDK call in READMEs: iii.trigger({ function_id, payload }), never iii.call', () => {
    const readmes = new Map(catalog.publishes.map((p) => [p.worker_name, p.readme ?? '']));
    let examples = 0;
    for (const [name, readme] of readmes) {
      expect(readme, name).not.toMatch(/iii\.call\(/);
      if (/iii\.trigger\(\{/.test(readme)) {
        examples++;
        // Engine built-ins have un-namespaced ids too (pubsub registers `publish`).
        expect(readme, name).toMatch(/function_id: '[a-z0-9_]+(::[a-z0-9_:]+)?'/);
        expect(readme, name).toMatch(/payload: \{/);
      }
    }
    expect(examples).toBeGreaterThanOrEqual(10);
  });
});
