/**
 * A throwaway PostgreSQL 15 cluster for tests: initdb in a temp dir (as the `postgres` user when running as root,
 * since the server refuses root), a free port on 127.0.0.1, the socket in the temp dir, trust auth, durability off
 * (tests never survive a power cut). The pg test project starts one per vitest run (pg-global-setup.ts); fault
 * tests that stop the server start their own.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../registry-server/src/child-process';

const run = promisify(execFile);
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgCluster {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** A URL for database `name` of this cluster. */
  urlFor(name: string): string;
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

const asPostgres = (args: string[]): [string, string[]] => {
  if (process.getuid?.() === 0) return ['runuser', ['-u', 'postgres', '--', ...args]];
  return [args[0], args.slice(1)];
};

const exec = async (args: string[]) => {
  const [cmd, rest] = asPostgres(args);
  try {
    await run(cmd, rest, { timeout: 60_000 });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
};

export async function startPgCluster(): Promise<PgCluster> {
  if (!fs.existsSync(path.join(PG_BIN, 'postgres')))
    throw new Error(`PostgreSQL 15 binaries are missing in ${PG_BIN}: install them (apt-get install -y postgresql-15) or set PG_BIN. .ci/run does this.`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iii-pg-'));
  fs.chmodSync(dir, 0o777);
  if (process.getuid?.() === 0) {
    const uid = Number(spawnSync('id', ['-u', 'postgres']).stdout.toString().trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres']).stdout.toString().trim());
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  await exec([path.join(PG_BIN, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB`;
  const start = () => exec([path.join(PG_BIN, 'pg_ctl'), '-D', data, '-l', path.join(dir, 'log'), '-o', opts, '-w', '-t', '60', 'start']);
  await start();
  const urlFor = (name: string) => `postgres://postgres@127.0.0.1:${port}/${name}`;
  let stopped = false;
  return {
    url: urlFor('postgres'),
    port,
    dir,
    urlFor,
    start: async () => {
      await start();
      stopped = false;
    },
    stop: async (mode = 'fast') => {
      await exec([path.join(PG_BIN, 'pg_ctl'), '-D', data, '-m', mode, '-w', 'stop']);
      stopped = true;
    },
    destroy: async () => {
      if (!stopped) await exec([path.join(PG_BIN, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
