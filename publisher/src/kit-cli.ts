import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './errors';
import type { Output, OutputStreams } from './output';
import { kitBuildCommand, kitValidateCommand } from './commands/kit-build';
import { kitInitCommand } from './commands/kit-init';
import { kitPublishCommand, kitStatusCommand, kitTagCommand } from './commands/kit-publish';

type Options = NonNullable<ParseArgsConfig['options']>;
const str = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;
const COMMON: Options = { dir: str, json: bool, help: { type: 'boolean', short: 'h' } };
const REGISTRY: Options = { registry: str, 'api-key': str, kit: str };
const KIT_COMMANDS: Record<string, Options> = {
  init: { force: bool, kit: str },
  validate: {},
  build: { out: str },
  publish: { ...REGISTRY, 'dry-run': bool, out: str },
  tag: { ...REGISTRY, expect: str, 'expect-none': bool },
  deprecate: { ...REGISTRY, message: str, 'replaced-by': str, undo: bool },
  yank: { ...REGISTRY, message: str, undo: bool },
};

export const KIT_HELP = `iii-publish kit: publish a kit (agent profiles, skills and the registry workers they need)

Usage: iii-publish kit <command> [flags]   (run it in the kit folder, next to iii.kit.yaml)

Commands:
  init                      write iii.kit.yaml, agents/assistant.md, skills/getting-started.md, README.md
                            (--kit <handle>/<name>; --force to overwrite)
  validate                  check the manifest and every file with the registry's own rules
  build                     dry run: write kit-payload.json (the POST body) and kit-context.md (the agent-context
                            preview) into --out (default .iii-publish)
  publish                   POST /k/{handle}/{name} (--dry-run: the same as build)
  tag <tag> <version>       move a release tag (compare-and-swap; --expect <v> | --expect-none)
  deprecate <version>       stop installs of a version (--message, --replaced-by <handle/name>, --undo)
  yank <version>            softer: ranges, latest and updates skip it; exact installs still work (--undo)

Flags: --dir <path>, --json, --registry <url> ($III_API_URL), --api-key <key> ($III_REGISTRY_API_KEY),
       --kit <handle>/<name> (tag/deprecate/yank without a manifest)
Exit codes as the worker commands: 0 ok, 2 usage, 3 validation, 4 version exists or tag moved, 5 auth, 6 network.
`;

/** `iii-publish kit ...`: parses the sub-command's flags and runs it. Errors are reported by the caller. */
export async function runKit(argv: string[], streams: OutputStreams, out: Output, base: string): Promise<void> {
  const sub = argv[0];
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    streams.stdout.write(KIT_HELP);
    if (sub === undefined) throw usageError('kit needs a command', 'Run iii-publish kit --help.');
    return;
  }
  const specific = KIT_COMMANDS[sub];
  if (!specific) throw usageError(`unknown kit command '${sub}'`, `Use one of: ${Object.keys(KIT_COMMANDS).join(', ')}.`);
  let parsed;
  try {
    parsed = parseArgs({ args: argv.slice(1), options: { ...COMMON, ...specific }, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError((error as Error).message, `Run iii-publish kit ${sub} --help for its flags.`);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const pos = parsed.positionals;
  if (v.help) {
    streams.stdout.write(KIT_HELP);
    return;
  }
  const text = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const dir = path.resolve(base, text('dir') ?? '.');
  const reg = { dir, registry: text('registry') ?? streams.env.III_API_URL ?? 'http://127.0.0.1:3000', apiKey: text('api-key') ?? streams.env.III_REGISTRY_API_KEY, kit: text('kit') };
  const extra = (max: number) => {
    if (pos.length > max) throw usageError(`unexpected argument '${pos[max]}'`);
  };
  switch (sub) {
    case 'init':
      extra(0);
      return kitInitCommand({ dir, force: v.force === true, kit: text('kit') }, out);
    case 'validate':
      extra(0);
      return kitValidateCommand({ dir }, out);
    case 'build':
      extra(0);
      return kitBuildCommand({ dir, out: text('out') ?? '.iii-publish' }, out);
    case 'publish':
      extra(0);
      return v['dry-run'] ? kitBuildCommand({ dir, out: text('out') ?? '.iii-publish' }, out) : kitPublishCommand(reg, out);
    case 'tag':
      extra(2);
      if (text('expect') && v['expect-none']) throw usageError('use --expect <version> or --expect-none, not both');
      return kitTagCommand({ ...reg, tag: pos[0], version: pos[1], expect: v['expect-none'] ? null : text('expect') }, out);
    default:
      extra(1);
      return kitStatusCommand({ ...reg, version: pos[0], message: text('message'), replacedBy: text('replaced-by'), undo: v.undo === true }, sub === 'yank' ? 'yanked' : 'deprecated', out);
  }
}
