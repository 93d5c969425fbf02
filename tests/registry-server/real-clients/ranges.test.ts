import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cargoToNpmRange, satisfiesRange } from '@iii-registry/schemas';
import { binary, engine, expectError, expectOk, makeApp, type TestApp } from '../helpers';
import { cliRefusal } from './lockfile-rules';

/**
 * real-clients.md "Versions, ranges, tags": ranges arrive in Rust `semver::VersionReq` syntax (worker_manifest_deps.rs
 * validates them and the CLI sends them unchanged to /resolve). Decided: a bare 1.2.3 inside a range is ^1.2.3
 * (Cargo); prereleases match only where a comparator names one of the same major.minor.patch.
 */

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
  for (const v of ['0.20.0', '0.21.0', '0.21.4', '0.22.1', '0.23.0', '0.23.1-rc.1', '1.2.0-rc.0', '1.2.0-rc.4', '1.3.0-rc.1'])
    await expectOk(t.publish(engine('state', v)));
});
afterEach(async () => t.close());

const resolve = (worker: string, version: string) => t.post('/resolve', { worker, version }, null);

describe('real clients: Cargo ranges', () => {
  it('reads the comma form as Cargo does, and a bare version as a caret range', () => {
    expect(cargoToNpmRange('>=0.21, <0.23')).toBe('>=0.21 <0.23');
    expect(cargoToNpmRange('1.2.3')).toBe('^1.2.3');
    expect(cargoToNpmRange('>=2 <3')).toBeNull(); // Cargo refuses it, so must a publish
    expect(satisfiesRange('0.22.1', '>=0.21, <0.23')).toBe(true);
    expect(satisfiesRange('0.23.0', '>=0.21, <0.23')).toBe(false);
  });

  it('accepts a comma range in /resolve exactly as the CLI sends it', async () => {
    const res = await resolve('state', '>=0.21, <0.23');
    expect(res.status, res.body).toBe(200);
    expect(res.json.root.version).toBe('0.22.1');
    expect(cliRefusal(res.body)).toBeNull();
  });

  it('accepts a comma range in GET /download?version=', async () => {
    await expectOk(t.publish(binary('tool', '0.21.9')));
    await expectOk(t.publish(binary('tool', '0.22.5')));
    await expectOk(t.publish(binary('tool', '0.23.0')));
    const res = await t.get(`/download/tool?version=${encodeURIComponent('>=0.21, <0.23')}`);
    expect(res.status, res.body).toBe(200);
    expect(res.json.version).toBe('0.22.5');
  });

  it('publishes comma ranges as dependencies, stores them as sent, and resolves a bare version as ^', async () => {
    await expectOk(t.publish(binary('app', '1.0.0', { dependencies: [{ name: 'state', version: '>=0.21, <0.23' }] })));
    await expectOk(t.publish(binary('bare', '1.0.0', { dependencies: { state: '0.21.0' } })));
    expect((await t.get('/w/app')).json.worker.dependencies).toEqual([{ name: 'state', version: '>=0.21, <0.23' }]);
    const app = await resolve('app', '1.0.0');
    expect(app.json.graph.find((n: { name: string }) => n.name === 'state').version).toBe('0.22.1');
    expect(app.json.edges).toEqual([{ from: 'app', to: 'state', range: '>=0.21, <0.23' }]);
    expect(cliRefusal(app.body)).toBeNull();
    // Cargo reads `0.21.0` as ^0.21.0: the highest 0.21.x, not exactly 0.21.0.
    const bare = await resolve('bare', '1.0.0');
    expect(bare.json.graph.find((n: { name: string }) => n.name === 'state').version).toBe('0.21.4');
  });

  it('refuses a dependency range Cargo cannot parse, with its Cargo spelling as the fix', async () => {
    for (const [range, fix] of [['>=0.21 <0.23', 'write it as ">=0.21, <0.23"'], ['', 'write "*" for any version'], ['^1 || ^2', 'separated by commas']]) {
      const err = expectError(await t.post('/publish', binary('npm', '1.0.0', { dependencies: { state: range } })), 422, 'validation_failed');
      expect(err.problems?.[0].path).toBe('dependencies.state');
      expect(err.problems?.[0].message).toContain('semver::VersionReq');
      expect(err.fix).toContain(fix);
    }
    // Still accepted in requests, where people type npm ranges too.
    expect((await expectOk(resolve('state', '>=0.21 <0.23'))).root.version).toBe('0.22.1');
  });

  it('matches prereleases only for a range naming one of the same major.minor.patch', async () => {
    expect((await expectOk(resolve('state', '^1.2.0-rc.0'))).root.version).toBe('1.2.0-rc.4');
    expect((await expectOk(resolve('state', '>=0.23.1-rc.0, <0.24'))).root.version).toBe('0.23.1-rc.1');
    expect((await expectOk(resolve('state', '^0.23'))).root.version).toBe('0.23.0');
    expectError(await resolve('state', '^1.3.0'), 422, 'version_not_found');
    expect(satisfiesRange('1.3.0-rc.1', '^1.2.0-rc.0')).toBe(false);
    await expectOk(t.publish(binary('pre-dep', '1.0.0', { dependencies: { state: '^1.2.0-rc.0' } })));
    const res = await resolve('pre-dep', '1.0.0');
    expect(res.json.graph.find((n: { name: string }) => n.name === 'state').version).toBe('1.2.0-rc.4');
  });
});
