import type { Problem } from '@iii-registry/schemas';

/**
 * The one error class services throw. The error handler in app.ts turns it into the contract's envelope
 * `{"error": {code, message, fix, available}}`; nothing anywhere matches on message text.
 */
export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fix: string,
    readonly available: string[] = [],
    readonly problems?: Problem[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

export const notFoundWorker = (name: string, suggestions: string[] = []) =>
  new RegistryError(
    404,
    'worker_not_found',
    `No worker named '${name}' is published here.`,
    suggestions.length > 0
      ? `Check the name; similar workers: ${suggestions.join(', ')}.`
      : `Check the name, or search with GET /w?search=${encodeURIComponent(name)}.`,
    suggestions,
  );

export const versionNotFound = (name: string, asked: string, available: string[], status = 422) =>
  new RegistryError(
    status,
    'version_not_found',
    `No version of '${name}' satisfies ${asked === '' ? 'latest' : asked}.`,
    available.length > 0
      ? `Publish '${name}' with a compatible version or request one of: ${available.slice(0, 10).join(', ')}.`
      : `Publish a stable version of '${name}' first.`,
    available,
  );

export const validationFailed = (what: string, problems: Problem[]) =>
  new RegistryError(
    422,
    'validation_failed',
    `The ${what} is invalid: ${problems
      .slice(0, 20)
      .map((p) => `${p.path}: ${p.message}`)
      .join('; ')}${problems.length > 20 ? ` (and ${problems.length - 20} more)` : ''}.`,
    [...new Set(problems.flatMap((p) => (p.fix ? [`${p.path}: ${p.fix}`] : [])))].join('; ') +
      (problems.some((p) => p.fix) ? '. ' : '') +
      'Correct every problem listed in `problems` (each names its JSON path) and send the request again.',
    [],
    problems,
  );

export const unauthorized = (reason: 'missing' | 'invalid') =>
  new RegistryError(
    401,
    reason === 'missing' ? 'api_key_missing' : 'api_key_invalid',
    reason === 'missing' ? 'This request needs an API key.' : 'The API key is not valid (unknown or revoked).',
    'Send a valid key in the X-API-Key header (create one with `npm run keys -- create <name>`).',
  );

export const forbidden = (name: string) =>
  new RegistryError(
    403,
    'not_owner',
    `This key may not publish or change '${name}': another key owns it.`,
    `Use the key that first published '${name}', or ask an admin to publish with an admin key.`,
  );
