import type { Problem } from '@iii-registry/schemas';

/** A problem with its path and, when we know one, the fix. */
export interface FixedProblem extends Problem {
  fix?: string;
}

/** Exit codes of iii-publish (documented in publisher/README.md). */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  validation: 3,
  conflict: 4,
  auth: 5,
  network: 6,
  capture: 7,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An expected failure: what went wrong, the fix, and the exit code. Anything else that is thrown is a bug
 * and main.ts shows its stack.
 */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    readonly code: string,
    message: string,
    readonly fix: string,
    readonly problems: FixedProblem[] = [],
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string, fix = 'Run iii-publish --help for the commands and flags.') =>
  new CliError(EXIT.usage, 'usage', message, fix);
