import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rangeReadings, rangeWarnings } from '../../publisher/src/range-readings';
import { runCli } from './run-cli';

describe('how npm and Cargo read a dependency range', () => {
  it.each([
    // [range, npm reading, Cargo reading]
    ['1.2.3', '1.2.3', '>=1.2.3 <2.0.0-0'],
    ['1.2', '>=1.2.0 <1.3.0-0', '>=1.2.0 <2.0.0-0'],
    ['>=0.21, <0.23', '>=0.21.0 <0.23.0-0', '>=0.21.0 <0.23.0-0'],
    ['>=1 <2', '>=1.0.0 <2.0.0-0', null],
    ['^1||^2', '>=1.0.0 <2.0.0-0||>=2.0.0 <3.0.0-0', null],
    ['v1.2.3', '1.2.3', null],
    ['1.*', '>=1.0.0 <2.0.0-0', '>=1.0.0 <2.0.0-0'],
  ])('%s', (range, npm, cargo) => {
    expect(rangeReadings(range)).toEqual({ npm, cargo });
  });

  it('warns where the readings differ, naming the dependency and both readings', () => {
    const warnings = rangeWarnings({ bare: '1.2.3', partial: '1.2', spaced: '>=1 <2', either: '^1 || ^2', empty: '' });
    expect(warnings).toEqual([
      'dependencies.bare: "1.2.3" means >=1.2.3 <2.0.0 for Cargo and this registry (a bare version is ^version), but npm reads 1.2.3; write "^1.2.3" or "=1.2.3" to say which',
      'dependencies.partial: "1.2" means >=1.2.0 <2.0.0 for Cargo and this registry (a bare version is ^version), but npm reads >=1.2.0 <1.3.0; write "^1.2" or "=1.2" to say which',
      'dependencies.spaced: ">=1 <2": npm reads >=1.0.0 <2.0.0, but the iii CLI (Cargo semver) refuses it; write it with commas, e.g. ">=1, <2"',
      'dependencies.either: "^1 || ^2": npm reads >=1.0.0 <2.0.0||>=2.0.0 <3.0.0, but the iii CLI (Cargo semver) refuses it; Cargo has no `||` or hyphen ranges: use one comma-separated range',
      'dependencies.empty: an empty range means any version here, but the iii CLI refuses it; write "*"',
    ]);
  });

  it('stays quiet where both read the same', () => {
    expect(rangeWarnings({ a: '^1.2.3', b: '~0.5', c: '>=0.21, <0.23', d: '*', e: '0.2', f: '1', g: '0.0.3', h: '=1.2.3', i: '1.x' })).toEqual([]);
  });

  it('iii-publish validate prints the warning for a bare version and still passes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'iii-publish-ranges-'));
    await writeFile(path.join(dir, 'iii.worker.yaml'), 'name: ranges\nversion: 0.1.0\ndeploy: image\ndependencies:\n  iii-state: "0.21.1"\n  iii-http: "^0.21.0"\n');
    await writeFile(path.join(dir, 'README.md'), '# ranges');
    const r = await runCli(['validate', '--dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: dependencies.iii-state: "0.21.1" means >=0.21.1 <0.22.0 for Cargo and this registry');
    expect(r.stderr).toContain('but npm reads 0.21.1');
    expect(r.stderr).not.toContain('iii-http');
  });
});
