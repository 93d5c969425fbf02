import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/** Real registry processes for e2e tests: `node --import tsx registry-server/src/main.ts` on a data dir. */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const E2E_ADMIN_KEY = 'e2e-admin-key-0123456789abcdef';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface RegistryProcess {
  url: string;
  child: ChildProcess;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful close), then SIGKILL after `ms`. */
  stop(ms?: number): Promise<void>;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });

/** Starts a registry on `dataDir` and waits (bounded) for GET /healthz to answer 200. */
export async function startRegistryProcess(dataDir: string, env: Record<string, string> = {}, timeoutMs = 20_000): Promise<RegistryProcess> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'registry-server/src/main.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        REGISTRY_DATA_DIR: dataDir,
        REGISTRY_API_KEY: E2E_ADMIN_KEY,
        REGISTRY_SEED: '0',
        REGISTRY_READ_RATE_LIMIT: '0',
        REGISTRY_PUBLISH_RATE_LIMIT: '0',
        LOG_LEVEL: 'warn',
        ...env,
      },
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
    child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
    const url = `http://127.0.0.1:${port}`;
    const proc: RegistryProcess = {
      url,
      child,
      output: () => out,
      async kill() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited(child);
      },
      async stop(ms = 5_000) {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), ms);
        await exited(child);
        clearTimeout(timer);
      },
    };
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
        if (res.status === 200) return proc;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await proc.kill();
    // Another process may have taken the port between freePort() and listen(): try a new one, twice.
    if (attempt < 2 && /EADDRINUSE/.test(out)) continue;
    throw new Error(`registry on ${dataDir} did not become healthy:\n${out}`);
  }
}
