import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BinariesSchema, bindingLabel, unknownSchemas, type ApiReference, type Binaries, type PublishPayload, type SkillsPublishRequest } from '@iii-registry/schemas';
import { collectProject, type Project } from '../collect';
import { captureInterface } from '../capture/index';
import { packBundle, type PackedArchive } from '../pack/pack';
import { buildPayload, buildSkillsRequest, previewAgentContext } from '../payload';
import { CliError, EXIT } from '../errors';
import { readJsonFile } from '../json-file';
import type { Output } from '../output';
import type { MetadataFlags } from '../metadata';

export interface BuildOptions {
  dir: string;
  /** Output folder, relative to `dir` unless absolute. */
  out: string;
  start?: string;
  engine?: string;
  interfaceFile?: string;
  workerName?: string;
  settleMs: number;
  timeoutMs: number;
  strict: boolean;
  tag?: string;
  /** Replaces the "unpublished" marker of the agent-context preview, e.g. 2026-05-04. */
  date?: string;
  imageTag?: string;
  binariesFile?: string;
  /** --version, --type, --license, --repo, --description. */
  meta?: MetadataFlags;
}

export interface BuildResult {
  project: Project;
  ref: ApiReference;
  payload: PublishPayload;
  skills: SkillsPublishRequest;
  archive?: PackedArchive;
  outDir: string;
  pid?: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const readBinaries = (file: string): Promise<Binaries> =>
  readJsonFile(file, BinariesSchema, {
    unreadable: { exit: EXIT.usage, code: 'binaries_unreadable' },
    invalid: 'binaries_invalid',
    what: 'is not a valid binaries map',
    fix: 'Pass a JSON file {"<target triple>": {"url": "...", "sha256": "..."}}.',
  });

/** Everything `publish` sends, computed and checked without touching the registry. */
export async function runBuild(o: BuildOptions, out: Output): Promise<BuildResult> {
  const flags: MetadataFlags = { ...o.meta, imageTag: o.imageTag !== undefined, binaries: o.binariesFile !== undefined };
  const project = await out.step('Reading iii.worker.yaml', () => collectProject(o.dir, flags), (p) => `${p.manifest.name}@${p.version}, ${p.meta.type}`);
  for (const w of project.warnings) out.warn(w);

  const captured = await out.step(
    'Capturing interface',
    () =>
      captureInterface({
        dir: o.dir,
        workerName: o.workerName ?? project.manifest.name,
        start: o.start ?? project.manifest.scripts?.start,
        engine: o.engine,
        interfaceFile: o.interfaceFile,
        settleMs: o.settleMs,
        timeoutMs: o.timeoutMs,
      }),
    (c) =>
      [plural(c.ref.functions.length, 'function'), plural(c.ref.triggers.length, 'trigger type'), ...(c.ref.registered_triggers?.length ? [plural(c.ref.registered_triggers.length, 'trigger binding')] : [])].join(', '),
  );
  const unknown = unknownSchemas(captured.ref);
  if (unknown.length > 0) {
    if (o.strict)
      throw new CliError(
        EXIT.validation,
        'unknown_schemas',
        `${plural(unknown.length, 'schema')} are {} (value unknown) and --strict is set`,
        'Give each function a request_format and response_format (e.g. z.toJSONSchema(schema) from zod 4).',
        unknown.map((p) => ({ path: p, message: 'schema is {}' })),
      );
    out.warn(`${plural(unknown.length, 'schema')} are {} so readers cannot tell the shape: ${unknown.join(', ')}`);
  }

  const outDir = path.resolve(o.dir, o.out);
  const archive =
    project.meta.type === 'bundle'
      ? await out.step(
          'Packing bundle',
          () => packBundle(o.dir, outDir, project.manifest.name, project.version),
          (a) => `${plural(a.files.length, 'file')}, ${a.size} bytes, sha256 ${a.sha256.slice(0, 12)}`,
        )
      : undefined;

  const binaries = o.binariesFile ? await readBinaries(path.resolve(o.dir, o.binariesFile)) : undefined;
  const { payload, skills } = await out.step(
    'Checking payload',
    async () => ({
      payload: buildPayload(project, captured.ref, { tag: o.tag, imageTag: o.imageTag, binaries }),
      skills: buildSkillsRequest(project),
    }),
    (r) => `${Object.keys(r.skills.skills).length} skills`,
  );

  const shown = path.relative(process.cwd(), outDir);
  await out.step(
    `Writing ${shown === '' ? '.' : shown.startsWith('..') ? outDir : shown}`,
    async () => {
      await mkdir(outDir, { recursive: true });
      const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
      await writeFile(path.join(outDir, 'api-reference.json'), json(captured.ref));
      await writeFile(path.join(outDir, 'publish-payload.json'), json(payload));
      await writeFile(path.join(outDir, 'skills.json'), json(skills));
      await writeFile(path.join(outDir, 'agent-context.md'), previewAgentContext(payload, project, o.date));
    },
  );
  return { project, ref: captured.ref, payload, skills, archive, outDir, pid: captured.pid };
}

export async function buildCommand(o: BuildOptions, out: Output): Promise<void> {
  const started = Date.now();
  const r = await runBuild(o, out);
  out.done(`Built ${r.payload.worker_name}@${r.payload.version} into ${r.outDir} in ${((Date.now() - started) / 1000).toFixed(1)}s (nothing was published)`, {
    name: r.payload.worker_name,
    version: r.payload.version,
    out_dir: r.outDir,
    functions: r.ref.functions.map((f) => f.name),
    triggers: r.ref.triggers.map((t) => t.name),
    ...(r.ref.registered_triggers?.length ? { registered_triggers: r.ref.registered_triggers.map(bindingLabel) } : {}),
    skills: Object.keys(r.skills.skills),
    ...(r.archive ? { archive: { file: r.archive.file, sha256: r.archive.sha256, size: r.archive.size } } : {}),
  });
}
