import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

// The escape character that starts every ANSI colour sequence.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`);

describe('output', () => {
  // A usage error goes through the same Output as every command, so it shows the colour rules cheaply.
  it('prints no colour when stdout is not a TTY', async () => {
    const r = await runCli(['frobnicate'], {}, false);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect(r.stderr).not.toMatch(ANSI);
  });

  it('prints colour on a TTY, and none when NO_COLOR is set', async () => {
    const colored = await runCli(['frobnicate'], {}, true);
    expect(colored.stderr).toMatch(ANSI);
    const plain = await runCli(['frobnicate'], { NO_COLOR: '1' }, true);
    expect(plain.stderr).not.toMatch(ANSI);
  });

  it('with --json prints one JSON document with the exit code and nothing on stderr', async () => {
    const r = await runCli(['build', '--settle-ms', 'soon', '--json'], {}, true);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    const body = JSON.parse(r.stdout) as { ok: boolean; exit_code: number; error: { message: string } };
    expect(body.ok).toBe(false);
    expect(body.exit_code).toBe(2);
    expect(body.error.message).toContain('--settle-ms');
  });

  it('rejects unknown flags as usage errors', async () => {
    const r = await runCli(['validate', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('frobnicate');
  });
});
