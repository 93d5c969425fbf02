import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDevEngine } from '@iii-registry/dev-engine';
import type { ApiReference, PublishPayload } from '@iii-registry/schemas';
import { FIXTURES, runCli } from '../publisher/run-cli';

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'iii-publish-capture-'));

/** Fixtures write their pid (and their children's) to FIXTURE_PID_FILE, so we can prove nothing survived. */
async function withPidFile(): Promise<{ file: string; pids: () => Promise<number[]> }> {
  const file = path.join(await tmp(), 'pids');
  process.env.FIXTURE_PID_FILE = file;
  return { file, pids: async () => (await readFile(file, 'utf8')).split('\n').filter(Boolean).map(Number) };
}

/** Running, as opposed to gone or a zombie waiting for init to reap it (it runs nothing any more). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]);
  } catch {
    return process.platform !== 'linux';
  }
};

afterEach(() => {
  delete process.env.FIXTURE_PID_FILE;
});

async function build(fixture: string, ...flags: string[]) {
  const out = await tmp();
  const r = await runCli(['build', '--dir', path.join(FIXTURES, fixture), '--out', out, '--json', ...flags]);
  const read = async <T>(name: string) => JSON.parse(await readFile(path.join(out, name), 'utf8')) as T;
  return { ...r, out, read, text: (name: string) => readFile(path.join(out, name), 'utf8') };
}

describe('interface capture by running the worker', () => {
  it('captures every function, description and zod-made schema of an iii-sdk worker', async () => {
    const pid = await withPidFile();
    const r = await build('zod-sdk-worker', '--image-tag', 'ghcr.io/example/zod-sdk-worker:0.3.1@sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c');
    expect(r.code).toBe(0);
    const ref = await r.read<ApiReference>('api-reference.json');
    expect(ref.functions.map((f) => f.name)).toEqual([
      'zod_sdk_worker::create',
      'zod_sdk_worker::finish', // metadata.registry_name wins over the id
      'zod_sdk_worker::list',
      'zod_sdk_worker::ping',
    ]);
    const create = ref.functions[0];
    expect(create.description).toBe('Create a todo item');
    expect(create.request_schema).toMatchObject({
      type: 'object',
      properties: { title: { type: 'string', minLength: 1, maxLength: 200, description: 'What to do' }, due: { type: 'string' } },
      required: ['title'],
    });
    expect(create.response_schema).toMatchObject({ type: 'object', required: ['id', 'title', 'done'] });
    expect(ref.functions[1].metadata).toEqual({ registry_name: 'zod_sdk_worker::finish' });
    expect(ref.triggers).toEqual([
      expect.objectContaining({
        name: 'zod_sdk_worker::on-complete',
        description: 'Fires when a todo is completed',
        invocation_schema: expect.objectContaining({ type: 'object' }),
        return_schema: expect.objectContaining({ required: ['id', 'title', 'done'] }),
      }),
    ]);

    const context = await r.text('agent-context.md');
    for (const f of ref.functions) {
      expect(context).toContain(f.name);
      expect(context).toContain(f.description);
    }
    expect(context).toContain('zod_sdk_worker::on-complete');
    expect(context).toContain('title');

    const payload = await r.read<PublishPayload>('publish-payload.json');
    expect(payload).toMatchObject({
      worker_name: 'zod-sdk-worker',
      version: '0.3.1',
      type: 'image',
      image_tag: 'ghcr.io/example/zod-sdk-worker:0.3.1@sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c',
      dependencies: [{ name: 'iii-state', version: '^0.21.0' }],
      readme: expect.stringContaining('# zod-sdk-worker'),
    });
    expect(payload.functions).toEqual(ref.functions);

    const body = JSON.parse(r.stdout) as { warnings: string[] };
    expect(body.warnings.join('\n')).toContain('functions[3].request_schema (zod_sdk_worker::ping)');
    for (const p of await pid.pids()) expect(alive(p)).toBe(false);
  });

  it('fails with exit code 3 on {} schemas when --strict is set', async () => {
    const r = await build('zod-sdk-worker', '--image-tag', 'ghcr.io/example/zod-sdk-worker:0.3.1@sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c', '--strict');
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'unknown_schemas' } });
  });

  it('captures a worker that speaks the frames over ws with no SDK', async () => {
    const pid = await withPidFile();
    const r = await build('raw-ws-worker', '--image-tag', 'ghcr.io/example/raw-ws-worker:0.2.0@sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c');
    expect(r.code).toBe(0);
    const ref = await r.read<ApiReference>('api-reference.json');
    expect(ref.functions.map((f) => [f.name, f.description])).toEqual([
      ['raw::echo', 'Echo the message back'],
      ['raw::sum', 'Add two numbers'], // metadata.name
    ]);
    expect(ref.functions[1].request_schema).toEqual({
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
      required: ['a', 'b'],
    });
    expect(ref.triggers[0]).toMatchObject({
      name: 'raw::on-tick',
      invocation_schema: { required: ['seconds'] },
      return_schema: { properties: { at: { type: 'string' } } },
    });
    expect(await r.text('agent-context.md')).toContain('raw::on-tick');
    for (const p of await pid.pids()) expect(alive(p)).toBe(false);
  });
});

const HTTP_IMAGE = `ghcr.io/example/http-todo-worker@sha256:${'a'.repeat(64)}`;

describe('interface capture of HTTP trigger registrations', () => {
  it('records registerTrigger calls of a Node worker on the real iii-sdk: routes in api-reference.json and agent-context.md', async () => {
    const pid = await withPidFile();
    const r = await build('http-todo-worker', '--image-tag', HTTP_IMAGE);
    expect(r.code).toBe(0);
    const ref = await r.read<ApiReference>('api-reference.json');
    expect(ref.registered_triggers).toEqual([
      { function_id: 'api::delete::/todos/:id', type: 'http', config: { api_path: '/todos/:id', http_method: 'DELETE', description: 'Delete a todo' } },
      { function_id: 'api::get::/todos', type: 'http', config: { api_path: '/todos', http_method: 'GET', description: 'List all todos' } },
      { function_id: 'api::get::/todos/:id', type: 'http', config: { api_path: '/todos/:id', http_method: 'GET', description: 'Get a todo by ID' } },
      { function_id: 'api::post::/todos', type: 'http', config: { api_path: '/todos', http_method: 'POST', description: 'Create a new todo' } },
      { function_id: 'todos::export', type: 'cron', config: { expression: '0 0 * * * *' } },
      { function_id: 'todos::export', type: 'http', config: { api_path: 'todos/export', http_method: 'post' } },
    ]);
    // useApi registers functions without a description (todo-worker): the trigger's description is kept.
    expect(ref.functions.find((f) => f.name === 'api::post::/todos')?.description).toBe('Create a new todo');

    const context = await r.text('agent-context.md');
    expect(context).toContain('### api::post::/todos\nCreate a new todo\n');
    expect(context).toContain('- triggers: `POST /todos`\n');
    expect(context).toContain('- triggers: `DELETE /todos/:id`\n');
    expect(context).toContain('- triggers: `cron 0 0 * * * *`, `POST /todos/export`\n');

    const payload = await r.read<PublishPayload>('publish-payload.json');
    expect(payload.registered_triggers).toEqual(ref.registered_triggers);
    // Version and license from package.json (manifest: package.json), as the public CI reads it.
    expect(payload).toMatchObject({ version: '0.1.1', license: 'MIT', repo: 'https://github.com/example/http-todo-worker' });
    const body = JSON.parse(r.stdout) as { registered_triggers: string[]; warnings: string[] };
    expect(body.registered_triggers).toContain('POST /todos');
    expect(body.warnings.join('\n')).toContain('dependencies.iii-http: "0.21.1" means >=0.21.1 <0.22.0 for Cargo');
    for (const p of await pid.pids()) expect(alive(p)).toBe(false);
  });

  it('--engine reads the same bindings from engine::functions::info registered_triggers', async () => {
    const direct = await build('http-todo-worker', '--image-tag', HTTP_IMAGE);
    const engine = await startDevEngine({ port: 0, host: '127.0.0.1' });
    const worker = spawn(process.execPath, ['src/index.mjs'], {
      cwd: path.join(FIXTURES, 'http-todo-worker'),
      env: { ...process.env, III_URL: engine.url, OTEL_ENABLED: 'false' },
      stdio: 'ignore',
    });
    try {
      const viaEngine = await build('http-todo-worker', '--image-tag', HTTP_IMAGE, '--engine', engine.url, '--timeout-ms', '10000');
      expect(viaEngine.code).toBe(0);
      const ref = await viaEngine.read<ApiReference>('api-reference.json');
      expect(ref.registered_triggers).toHaveLength(6);
      expect(ref).toEqual(await direct.read('api-reference.json'));
    } finally {
      worker.kill('SIGKILL');
      await engine.close();
    }
  });
});

describe('interface capture failures leave no process behind', () => {
  it('a worker that never registers: times out with its stderr, kills the whole tree', async () => {
    const pid = await withPidFile();
    const r = await build('never-registers', '--timeout-ms', '1500');
    expect(r.code).toBe(7);
    const body = JSON.parse(r.stdout) as { error: { message: string; details: string[] } };
    expect(body.error.message).toContain('did not register within 1500 ms');
    expect(body.error.details.join('\n')).toContain('waiting for a database that never comes');
    const pids = await pid.pids();
    expect(pids).toHaveLength(2); // the worker and the child it started
    for (const p of pids) expect(alive(p)).toBe(false);
  });

  it('a worker that crashes at start: fails at once with the last lines of its stderr', async () => {
    const pid = await withPidFile();
    const r = await build('crashes-at-start', '--timeout-ms', '20000');
    expect(r.code).toBe(7);
    const body = JSON.parse(r.stdout) as { error: { message: string; details: string[] } };
    expect(body.error.message).toContain('exited (code 3) before it registered');
    expect(body.error.details).toContain('Error: DATABASE_URL is not set');
    for (const p of await pid.pids()) expect(alive(p)).toBe(false);
  });

  it('a worker that registers nothing: a clear error', async () => {
    const pid = await withPidFile();
    const r = await build('registers-nothing');
    expect(r.code).toBe(7);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'nothing_registered' } });
    for (const p of await pid.pids()) expect(alive(p)).toBe(false);
  });

  it('prints the failure and the stderr tail for people, too', async () => {
    const r = await runCli(['build', '--dir', path.join(FIXTURES, 'crashes-at-start'), '--out', await tmp()]);
    expect(r.code).toBe(7);
    expect(r.stdout).toContain('Capturing interface...failed');
    expect(r.stderr).toContain('DATABASE_URL is not set');
    expect(r.stderr).toContain('fix:');
  });
});

describe('the other two ways', () => {
  it('--engine reads the same API reference from a live engine through its built-ins', async () => {
    const direct = await build('zod-sdk-worker', '--image-tag', 'ghcr.io/example/zod-sdk-worker:0.3.1@sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c');
    const engine = await startDevEngine({ port: 0, host: '127.0.0.1' });
    const worker = spawn(process.execPath, ['worker.mjs'], {
      cwd: path.join(FIXTURES, 'zod-sdk-worker'),
      env: { ...process.env, III_URL: engine.url, OTEL_ENABLED: 'false' },
      stdio: 'ignore',
    });
    try {
      const viaEngine = await build('zod-sdk-worker', '--image-tag', 'ghcr.io/example/zod-sdk-worker:0.3.1@sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c', '--engine', engine.url, '--timeout-ms', '10000');
      expect(viaEngine.code).toBe(0);
      expect(await viaEngine.read('api-reference.json')).toEqual(await direct.read('api-reference.json'));
    } finally {
      worker.kill('SIGKILL');
      await engine.close();
    }
  });

  it('--engine --json keeps stdout one JSON document (the SDK chatter is silenced), run as the real bin', async () => {
    const engine = await startDevEngine({ port: 0, host: '127.0.0.1' });
    const worker = spawn(process.execPath, ['worker.mjs'], {
      cwd: path.join(FIXTURES, 'raw-ws-worker'),
      env: { ...process.env, III_URL: engine.url },
      stdio: 'ignore',
    });
    try {
      const bin = new URL('../../publisher/bin/iii-publish.mjs', import.meta.url).pathname;
      const args = ['build', '--out', await tmp(), '--engine', engine.url, '--image-tag', 'ghcr.io/example/x:1@sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c', '--json'];
      const child = spawn(process.execPath, [bin, ...args], { cwd: path.join(FIXTURES, 'raw-ws-worker'), stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ ok: true, functions: ['raw::echo', 'raw::sum'], triggers: ['raw::on-tick'] });
    } finally {
      worker.kill('SIGKILL');
      await engine.close();
    }
  });

  it('--engine with no such worker exits 7', async () => {
    const engine = await startDevEngine({ port: 0, host: '127.0.0.1' });
    try {
      const r = await build('raw-ws-worker', '--image-tag', 'ghcr.io/example/x:1@sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c', '--engine', engine.url, '--timeout-ms', '1000');
      expect(r.code).toBe(7);
      expect(JSON.parse(r.stdout)).toMatchObject({ error: { message: expect.stringContaining("no worker named 'raw-ws-worker'") } });
    } finally {
      await engine.close();
    }
  });

  it('--interface takes the API reference from a file, and refuses an invalid one with exit 3', async () => {
    const dir = await tmp();
    const ref = { functions: [{ name: 'raw::echo', description: 'Echo', request_schema: { type: 'object' }, response_schema: { type: 'object' } }] };
    await writeFile(path.join(dir, 'ref.json'), JSON.stringify(ref));
    const r = await build('raw-ws-worker', '--image-tag', 'ghcr.io/example/x:1@sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c', '--interface', path.join(dir, 'ref.json'));
    expect(r.code).toBe(0);
    expect((await r.read<ApiReference>('api-reference.json')).functions).toEqual([{ ...ref.functions[0], metadata: {} }]);

    await writeFile(path.join(dir, 'bad.json'), JSON.stringify({ functions: [{ description: 'no name' }], extra: 1 }));
    const bad = await build('raw-ws-worker', '--image-tag', 'ghcr.io/example/x:1@sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c', '--interface', path.join(dir, 'bad.json'));
    expect(bad.code).toBe(3);
    const paths = (JSON.parse(bad.stdout) as { error: { problems: { path: string }[] } }).error.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['functions[0].name', 'extra']));
  });
});
