/**
 * Seeding `iii-directory`: the registry publishes its own directory worker as a hosted bundle, built from
 * directory-worker/ by directory-worker/build/build-bundle.ts (esbuild, then the real `iii-publish build`). The build
 * is cached under node_modules/.cache by a hash of everything it reads, so only the first start after a change pays
 * for it; concurrent starts share one build through a lock directory.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { PublishPayloadIn, SkillsPublishRequest } from '@iii-registry/schemas';
import { REPO_ROOT } from './child-process';
import { RegistryError } from './errors';
import type { Principal, RegistryServices } from './services/types';

const INPUTS = ['directory-worker/src', 'directory-worker/bundle', 'directory-worker/build', 'schemas/src', 'publisher/src', 'node_modules/iii-sdk/package.json', 'node_modules/esbuild/package.json'];
const CACHE_ROOT = path.join(REPO_ROOT, 'node_modules/.cache/iii-registry');
const BUILD_TIMEOUT_MS = 180_000;

function hashInputs(): string {
  const hash = crypto.createHash('sha256');
  const add = (abs: string) => {
    const st = fs.statSync(abs, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) for (const e of fs.readdirSync(abs).sort()) add(path.join(abs, e));
    else {
      hash.update(path.relative(REPO_ROOT, abs));
      hash.update(fs.readFileSync(abs));
    }
  };
  for (const rel of INPUTS) add(path.join(REPO_ROOT, rel));
  return hash.digest('hex').slice(0, 24);
}

interface Built {
  payload: PublishPayloadIn;
  skills: SkillsPublishRequest;
  archive: string;
}

function readBuilt(dir: string): Built | null {
  if (!fs.existsSync(path.join(dir, 'done'))) return null;
  const archive = fs.readdirSync(dir).find((f) => f.endsWith('.tar.gz'));
  if (!archive) return null;
  return {
    payload: JSON.parse(fs.readFileSync(path.join(dir, 'publish-payload.json'), 'utf8')) as PublishPayloadIn,
    skills: JSON.parse(fs.readFileSync(path.join(dir, 'skills.json'), 'utf8')) as SkillsPublishRequest,
    archive: path.join(dir, archive),
  };
}

/** The built bundle for the current sources: from the cache, or built now (once, whoever takes the lock). */
export async function directoryBundle(): Promise<Built> {
  const dir = path.join(CACHE_ROOT, `iii-directory-${hashInputs()}`);
  const lock = `${dir}.lock`;
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  fs.mkdirSync(CACHE_ROOT, { recursive: true });
  for (;;) {
    const ready = readBuilt(dir);
    if (ready) return ready;
    let owner = false;
    try {
      fs.mkdirSync(lock);
      owner = true;
    } catch {
      // Another process builds; a lock older than the build budget belongs to a dead one.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > BUILD_TIMEOUT_MS) fs.rmSync(lock, { recursive: true, force: true });
    }
    if (owner) {
      try {
        const tmp = `${dir}.tmp-${process.pid}`;
        fs.rmSync(tmp, { recursive: true, force: true });
        const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'directory-worker/build/build-bundle.ts'), tmp], {
          cwd: REPO_ROOT, encoding: 'utf8', timeout: BUILD_TIMEOUT_MS,
        });
        if (run.status !== 0) throw new Error(`building the iii-directory bundle failed:\n${run.stdout}\n${run.stderr}`);
        fs.writeFileSync(path.join(tmp, 'done'), '');
        fs.rmSync(dir, { recursive: true, force: true });
        fs.renameSync(tmp, dir);
      } finally {
        fs.rmSync(lock, { recursive: true, force: true });
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error('timed out waiting for another process to build the iii-directory bundle');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Uploads the bundle archive, publishes the version and its skills; a version already stored stays. */
export async function seedDirectoryWorker(services: RegistryServices, principal: Principal): Promise<void> {
  const built = await directoryBundle();
  const { worker_name: name, version } = built.payload;
  try {
    await services.uploadArchive(principal, name, version, Readable.from([fs.readFileSync(built.archive)]));
    await services.publish(principal, built.payload);
  } catch (e) {
    if (!(e instanceof RegistryError && e.code === 'version_exists')) throw e;
  }
  await services.publishSkills(principal, name, built.skills);
}
