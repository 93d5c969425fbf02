import { describe, expect, it } from 'vitest';
import semver from 'semver';
import { PublishPayloadSchema, validate } from '@iii-registry/schemas';
import { SYNTHETIC_QUERIES, syntheticCatalog } from '@iii-registry/seed';

describe('syntheticCatalog', () => {
  it('is deterministic: same seed, same output; another seed, another output', () => {
    expect(syntheticCatalog(50, { seed: 7 })).toEqual(syntheticCatalog(50, { seed: 7 }));
    const a = syntheticCatalog(50, { seed: 7 });
    const b = syntheticCatalog(50, { seed: 8 });
    expect(a.map((p) => p.worker_name)).not.toEqual(b.map((p) => p.worker_name));
    expect(JSON.stringify(syntheticCatalog(50))).toBe(JSON.stringify(syntheticCatalog(50, { seed: 1 })));
  });

  it('yields n workers with versionsPerWorker versions each, ascending, every payload valid', () => {
    const payloads = syntheticCatalog(300, { seed: 3, versionsPerWorker: 3 });
    expect(payloads).toHaveLength(900);
    const versions = new Map<string, string[]>();
    for (const p of payloads) {
      const r = validate(PublishPayloadSchema, p);
      expect(r.ok ? [] : r.problems, `${p.worker_name}@${p.version}`).toEqual([]);
      versions.set(p.worker_name, [...(versions.get(p.worker_name) ?? []), p.version]);
    }
    expect(versions.size).toBe(300);
    for (const [name, list] of versions) {
      expect(list, name).toHaveLength(3);
      expect(new Set(list).size).toBe(3);
      expect(list, name).toEqual([...list].sort(semver.compare));
    }
  });

  it('has realistic sizes and mixed types', () => {
    const payloads = syntheticCatalog(400, { seed: 11 });
    expect(new Set(payloads.map((p) => p.type))).toEqual(new Set(['binary', 'image', 'bundle', 'engine']));
    for (const p of payloads) {
      expect(p.readme!.length).toBeGreaterThanOrEqual(1024);
      expect(p.readme!.length).toBeLessThanOrEqual(4096);
      expect(p.functions!.length).toBeGreaterThanOrEqual(2);
      expect(p.functions!.length).toBeLessThanOrEqual(6);
      expect(p.description!.length).toBeGreaterThan(20);
    }
  });

  it('depends only on earlier workers, with ranges their published versions satisfy', () => {
    const payloads = syntheticCatalog(500, { seed: 5, versionsPerWorker: 2 });
    const published = new Map<string, string[]>();
    let edges = 0;
    for (const p of payloads) {
      for (const dep of (p.dependencies ?? []) as { name: string; version: string }[]) {
        edges++;
        const candidates = published.get(dep.name) ?? [];
        expect(candidates.length, `${p.worker_name} -> ${dep.name}`).toBeGreaterThan(0);
        expect(semver.maxSatisfying(candidates, dep.version)).not.toBeNull();
      }
      published.set(p.worker_name, [...(published.get(p.worker_name) ?? []), p.version]);
    }
    expect(edges).toBeGreaterThan(10);
  });

  it('answers every sample query: both words occur in some worker text', () => {
    const texts = syntheticCatalog(500, { seed: 2 }).map((p) =>
      [p.worker_name, p.description, p.readme, ...(p.functions ?? []).map((f) => `${f.name} ${f.description}`)].join(' ').toLowerCase(),
    );
    expect(SYNTHETIC_QUERIES.length).toBeGreaterThanOrEqual(20);
    for (const q of SYNTHETIC_QUERIES) {
      const words = q.split(' ');
      expect(words, q).toHaveLength(2);
      expect(texts.some((t) => words.every((w) => t.includes(w))), q).toBe(true);
    }
  });
});
