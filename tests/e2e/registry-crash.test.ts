import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { PublishPayloadIn } from '@iii-registry/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_ADMIN_KEY, startRegistryProcess, type RegistryProcess } from '../helpers/registry-process';
import { entry, withManifest, writeTarGz } from '../registry-server/helpers/tar-fixtures';

/**
 * A registry process SIGKILLed while many large publishes are in flight. After each kill: the SQLite file passes
 * integrity_check and foreign_key_check, the restarted registry answers, every version that exists is whole
 * (README and every function byte-equal to what was sent), every publish answered 200 before the kill is there,
 * and README search describes exactly the version each worker shows (the kill lands at many points of publishes).
 */

const ROUNDS = 3;
const PER_ROUND = 24;
let dir: string;
let proc: RegistryProcess | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'registry-crash-'));
});
afterAll(async () => {
  await proc?.kill();
  await rm(dir, { recursive: true, force: true });
});

/** A large payload: ~300 kB README with multi-byte text, 120 functions with schemas, so a publish takes a while. */
function bigPayload(name: string, version: string): PublishPayloadIn {
  const readme = `# ${name} ${version}\n\n${marker(version)} é𝕏 ${randomBytes(150_000).toString('base64')}\n`;
  const functions = Array.from({ length: 120 }, (_, i) => ({
    name: `${name}::fn_${i}`,
    description: `Function ${i} of ${name}@${version} — ünïcödé`,
    request_schema: { type: 'object', properties: { [`field_${i}`]: { type: 'string', description: 'x'.repeat(200) } }, required: [`field_${i}`] },
    response_schema: { type: 'object', properties: { ok: { type: 'boolean' } } },
    metadata: { index: i },
  }));
  return {
    worker_name: name,
    version,
    type: 'binary',
    readme,
    description: `${name} at ${version}`,
    functions,
    binaries: { 'x86_64-unknown-linux-gnu': { url: `https://example.com/${name}-${version}.tar.gz`, sha256: 'c'.repeat(64) } },
  };
}

/** A word only this version's README holds (`mk1x0x5z`), for checking README search. */
const marker = (version: string) => `mk${version.replace(/\./g, 'x')}z`;

const searchNames = async (p: RegistryProcess, word: string) =>
  (((await (await fetch(`${p.url}/w?search=${word}&limit=100`)).json()) as { workers: { name: string }[] }).workers).map((w) => w.name);

const post = (p: RegistryProcess, body: unknown) =>
  fetch(`${p.url}/publish`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': E2E_ADMIN_KEY }, body: JSON.stringify(body) });

function checkDatabase() {
  const db = new Database(join(dir, 'registry.db'));
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    return (db.prepare('SELECT w.name, v.version FROM versions v JOIN workers w ON w.id = v.worker_id').all() as { name: string; version: string }[]).map((r) => `${r.name}@${r.version}`);
  } finally {
    db.close();
  }
}

describe('a registry killed with publishes in flight', () => {
  it(`restarts with each version whole or absent, ${ROUNDS} rounds of SIGKILL`, async () => {
    const sent: PublishPayloadIn[] = [];
    const confirmed = new Set<string>();
    let killedWithPending = 0;
    proc = await startRegistryProcess(dir);
    for (let round = 0; round < ROUNDS; round++) {
      const live = proc;
      const payloads = Array.from({ length: PER_ROUND }, (_, i) => bigPayload(`crash-${i % 6}`, `${round + 1}.0.${i}`));
      sent.push(...payloads);
      // Kill once a few answers came back: the rest are queued or mid-transaction.
      const killAfter = 2 + round * 3;
      let answered = 0;
      let killing: Promise<void> | undefined;
      let alive = true;
      const requests = payloads.map(async (p) => {
        const res = await post(live, p);
        const status = res.status;
        await res.arrayBuffer();
        // A 200 read while the process was still alive was committed before the kill.
        if (status === 200 && alive) confirmed.add(`${p.worker_name}@${p.version}`);
        expect(status, `${p.worker_name}@${p.version}`).toBe(200);
        if (++answered === killAfter) {
          alive = false;
          killing = live.kill();
        }
      });
      const settled = await Promise.allSettled(requests);
      await killing;
      await live.kill();
      killedWithPending += settled.filter((s) => s.status === 'rejected').length;
      const unexpected = settled.filter((s) => s.status === 'rejected' && !String(s.reason).match(/fetch failed|socket|ECONNRESET|other side closed/i));
      expect(unexpected.map((s) => String((s as PromiseRejectedResult).reason))).toEqual([]);

      const stored = checkDatabase();
      proc = await startRegistryProcess(dir);
      for (const key of confirmed) expect(stored, `${key} answered 200 before the kill but is gone`).toContain(key);

      // Every version the restarted registry has is the whole payload that was sent.
      let present = 0;
      for (const p of sent) {
        const res = await fetch(`${proc.url}/w/${p.worker_name}?version=${p.version}`);
        const key = `${p.worker_name}@${p.version}`;
        if (res.status === 404) {
          expect(confirmed.has(key), `${key} confirmed but 404 after restart`).toBe(false);
          expect(stored).not.toContain(key);
          continue;
        }
        expect(res.status).toBe(200);
        present++;
        const worker = ((await res.json()) as { worker: Record<string, unknown> }).worker;
        expect(worker.readme === p.readme, `${key} README differs`).toBe(true);
        expect(worker.functions, `${key} functions differ`).toEqual(p.functions);
        expect(worker.description).toBe(p.description);
      }
      expect(present).toBe(stored.length);

      // Tags point at versions that exist, and latest is the highest stable one stored.
      for (let w = 0; w < 6; w++) {
        const res = await fetch(`${proc.url}/w/crash-${w}/versions`);
        if (res.status === 404) continue;
        const versions = ((await res.json()) as { versions: { version: string; tags: string[] }[] }).versions;
        expect(versions.filter((v) => v.tags.includes('latest'))).toHaveLength(1);
        expect(versions[0].tags).toContain('latest');
      }
      // README search agrees with the data: the shown version's README is found, no other version's is.
      for (let w = 0; w < 6; w++) {
        const res = await fetch(`${proc.url}/w/crash-${w}`);
        if (res.status === 404) continue;
        const shown = ((await res.json()) as { worker: { version: string } }).worker.version;
        for (const p of sent.filter((x) => x.worker_name === `crash-${w}`)) {
          const hit = (await searchNames(proc, marker(p.version))).includes(`crash-${w}`);
          expect(hit, `search for the README of crash-${w}@${p.version} (shown: ${shown})`).toBe(p.version === shown);
        }
      }
      expect((await fetch(`${proc.url}/healthz`)).status).toBe(200);
    }
    // The kills must have interrupted something, or this test proved nothing.
    expect(killedWithPending).toBeGreaterThan(0);
    expect(confirmed.size).toBeGreaterThan(0);
  }, 90_000);
});

/** Every file under <dataDir>/archives, recursively. */
async function archiveFiles(dataDir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, prefix: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(join(d, e.name), `${prefix}${e.name}/`);
      else out.push(`${prefix}${e.name}`);
    }
  };
  await walk(join(dataDir, 'archives'), '');
  return out.sort();
}

describe('a registry killed while an archive upload is in flight', () => {
  it('restarts with no partial or temporary archive left in the store, and nothing staged', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'registry-crash-upload-'));
    let p = await startRegistryProcess(dataDir);
    try {
      // Random bytes do not compress: the temp file grows with every chunk the server receives.
      const file = await writeTarGz(join(dataDir, 'upload.tar.gz'), withManifest(entry('blob.bin', randomBytes(8 * 1024 * 1024)), 'killed-upload'));
      const body = await readFile(file);
      const req = http.request(`${p.url}/w/killed-upload/archive?version=1.0.0`, {
        method: 'POST',
        headers: { 'content-type': 'application/gzip', 'x-api-key': E2E_ADMIN_KEY, 'content-length': String(body.length) },
      });
      req.on('error', () => undefined);
      req.write(body.subarray(0, body.length / 2));
      // Wait (bounded) until the server has started writing its temp file, then kill it mid-upload.
      for (let i = 0; i < 200 && (await archiveFiles(dataDir)).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      const during = await archiveFiles(dataDir);
      expect(during.some((f) => f.startsWith('tmp/')), `no temp file seen during the upload: ${during.join(', ')}`).toBe(true);
      await p.kill();
      req.destroy();

      p = await startRegistryProcess(dataDir);
      expect((await fetch(`${p.url}/healthz`)).status).toBe(200);
      expect(await archiveFiles(dataDir)).toEqual([]);
      const staged = await fetch(`${p.url}/publish`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': E2E_ADMIN_KEY },
        body: JSON.stringify({ worker_name: 'killed-upload', version: '1.0.0', type: 'bundle' }),
      });
      expect(staged.status).toBe(422);
      expect(((await staged.json()) as { error: { code: string } }).error.code).toBe('archive_missing');
    } finally {
      await p.kill();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
