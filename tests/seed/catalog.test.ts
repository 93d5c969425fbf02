import { describe, expect, it } from 'vitest';
import semver from 'semver';
import {
  KNOWN_TARGETS,
  PublishPayloadSchema,
  SkillsPublishRequestSchema,
  isStable,
  toNpmRange,
  validate,
  type PublishPayload,
} from '@iii-registry/schemas';
import { loadSeedCatalog } from '@iii-registry/seed';

const catalog = loadSeedCatalog();
const parsed: PublishPayload[] = catalog.publishes.map((p) => {
  const r = validate(PublishPayloadSchema, p);
  if (!r.ok) throw new Error(`${p.worker_name}@${p.version}: ${JSON.stringify(r.problems)}`);
  return r.value;
});
const byWorker = new Map<string, PublishPayload[]>();
for (const p of parsed) byWorker.set(p.worker_name, [...(byWorker.get(p.worker_name) ?? []), p]);
const stableVersions = (name: string) => (byWorker.get(name) ?? []).map((p) => p.version).filter(isStable);

describe('seed catalog', () => {
  it('has at least 12 workers with 2 to 4 versions each (engine built-ins: one), no duplicate versions', () => {
    expect(byWorker.size).toBeGreaterThanOrEqual(12);
    for (const [name, versions] of byWorker) {
      expect(versions.length, name).toBeGreaterThanOrEqual(versions[0].type === 'engine' ? 1 : 2);
      expect(versions.length, name).toBeLessThanOrEqual(4);
    }
    const ids = parsed.map((p) => `${p.worker_name}@${p.version}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('validates every payload against PublishPayloadSchema', () => {
    for (const p of catalog.publishes) {
      const r = validate(PublishPayloadSchema, p);
      expect(r.ok ? [] : r.problems, `${p.worker_name}@${p.version}`).toEqual([]);
    }
  });

  it('covers all four worker types', () => {
    expect(new Set(parsed.map((p) => p.type))).toEqual(new Set(['binary', 'image', 'bundle', 'engine']));
  });

  it('publishes each worker ascending by semver', () => {
    for (const [name, versions] of byWorker) {
      const list = versions.map((p) => p.version);
      expect(list, name).toEqual([...list].sort(semver.compare));
    }
  });

  it('resolves every dependency range to a stable seed version of the named worker', () => {
    let edges = 0;
    for (const p of parsed) {
      for (const dep of p.dependencies) {
        edges++;
        const candidates = stableVersions(dep.name);
        expect(candidates.length, `${p.worker_name}@${p.version} -> ${dep.name}`).toBeGreaterThan(0);
        expect(semver.maxSatisfying(candidates, toNpmRange(dep.version) ?? dep.version), `${p.worker_name} -> ${dep.name}@${dep.version}`).not.toBeNull();
      }
    }
    expect(edges).toBeGreaterThanOrEqual(10);
  });

  it('has an acyclic dependency graph', () => {
    const graph = new Map<string, Set<string>>();
    for (const p of parsed) {
      const deps = graph.get(p.worker_name) ?? new Set<string>();
      p.dependencies.forEach((d) => deps.add(d.name));
      graph.set(p.worker_name, deps);
    }
    const state = new Map<string, number>();
    const cyclic = (n: string): boolean => {
      if (state.get(n) === 2) return false;
      if (state.get(n) === 1) return true;
      state.set(n, 1);
      const found = [...(graph.get(n) ?? [])].some(cyclic);
      state.set(n, 2);
      return found;
    };
    expect([...graph.keys()].filter(cyclic)).toEqual([]);
  });

  it('has a prerelease on a non-latest tag, never the newest stable of its worker', () => {
    const pre = parsed.filter((p) => semver.prerelease(p.version) !== null);
    expect(pre.length).toBeGreaterThanOrEqual(1);
    expect(pre.map((p) => `${p.worker_name}@${p.version}`)).toContain('resend-email@1.3.0-rc.1');
    for (const p of pre) {
      expect(p.tag, p.version).toBeDefined();
      expect(p.tag).not.toBe('latest');
      expect(stableVersions(p.worker_name).length).toBeGreaterThan(0);
    }
  });

  it('gives binaries several known targets with https URLs and sha256 digests', () => {
    const binaries = parsed.filter((p) => p.type === 'binary');
    expect(binaries.length).toBeGreaterThan(0);
    for (const p of binaries) {
      const targets = Object.entries(p.binaries ?? {});
      expect(targets.length, p.worker_name).toBeGreaterThanOrEqual(3);
      for (const [target, artifact] of targets) {
        expect(KNOWN_TARGETS as readonly string[]).toContain(target);
        expect(artifact.url).toMatch(/^https:\/\//);
        expect(artifact.sha256).toMatch(/^[a-f0-9]{64}$/);
      }
    }
    for (const p of parsed.filter((x) => x.type === 'bundle')) {
      expect(p.archive_url).toMatch(/^https:\/\//);
      expect(p.sha256).toMatch(/^[a-f0-9]{64}$/);
    }
    for (const p of parsed.filter((x) => x.type === 'image')) expect(p.image_tag).toContain(p.version);
  });

  it('documents functions with real schemas and ids prefixed by the worker name', () => {
    for (const p of parsed.filter((x) => x.type !== 'engine')) {
      expect(p.functions.length, p.worker_name).toBeGreaterThan(0);
      expect(p.readme).toContain(`# ${p.worker_name}`);
      expect(p.readme).toContain(`${p.worker_name} ${p.version}`);
      for (const f of p.functions) {
        expect(f.name.startsWith(`${p.worker_name.replace(/-/g, '_')}::`), f.name).toBe(true);
        expect(f.description.length).toBeGreaterThan(10);
        expect(f.request_schema.type, f.name).toBe('object');
        expect(Object.keys(f.response_schema).length, f.name).toBeGreaterThan(0);
      }
    }
    expect(parsed.some((p) => p.triggers.length > 0 && p.triggers.some((t) => t.name === 'cron_scheduler::cron'))).toBe(true);
  });

  it('inherits and removes functions across versions (extends)', () => {
    const names = (w: string, v: string) => parsed.find((p) => p.worker_name === w && p.version === v)?.functions.map((f) => f.name);
    expect(names('llm-router', '0.6.0')?.length).toBeGreaterThan(0);
    // image-resize carries the real worker's interface: one function in every version.
    expect(names('image-resize', '0.1.2')).toEqual(['image_resize::resize']);
    expect(names('auth-jwt', '2.1.0')).toContain('auth_jwt::decode');
    expect(names('auth-jwt', '3.0.0')).not.toContain('auth_jwt::decode');
    expect(parsed.find((p) => p.worker_name === 'image-resize' && p.version === '0.1.2')?.config).toMatchObject({ max_input_bytes: 26214400 });
  });

  it('attaches valid skills to the newest stable version of each worker', () => {
    expect(catalog.skills.length).toBeGreaterThanOrEqual(12);
    for (const s of catalog.skills) {
      const r = validate(SkillsPublishRequestSchema, { version: s.version, skills: s.skills });
      expect(r.ok ? [] : r.problems, s.worker).toEqual([]);
      expect(Object.keys(s.skills)).toContain('SKILL.md');
      expect(byWorker.get(s.worker)?.some((p) => p.version === s.version)).toBe(true);
    }
    const newest = (w: string) => stableVersions(w).sort(semver.rcompare)[0];
    for (const w of new Set(catalog.skills.map((s) => s.worker)))
      expect(catalog.skills.some((s) => s.worker === w && s.version === newest(w)), w).toBe(true);
    const resize = catalog.skills.find((s) => s.worker === 'image-resize');
    expect(Object.keys(resize?.skills ?? {}).sort()).toEqual(['SKILL.md', 'skills/recipes/thumbnails.md']);
    expect(catalog.skills.filter((s) => s.worker === 'todo-list').length).toBeGreaterThan(0);
  });
});
