import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { binary, expectOk, makeApp, type TestApp } from '../helpers';

/**
 * GET /w/{slug} and POST /resolve reuse serialized responses while a "stamp" is unchanged. Writes that land within
 * one clock millisecond (fast CI publishes, or a clock stepped back by NTP) must still be visible on the next read.
 * The clock is frozen (only Date is faked) so every write shares one timestamp: the worst case, deterministically.
 */

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-05-04T12:00:00.000Z') });
});
afterEach(async () => {
  vi.useRealTimers();
  await t.close();
});

const latestOf = async (name: string) => (await expectOk(t.get(`/w/${name}`))).worker.version as string;
const resolved = async (name: string, version = 'latest') => (await expectOk(t.post('/resolve', { worker: name, version }))).root.version as string;

describe('cached reads after writes within the same millisecond', () => {
  it('GET /w/{slug} shows the new latest right after a publish', async () => {
    await expectOk(t.publish(binary('same-ms', '1.0.0')));
    expect(await latestOf('same-ms')).toBe('1.0.0');
    await expectOk(t.publish(binary('same-ms', '1.0.1')));
    expect(await latestOf('same-ms')).toBe('1.0.1');
  });

  it('POST /resolve picks the new version right after a publish', async () => {
    await expectOk(t.publish(binary('same-ms-r', '1.0.0')));
    expect(await resolved('same-ms-r', '^1.0.0')).toBe('1.0.0');
    await expectOk(t.publish(binary('same-ms-r', '1.1.0')));
    expect(await resolved('same-ms-r', '^1.0.0')).toBe('1.1.0');
  });

  it('GET /w/{slug} and POST /resolve stop offering a version right after it is yanked', async () => {
    await expectOk(t.publish(binary('same-ms-y', '1.0.0')));
    await expectOk(t.publish(binary('same-ms-y', '1.0.1')));
    expect(await latestOf('same-ms-y')).toBe('1.0.1');
    expect(await resolved('same-ms-y')).toBe('1.0.1');
    await expectOk(t.post('/w/same-ms-y/versions/1.0.1/status', { status: 'yanked', message: 'broken build' }));
    expect(await latestOf('same-ms-y')).toBe('1.0.0');
    expect(await resolved('same-ms-y')).toBe('1.0.0');
  });

  it('GET /w/{slug} follows a tag move right after it', async () => {
    await expectOk(t.publish(binary('same-ms-t', '1.0.0')));
    await expectOk(t.publish(binary('same-ms-t', '2.0.0')));
    expect(await latestOf('same-ms-t')).toBe('2.0.0');
    await expectOk(t.put('/w/same-ms-t/tags/latest', { version: '1.0.0', expected_current_version: '2.0.0' }));
    expect(await latestOf('same-ms-t')).toBe('1.0.0');
  });

  it('POST /resolve sees a dependency published in the same millisecond as the last catalog change', async () => {
    await expectOk(t.publish(binary('dep-x', '1.0.0')));
    await expectOk(t.publish(binary('app-x', '1.0.0', { dependencies: { 'dep-x': '^1.0.0' } })));
    const before = await expectOk(t.post('/resolve', { worker: 'app-x', version: 'latest' }));
    expect(before.graph.find((n: { name: string }) => n.name === 'dep-x').version).toBe('1.0.0');
    await expectOk(t.publish(binary('dep-x', '1.2.0')));
    const after = await expectOk(t.post('/resolve', { worker: 'app-x', version: 'latest' }));
    expect(after.graph.find((n: { name: string }) => n.name === 'dep-x').version).toBe('1.2.0');
  });
});
