import { run } from './cli';

// Entry point: the one place that exits. iii-sdk and child-process handles must not keep the CLI alive.
const code = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exit(code);
