import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, EXIT, usageError } from './errors';
import { Output, type OutputStreams } from './output';
import { initCommand } from './commands/init';
import { validateCommand } from './commands/validate';
import { buildCommand, type BuildOptions } from './commands/build';
import { publishCommand } from './commands/publish';
import { tagCommand } from './commands/tag';
import { yankCommand } from './commands/yank';
import { deprecateCommand } from './commands/deprecate';
import { runKit } from './kit-cli';

type Options = NonNullable<ParseArgsConfig['options']>;
const str = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;
const COMMON: Options = { dir: str, json: bool, help: { type: 'boolean', short: 'h' } };
const BUILD: Options = {
  out: str, start: str, engine: str, interface: str, 'worker-name': str, 'settle-ms': str, 'timeout-ms': str,
  strict: bool, tag: str, date: str, 'image-tag': str, binaries: str,
};
const REGISTRY: Options = { registry: str, 'api-key': str };
const STATUS: Options = { ...REGISTRY, name: str, message: str, undo: bool };

const COMMANDS: Record<string, Options> = {
  init: { force: bool },
  validate: {},
  build: BUILD,
  publish: { ...BUILD, ...REGISTRY, 'dry-run': bool },
  tag: { ...REGISTRY, name: str, expect: str, 'expect-none': bool },
  yank: STATUS,
  deprecate: STATUS,
};

export const HELP = `iii-publish: publish an iii worker to a registry

Usage: iii-publish <command> [flags]   (run it in the worker folder, next to iii.worker.yaml)

Commands:
  init                      write a commented iii.worker.yaml for this folder (--force to overwrite)
  validate                  check the manifest, README, config, skills (and the bundle policy)
  build                     dry run: write api-reference.json, agent-context.md, publish-payload.json,
                            skills.json (and the bundle archive) into --out
  publish                   build, upload the bundle archive, POST /publish, POST /w/{name}/skills
                            (--dry-run: the same as build)
  tag <tag> <version>       move a channel (compare-and-swap; --expect <v> | --expect-none)
  yank <version>            yank a version (--message, --undo)
  deprecate <version>       deprecate a version (--message, --undo)
  kit <command>             kits: init, validate, build, publish, tag, deprecate, yank (iii-publish kit --help)

Flags:
  --dir <path>              worker folder (default: the current folder)
  --json                    one JSON document on stdout instead of progress lines
  --out <path>              build output folder (default .iii-publish)
  --start "<command>"       start command for interface capture (default scripts.start)
  --engine ws://host:port   read the interface from a running engine instead of starting the worker
  --interface <file.json>   take the API reference from a file
  --worker-name <name>      the worker's name on the engine (--engine; default the manifest name)
  --settle-ms <n>           quiet time after registration before capture ends (default 300)
  --timeout-ms <n>          give up on capture after this long (default 30000)
  --strict                  schemas of {} are errors, not warnings
  --tag <tag>               publish: move this tag to the new version
  --date <YYYY-MM-DD>       publish date shown in the agent-context preview (default none)
  --image-tag <ref>         image workers: the OCI reference
  --binaries <file.json>    binary workers: {"<target>": {"url", "sha256"}}
  --registry <url>          registry URL (default $III_API_URL, else http://127.0.0.1:3000)
  --api-key <key>           registry API key (default $III_REGISTRY_API_KEY)
  --name <worker>           tag/yank/deprecate: the worker (default the manifest name)

Exit codes: 0 ok, 1 unexpected, 2 usage, 3 validation failed, 4 version already published (or tag moved),
5 authentication, 6 network failure after retries, 7 interface capture failed.
`;

function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw usageError(`--${flag} must be a positive integer, got '${value}'`);
  return n;
}

function isoDate(value: string | undefined): string | undefined {
  if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw usageError(`--date must look like 2026-05-04, got '${value}'`);
  return value;
}

type Values = Record<string, string | boolean | undefined>;

/** Parses argv and runs one command; returns the exit code. The only place that reads argv and env. */
export async function run(argv: string[], streams: OutputStreams): Promise<number> {
  const command = argv[0];
  const wantsJson = argv.includes('--json');
  const out = new Output(streams, { json: wantsJson });
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      streams.stdout.write(HELP);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (command === 'kit') {
      const base = streams.env.npm_lifecycle_event === 'publish-worker' && streams.env.INIT_CWD ? streams.env.INIT_CWD : process.cwd();
      await runKit(argv.slice(1), streams, out, base);
      return EXIT.ok;
    }
    const specific = COMMANDS[command];
    if (!specific) throw usageError(`unknown command '${command}'`, `Use one of: ${[...Object.keys(COMMANDS), 'kit'].join(', ')}.`);
    let parsed;
    try {
      parsed = parseArgs({ args: argv.slice(1), options: { ...COMMON, ...specific }, allowPositionals: true, strict: true });
    } catch (error) {
      throw usageError((error as Error).message, `Run iii-publish ${command} --help for its flags.`);
    }
    const v = parsed.values as Values;
    const pos = parsed.positionals;
    if (v.help) {
      streams.stdout.write(HELP);
      return EXIT.ok;
    }
    // `npm run publish-worker` runs in the repo root; INIT_CWD is the folder the author typed it in.
    const base = streams.env.npm_lifecycle_event === 'publish-worker' && streams.env.INIT_CWD ? streams.env.INIT_CWD : process.cwd();
    const dir = path.resolve(base, typeof v.dir === 'string' ? v.dir : '.');
    const text = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
    const registry = text('registry') ?? streams.env.III_API_URL ?? 'http://127.0.0.1:3000';
    const apiKey = text('api-key') ?? streams.env.III_REGISTRY_API_KEY;
    const build = (): BuildOptions => {
      if ([text('engine'), text('interface')].filter(Boolean).length > 1 || (text('start') && (text('engine') || text('interface'))))
        throw usageError('choose one of --start, --engine and --interface');
      return {
        dir, out: text('out') ?? '.iii-publish', start: text('start'), engine: text('engine'), interfaceFile: text('interface'),
        workerName: text('worker-name'), settleMs: positiveInt(text('settle-ms'), 'settle-ms', 300),
        timeoutMs: positiveInt(text('timeout-ms'), 'timeout-ms', 30_000), strict: v.strict === true, tag: text('tag'),
        date: isoDate(text('date')), imageTag: text('image-tag'), binariesFile: text('binaries'),
      };
    };
    const extra = (max: number) => {
      if (pos.length > max) throw usageError(`unexpected argument '${pos[max]}'`);
    };
    switch (command) {
      case 'init':
        extra(0);
        await initCommand({ dir, force: v.force === true }, out);
        break;
      case 'validate':
        extra(0);
        await validateCommand({ dir }, out);
        break;
      case 'build':
        extra(0);
        await buildCommand(build(), out);
        break;
      case 'publish':
        extra(0);
        if (v['dry-run']) await buildCommand(build(), out);
        else await publishCommand({ ...build(), registry, apiKey }, out);
        break;
      case 'tag': {
        extra(2);
        if (text('expect') && v['expect-none']) throw usageError('use --expect <version> or --expect-none, not both');
        const expect = v['expect-none'] ? null : text('expect');
        await tagCommand({ dir, name: text('name'), tag: pos[0], version: pos[1], expect, registry, apiKey }, out);
        break;
      }
      case 'yank':
      case 'deprecate': {
        extra(1);
        const o = { dir, name: text('name'), version: pos[0], message: text('message'), undo: v.undo === true, registry, apiKey };
        await (command === 'yank' ? yankCommand(o, out) : deprecateCommand(o, out));
        break;
      }
    }
    return EXIT.ok;
  } catch (error) {
    return out.fail(error instanceof CliError || error instanceof Error ? error : new Error(String(error)));
  }
}
