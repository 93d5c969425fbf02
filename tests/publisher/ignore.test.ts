import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, isIgnored, parseIgnore } from '../../publisher/src/pack/ignore';

const rules = (text: string) => [...DEFAULT_RULES, ...parseIgnore(text)];

describe('.iii-publishignore rules', () => {
  it('matches basenames anywhere, anchored paths from the root, and directories only with a trailing /', () => {
    const r = rules('*.test.js\n/build/tmp.js\nnotes/\n');
    expect(isIgnored('src/a.test.js', false, r)).toBe(true);
    expect(isIgnored('a.js', false, r)).toBe(false);
    expect(isIgnored('build/tmp.js', false, r)).toBe(true);
    expect(isIgnored('src/build/tmp.js', false, r)).toBe(false);
    expect(isIgnored('notes', true, r)).toBe(true);
    expect(isIgnored('notes', false, r)).toBe(false);
  });

  it('lets the last rule win, so an include list is `*` followed by `!` lines', () => {
    const r = rules('*\n!bundle.js\n!iii.worker.yaml\n');
    expect(isIgnored('bundle.js', false, r)).toBe(false);
    expect(isIgnored('src', true, r)).toBe(true);
    expect(isIgnored('README.md', false, r)).toBe(true);
  });

  it('leaves node_modules out unless re-included, and never packs .git or secrets', () => {
    expect(isIgnored('node_modules', true, rules(''))).toBe(true);
    expect(isIgnored('node_modules', true, rules('!node_modules/'))).toBe(false);
    const reinclude = rules('!.env\n!.git/\n!*.pem\n');
    expect(isIgnored('.env', false, reinclude)).toBe(true);
    expect(isIgnored('config/.env.production', false, reinclude)).toBe(true);
    expect(isIgnored('.git', true, reinclude)).toBe(true);
    expect(isIgnored('certs/server.pem', false, reinclude)).toBe(true);
  });

  it('supports ** across directories', () => {
    const r = rules('docs/**/*.png\n');
    expect(isIgnored('docs/a/b/c.png', false, r)).toBe(true);
    expect(isIgnored('docs/c.png', false, r)).toBe(true);
    expect(isIgnored('img/c.png', false, r)).toBe(false);
  });
});
