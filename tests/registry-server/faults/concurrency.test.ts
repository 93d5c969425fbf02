import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorEnvelopeSchema } from '@iii-registry/schemas';
import { ADMIN_KEY, binary, expectOk, makeApp, type TestApp } from '../helpers';

/**
 * Races inside one registry: publishes of the same name and version, and compare-and-swap tag moves. better-sqlite3
 * is synchronous, so within one process the transactions serialize; these tests still catch a check done outside
 * the transaction (read, await, write). Real HTTP on a listening socket interleaves the requests' parsing too.
 * The cross-process race (two registries on one data dir) is in tests/e2e/registry-race.test.ts.
 */

const ROUNDS = 50;
let t: TestApp;
let base = '';
beforeAll(async () => {
  t = await makeApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(() => t.close());

const http = async (method: string, path: string, body: unknown, key = ADMIN_KEY) => {
  const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
};

function expectOneWinner(results: { status: number; json: Record<string, any> }[], loserCode: string) {
  const statuses = results.map((r) => r.status).sort();
  expect(statuses, JSON.stringify(results.map((r) => r.json))).toEqual([200, 409]);
  const loser = results.find((r) => r.status === 409);
  expect(ErrorEnvelopeSchema.safeParse(loser?.json).success).toBe(true);
  expect(loser?.json.error.code).toBe(loserCode);
  return results.findIndex((r) => r.status === 200);
}

describe('two concurrent publishes of the same name and version', () => {
  it(`exactly one 200 and one 409, ${ROUNDS} rounds through app.inject`, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const version = `1.0.${i}`;
      const a = binary('race-inject', version, { description: 'from A', readme: `A ${i}` });
      const b = binary('race-inject', version, { description: 'from B', readme: `B ${i}` });
      const winner = expectOneWinner(await Promise.all([t.publish(a), t.publish(b)]), 'version_exists');
      // The stored version is the winner's whole payload, not a mix of the two.
      const stored = (await expectOk(t.get(`/w/race-inject?version=${version}`))).worker;
      expect([stored.description, stored.readme]).toEqual(winner === 0 ? ['from A', `A ${i}`] : ['from B', `B ${i}`]);
    }
    const versions = (await expectOk(t.get('/w/race-inject/versions'))).versions as { version: string }[];
    expect(versions).toHaveLength(ROUNDS);
  });

  it(`exactly one 200 and one 409, ${ROUNDS} rounds over real HTTP, and a brand-new name claimed once`, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      // A fresh name each round also races the INSERT of the worker row (the first publish claims ownership).
      const name = `race-http-${i}`;
      const results = await Promise.all([http('POST', '/publish', binary(name, '0.1.0', { description: 'A' })), http('POST', '/publish', binary(name, '0.1.0', { description: 'B' }))]);
      expectOneWinner(results, 'version_exists');
      expect(await t.count('SELECT COUNT(*) AS n FROM workers WHERE name = ?', [name])).toBe(1);
    }
  });

  it('two different keys racing to claim a new name: one owns it, the other gets 403 or 409, never both 200', async () => {
    const alice = (await t.post('/admin/keys', { name: 'alice' })).json.key.key as string;
    const bob = (await t.post('/admin/keys', { name: 'bob' })).json.key.key as string;
    for (let i = 0; i < ROUNDS; i++) {
      const name = `claim-${i}`;
      const results = await Promise.all([http('POST', '/publish', binary(name, '1.0.0'), alice), http('POST', '/publish', binary(name, '1.0.0'), bob)]);
      const statuses = results.map((r) => r.status).sort();
      expect([[200, 403], [200, 409]], JSON.stringify(results.map((r) => r.json))).toContainEqual(statuses);
      const owner = (await expectOk(t.get(`/w/${name}`))).worker.author.name;
      expect(owner).toBe(results[0].status === 200 ? 'alice' : 'bob');
    }
  });
});

describe('two concurrent tag moves with the same expected_current_version', () => {
  it(`exactly one 200, one 409 tag_conflict, and the tag ends on the winner's version (${ROUNDS} rounds)`, async () => {
    await expectOk(t.publish(binary('tagged', '1.0.0')));
    for (let i = 0; i < ROUNDS; i++) {
      await expectOk(t.publish(binary('tagged', `2.0.${2 * i}-rc.1`)));
      await expectOk(t.publish(binary('tagged', `2.0.${2 * i + 1}-rc.1`)));
    }
    let current: string | null = null;
    for (let i = 0; i < ROUNDS; i++) {
      const targets = [`2.0.${2 * i}-rc.1`, `2.0.${2 * i + 1}-rc.1`];
      const send = (v: string) => (i % 2 === 0 ? t.put('/w/tagged/tags/next', { version: v, expected_current_version: current }) : http('PUT', '/w/tagged/tags/next', { version: v, expected_current_version: current }));
      const results = await Promise.all(targets.map(send));
      const winner = expectOneWinner(results, 'tag_conflict');
      expect(results[winner].json).toEqual({ tag: { name: 'next', version: targets[winner] }, changed: true });
      const loser = results[1 - winner].json.error;
      expect(loser.available).toEqual([targets[winner]]);
      const versions = (await expectOk(t.get('/w/tagged/versions'))).versions as { version: string; tags: string[] }[];
      expect(versions.filter((v) => v.tags.includes('next')).map((v) => v.version)).toEqual([targets[winner]]);
      current = targets[winner];
    }
  });
});
