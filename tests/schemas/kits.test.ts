import { describe, expect, it } from 'vitest';
import {
  KitDetailResponseSchema,
  KitFilesSchema,
  KitUpdateQuerySchema,
  KitManifestSchema,
  kitManifestJsonSchema,
  kitSkillId,
  KIT_HANDLE_PATTERN,
  KIT_NAME_PATTERN,
} from '@iii-registry/schemas';

/** The client-view schemas model serde: defaults for missing fields, null only where Rust has Option. */
describe('kit wire schemas follow the Rust field rules', () => {
  it('accepts the wiremock detail of the client test, unknown fields ignored, defaults filled', () => {
    const { kit } = KitDetailResponseSchema.parse({ kit: { id: 'acme/kanban-team', name: 'kanban-team', version: '1.3.0',
      author: { handle: 'acme', name: 'Acme', verified: true },
      agents: [{ id: 'planner', path: 'agents/planner.md', sha256: 'aa', model: 'opus' }],
      workers: [{ name: 'kanban', range: '^1.4', resolved: '1.6.1' }], unknown_field: 1 } });
    expect(kit.agents[0]).toMatchObject({ skills: [], functions: [], model: 'opus' });
    expect(kit.release_tags).toEqual({});
    expect(kit.counts).toEqual({ agents: 0, skills: 0, workers: 0 });
    expect('unknown_field' in kit).toBe(false);
  });

  it('refuses null where serde would (String, Vec, bool, map) and accepts it for Option', () => {
    expect(KitDetailResponseSchema.safeParse({ kit: { version: null } }).success).toBe(false);
    expect(KitDetailResponseSchema.safeParse({ kit: { tags: null } }).success).toBe(false);
    expect(KitDetailResponseSchema.safeParse({ kit: { release_tags: null } }).success).toBe(false);
    expect(KitDetailResponseSchema.safeParse({ kit: { author: { handle: 'a', verified: null } } }).success).toBe(false);
    expect(KitDetailResponseSchema.safeParse({ kit: { total_downloads: -1 } }).success).toBe(false);
    expect(KitDetailResponseSchema.safeParse({ kit: { description: null, deprecation: null, total_downloads: null } }).success).toBe(true);
  });

  it('KitFile.path and every UpdateQuery field are required', () => {
    expect(KitFilesSchema.safeParse({ files: [{ content: 'x' }] }).success).toBe(false);
    expect(KitFilesSchema.safeParse({ files: [{ path: 'agents/a.md' }] }).success).toBe(true);
    expect(KitUpdateQuerySchema.safeParse({ kit: 'a/b', version: '1.0.0' }).success).toBe(false);
  });

  it('handle and name rules, and the skill id the client derives', () => {
    expect(KIT_HANDLE_PATTERN.test('a'.repeat(39))).toBe(true);
    expect(KIT_HANDLE_PATTERN.test('a'.repeat(40))).toBe(false);
    expect(KIT_NAME_PATTERN.test('kanban_team')).toBe(false);
    expect(KIT_NAME_PATTERN.test('-x')).toBe(false);
    expect(kitSkillId('acme', 'kanban-team', 'skills/tickets/flow.md')).toBe('acme/kanban-team/tickets/flow');
    expect(kitSkillId('acme', 'kanban-team', 'skills/SKILL.md')).toBe('acme/kanban-team/index');
    expect(kitSkillId('acme', 'kanban-team', 'skills/tickets/SKILLS.md')).toBe('acme/kanban-team/tickets/index');
  });

  it('the manifest needs kit and version; its JSON Schema says so', () => {
    expect(KitManifestSchema.safeParse({ kit: 'acme/x', version: '1.0.0' }).success).toBe(true);
    expect(KitManifestSchema.safeParse({ kit: 'acme', version: '1.0.0' }).success).toBe(false);
    expect(KitManifestSchema.safeParse({ kit: 'acme/x', version: '1.0.0', files: [] }).success).toBe(false);
    const schema = kitManifestJsonSchema();
    expect(schema.required).toEqual(['kit', 'version']);
    expect(Object.keys(schema.properties as object)).toEqual(expect.arrayContaining(['workers', 'tags', 'notes', 'tag', 'readme']));
  });
});
