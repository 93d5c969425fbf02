import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_CATALOG_DIR, SeedCatalogError, type SeedProblem, loadCatalogFrom } from '@iii-registry/seed';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seed-catalog-'));
  cpSync(SEED_CATALOG_DIR, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Loads the temp copy and returns the problems it must report. */
function problemsOf(): SeedProblem[] {
  try {
    loadCatalogFrom(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(SeedCatalogError);
    return (err as SeedCatalogError).problems;
  }
  throw new Error('expected the broken catalog to be refused');
}

const edit = (rel: string, change: (text: string) => string) => {
  const file = join(dir, rel);
  writeFileSync(file, change(readFileSync(file, 'utf8')));
  return file;
};

describe('broken seed files', () => {
  it('loads the untouched copy', () => {
    expect(loadCatalogFrom(dir).publishes.length).toBeGreaterThan(30);
  });

  it('names the file and JSON path of an invalid field, and of a problem in the built payload', () => {
    const a = edit('geo-ip/versions/1.0.0.yaml', (t) => t.replace('name: geo_ip::lookup', 'name: 42'));
    const b = edit('todo-list/worker.yaml', (t) => t.replace('type: bundle', 'type: container'));
    const problems = problemsOf();
    expect(problems).toContainEqual(expect.objectContaining({ file: a, path: 'functions[0].name' }));
    expect(problems).toContainEqual(expect.objectContaining({ file: b, path: 'type' }));
    const err = (() => { try { loadCatalogFrom(dir); } catch (e) { return e as Error; } })();
    expect(err?.message).toContain(`${a}: functions[0].name:`);
  });

  it('reports YAML syntax errors and unknown fields with their location', () => {
    const a = edit('pdf-extract/versions/0.2.0.yaml', (t) => `${t}\nfunctions: [oops\n`);
    const b = edit('s3-storage/versions/0.5.0.yaml', (t) => `image_tagg: x\n${t}`);
    const problems = problemsOf();
    expect(problems.find((p) => p.file === a)?.path).toMatch(/^line \d+, column \d+$/);
    expect(problems).toContainEqual({ file: b, path: 'image_tagg', message: 'unknown field' });
  });

  it('refuses a payload the registry would refuse (artifact rules, duplicates)', () => {
    const a = edit('postgres-query/versions/0.9.0.yaml', (t) => t.replace(/^image_tag: .*$/m, ''));
    const b = edit('iii-state/versions/0.22.0.yaml', (t) => t.replace('- name: state::delete', '- name: state::get'));
    const problems = problemsOf();
    expect(problems).toContainEqual(expect.objectContaining({ file: a, path: 'image_tag' }));
    expect(problems).toContainEqual(expect.objectContaining({ file: b, path: 'functions[2].name' }));
  });

  it('refuses unresolvable dependencies and cycles', () => {
    const a = edit('geo-ip/versions/1.1.0.yaml', (t) => `dependencies:\n  configuration: ^9.0.0\n  no-such-worker: '*'\n${t}`);
    edit('iii-state/versions/0.22.0.yaml', (t) => `dependencies:\n  todo-list: ^0.1.0\n${t}`);
    const problems = problemsOf();
    expect(problems).toContainEqual(expect.objectContaining({ file: a, path: 'dependencies.configuration' }));
    expect(problems).toContainEqual(expect.objectContaining({ file: a, path: 'dependencies.no-such-worker' }));
    const cycle = problems.find((p) => p.message.startsWith('dependency cycle'));
    expect(cycle?.message).toMatch(/(iii-state -> todo-list -> iii-state|todo-list -> iii-state -> todo-list)/);
  });

  it('checks extends targets, folder names and version file names', () => {
    const a = edit('geo-ip/versions/1.1.0.yaml', (t) => t.replace('extends: 1.0.0', 'extends: 0.9.0'));
    const b = edit('slack-notify/worker.yaml', (t) => t.replace('name: slack-notify', 'name: slack-notifier'));
    writeFileSync(join(dir, 'todo-list/versions/v0.3.yaml'), 'extends: 0.2.0\n');
    const problems = problemsOf();
    expect(problems).toContainEqual(expect.objectContaining({ file: a, path: 'extends' }));
    expect(problems).toContainEqual(expect.objectContaining({ file: b, path: 'name' }));
    expect(problems).toContainEqual(expect.objectContaining({ file: join(dir, 'todo-list/versions/v0.3.yaml'), path: '(file name)' }));
  });

  it('requires skill frontmatter and a README', () => {
    const skill = edit('image-resize/skills/recipes/thumbnails.md', (t) => t.replace(/^---[\s\S]*?---\n/, ''));
    rmSync(join(dir, 'geo-ip/README.md'));
    const problems = problemsOf();
    expect(problems).toContainEqual(expect.objectContaining({ file: skill, path: 'frontmatter' }));
    expect(problems).toContainEqual(expect.objectContaining({ file: join(dir, 'geo-ip/README.md') }));
  });
});
