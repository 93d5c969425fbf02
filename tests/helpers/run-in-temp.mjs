#!/usr/bin/env node
// `npm test`: runs the command given (vitest) with TMPDIR set to a folder of its own, removed when the command ends,
// so temporary folders that suites, registry processes and browsers leave behind never pile up in the system's /tmp.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'iii-tests-'));
// The throwaway PostgreSQL clusters run as the `postgres` user, which must reach its data folder inside this one.
fs.chmodSync(root, 0o755);
const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, TMPDIR: root } });
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => {
  fs.rmSync(root, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
