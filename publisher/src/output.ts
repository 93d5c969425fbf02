import pc from 'picocolors';
import { CliError, EXIT, type FixedProblem } from './errors';

export interface OutputStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export interface StepRecord {
  step: string;
  status: 'ok' | 'skipped' | 'failed';
  detail?: string;
  ms: number;
}

type Colors = ReturnType<typeof pc.createColors>;

/**
 * Progress as `Step...ok (detail)` lines, warnings after the step that raised them, a final `✓` line; or,
 * with --json, nothing but one JSON document on stdout at the end. Colours only on a TTY without NO_COLOR.
 */
export class Output {
  readonly json: boolean;
  private readonly c: Colors;
  private readonly steps: StepRecord[] = [];
  private readonly warnings: string[] = [];
  private pendingWarnings: string[] = [];
  private inStep = false;

  constructor(
    private readonly streams: OutputStreams,
    options: { json?: boolean } = {},
  ) {
    this.json = options.json ?? false;
    const noColor = streams.env.NO_COLOR !== undefined && streams.env.NO_COLOR !== '';
    this.c = pc.createColors(!this.json && !noColor && streams.stdout.isTTY === true);
  }

  async step<T>(label: string, run: () => Promise<T>, detail?: (value: T) => string | undefined): Promise<T> {
    const started = Date.now();
    this.write(`${label}...`);
    this.inStep = true;
    try {
      const value = await run();
      const text = detail?.(value);
      this.steps.push({ step: label, status: 'ok', detail: text, ms: Date.now() - started });
      this.write(`${this.c.green('ok')}${text ? ` (${text})` : ''}\n`);
      return value;
    } catch (error) {
      this.steps.push({ step: label, status: 'failed', ms: Date.now() - started });
      this.write(`${this.c.red('failed')}\n`);
      throw error;
    } finally {
      this.inStep = false;
      this.flushWarnings();
    }
  }

  skipped(label: string, why: string): void {
    this.steps.push({ step: label, status: 'skipped', detail: why, ms: 0 });
    this.write(`${label}...${this.c.dim(`skipped (${why})`)}\n`);
  }

  warn(message: string): void {
    this.warnings.push(message);
    if (this.inStep) this.pendingWarnings.push(message);
    else this.printWarning(message);
  }

  info(line: string): void {
    this.write(`${line}\n`);
  }

  /** The final line of a successful command, or its JSON document. */
  done(summary: string, result: Record<string, unknown> = {}): void {
    if (this.json) {
      this.streams.stdout.write(
        `${JSON.stringify({ ok: true, summary, ...result, steps: this.steps, warnings: this.warnings }, null, 2)}\n`,
      );
      return;
    }
    this.write(`${this.c.green('✓')} ${summary}\n`);
  }

  /** Reports a failure and returns the exit code. Unexpected errors show their stack. */
  fail(error: unknown): number {
    const expected = error instanceof CliError;
    const exitCode = expected ? error.exitCode : EXIT.unexpected;
    const message = error instanceof Error ? error.message : String(error);
    if (this.json) {
      const body = expected
        ? { code: error.code, message, fix: error.fix, problems: error.problems, details: error.details }
        : { code: 'unexpected', message, fix: 'This is a bug in iii-publish; please report it with the output above.' };
      this.streams.stdout.write(
        `${JSON.stringify({ ok: false, exit_code: exitCode, error: body, steps: this.steps, warnings: this.warnings }, null, 2)}\n`,
      );
      return exitCode;
    }
    const err = (s: string) => this.streams.stderr.write(s);
    err(`${this.c.red('✗')} ${message}\n`);
    if (expected) {
      for (const p of error.problems) err(`  ${formatProblem(p)}\n`);
      for (const d of error.details) err(`  ${this.c.dim(d)}\n`);
      if (error.fix) err(`  ${this.c.bold('fix:')} ${error.fix}\n`);
    } else if (error instanceof Error && error.stack) {
      err(`${this.c.dim(error.stack)}\n`);
    }
    return exitCode;
  }

  private flushWarnings(): void {
    const pending = this.pendingWarnings;
    this.pendingWarnings = [];
    for (const w of pending) this.printWarning(w);
  }

  private printWarning(message: string): void {
    if (!this.json) this.streams.stderr.write(`${this.c.yellow('warning:')} ${message}\n`);
  }

  private write(text: string): void {
    if (!this.json) this.streams.stdout.write(text);
  }
}

export const formatProblem = (p: FixedProblem): string => `${p.path}: ${p.message}${p.fix ? ` (fix: ${p.fix})` : ''}`;
