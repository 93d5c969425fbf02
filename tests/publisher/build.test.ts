import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PublishPayload } from '@iii-registry/schemas';
import { FIXTURES, runCli } from './run-cli';

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'iii-publish-build-'));
const REF = {
  functions: [
    { name: 'raw::echo', description: 'Echo the message back', request_schema: { type: 'object', properties: { message: { type: 'string' } } }, response_schema: { type: 'object' } },
  ],
  triggers: [],
};

/** `build --interface` exercises everything after capture without running a worker. */
async function build(fixture: string, ...flags: string[]) {
  const dir = await tmp();
  const ref = path.join(dir, 'ref.json');
  await writeFile(ref, JSON.stringify(REF));
  const out = path.join(dir, 'out');
  const r = await runCli(['build', '--dir', path.join(FIXTURES, fixture), '--out', out, '--interface', ref, '--json', ...flags]);
  return { ...r, out, file: (name: string) => readFile(path.join(out, name), 'utf8') };
}

describe('iii-publish build', () => {
  it('writes the same agent-context bytes for the same inputs, dated only with --date', async () => {
    const a = await build('raw-ws-worker', '--image-tag', 'ghcr.io/example/raw:0.2.0@sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c');
    const b = await build('raw-ws-worker', '--image-tag', 'ghcr.io/example/raw:0.2.0@sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c');
    expect(a.code).toBe(0);
    const text = await a.file('agent-context.md');
    expect(await b.file('agent-context.md')).toBe(text);
    expect(await b.file('publish-payload.json')).toBe(await a.file('publish-payload.json'));
    expect(text).toContain('# raw-ws-worker 0.2.0');
    expect(text).toContain('raw::echo');
    const dated = await build('raw-ws-worker', '--image-tag', 'ghcr.io/example/raw:0.2.0@sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c', '--date', '2026-05-04');
    expect(await dated.file('agent-context.md')).toContain('published 2026-05-04');
    expect((await runCli(['build', '--date', 'May 4th'])).code).toBe(2);
  });

  it('packs a bundle into the output folder and reports its SHA-256; the payload waits for the upload URL', async () => {
    const r = await build('bundle-worker');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { archive: { file: string; sha256: string }; skills: string[] };
    expect(body.archive.file).toBe(path.join(r.out, 'todo-bundle-1.0.0.tar.gz'));
    expect(body.archive.sha256).toMatch(/^[a-f0-9]{64}$/);
    const payload = JSON.parse(await r.file('publish-payload.json')) as PublishPayload;
    expect(payload).toMatchObject({ type: 'bundle', config: { max_items: 100, storage: 'memory' }, tags: ['todo', 'checklist'] });
    expect(payload.archive_url).toBeUndefined();
    const skills = JSON.parse(await r.file('skills.json')) as { version: string; skills: Record<string, string> };
    expect(skills.version).toBe('1.0.0');
    expect(Object.keys(skills.skills).sort()).toEqual(['SKILL.md', 'agents/todo-helper.md', 'skills/how-to/add.md']);
  });

  it('asks image and binary workers for their artifact, and carries binaries into the payload', async () => {
    const noImage = await build('raw-ws-worker');
    expect(noImage.code).toBe(3);
    expect(JSON.parse(noImage.stdout)).toMatchObject({ error: { code: 'payload_invalid', problems: [{ path: 'image_tag' }] } });

    const dir = await tmp();
    await writeFile(path.join(dir, 'iii.worker.yaml'), 'iii: v1\nname: crab\nversion: 1.0.0\ndeploy: binary\n');
    await writeFile(path.join(dir, 'ref.json'), JSON.stringify(REF));
    const binaries = { 'x86_64-unknown-linux-gnu': { url: 'https://example.com/crab.tar.gz', sha256: 'a'.repeat(64) } };
    await writeFile(path.join(dir, 'bin.json'), JSON.stringify(binaries));
    const missing = await runCli(['build', '--dir', dir, '--interface', 'ref.json', '--json']);
    expect(missing.code).toBe(3);
    expect((JSON.parse(missing.stdout) as { error: { fix: string } }).error.fix).toContain('--binaries');
    const ok = await runCli(['build', '--dir', dir, '--interface', 'ref.json', '--binaries', 'bin.json', '--json']);
    expect(ok.code).toBe(0);
    const payload = JSON.parse(await readFile(path.join(dir, '.iii-publish/publish-payload.json'), 'utf8')) as PublishPayload;
    expect(payload.binaries).toEqual(binaries);
    expect(await readFile(path.join(dir, '.iii-publish/agent-context.md'), 'utf8')).toContain('x86_64-unknown-linux-gnu');
  });
});
