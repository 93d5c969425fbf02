import { ErrorEnvelopeSchema } from '@iii-registry/schemas';
import { CliError, EXIT } from './errors';

export interface ClientOptions {
  baseUrl: string;
  apiKey?: string;
  /** Extra attempts after the first on network errors, 5xx and 429. */
  retries?: number;
  /** First backoff delay; it doubles each attempt (with a little jitter). */
  backoffMs?: number;
  /** Per-attempt timeout. */
  timeoutMs?: number;
}

export interface RegistryResponse {
  status: number;
  body: unknown;
}

interface RequestOptions {
  json?: unknown;
  raw?: Buffer;
  contentType?: string;
  auth?: boolean;
  /** Statuses the caller handles itself (e.g. 409 on publish); everything else >= 400 becomes a CliError. */
  accept?: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seg = encodeURIComponent;

/**
 * The registry's HTTP API (http-api.md plus our archive and status extensions). Network failures, 5xx and
 * 429 are retried with exponential backoff; after the last attempt they exit 6. Error envelopes map to
 * exit codes: 401/403 auth (5), 409 conflict (4), 400/404/413/422 refused input (3).
 */
export class RegistryClient {
  readonly baseUrl: string;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<RegistryResponse> {
    const retries = this.options.retries ?? 3;
    const backoff = this.options.backoffMs ?? 300;
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.raw) {
      headers['content-type'] = opts.contentType ?? 'application/octet-stream';
      body = Uint8Array.from(opts.raw);
    }
    if (opts.auth) {
      if (!this.options.apiKey)
        throw new CliError(EXIT.auth, 'api_key_missing', 'no API key for the registry', 'Set III_REGISTRY_API_KEY or pass --api-key <key>.');
      headers['x-api-key'] = this.options.apiKey;
    }
    const url = `${this.baseUrl}${path}`;
    let lastProblem = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(backoff * 2 ** (attempt - 1) * (1 + Math.random() * 0.2));
      let res: Response;
      try {
        res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        lastProblem = `${(error as Error).message}${cause ? ` (${cause})` : ''}`;
        continue;
      }
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? null : JSON.parse(text);
      } catch {
        // Not JSON: keep the text for the message.
      }
      // Too many wrong keys from here: retrying with the same key only extends the wait; it is an auth failure.
      if (res.status === 429 && authLimited(parsed)) throw errorFromResponse(res.status, parsed, `${method} ${path}`);
      if (res.status >= 500 || res.status === 429) {
        lastProblem = `${method} ${path} answered ${res.status}`;
        const retryAfter = Number(res.headers.get('retry-after'));
        if (res.status === 429 && retryAfter > 0 && attempt < retries) await sleep(Math.min(retryAfter, 10) * 1000);
        continue;
      }
      if (res.status >= 400 && !opts.accept?.includes(res.status)) throw errorFromResponse(res.status, parsed, `${method} ${path}`);
      return { status: res.status, body: parsed };
    }
    throw new CliError(
      EXIT.network,
      'network_failure',
      `cannot reach the registry at ${this.baseUrl} after ${retries + 1} attempts: ${lastProblem}`,
      'Check --registry / III_API_URL and that the registry is up (GET /healthz), then run the command again.',
    );
  }

  publish(payload: unknown) {
    return this.request('POST', '/publish', { json: payload, auth: true, accept: [409] });
  }

  uploadArchive(slug: string, version: string, archive: Buffer) {
    return this.request('POST', `/w/${seg(slug)}/archive?version=${seg(version)}`, {
      raw: archive,
      contentType: 'application/gzip',
      auth: true,
      accept: [409],
    });
  }

  publishSkills(slug: string, body: unknown) {
    return this.request('POST', `/w/${seg(slug)}/skills`, { json: body, auth: true });
  }

  moveTag(slug: string, tag: string, body: unknown) {
    return this.request('PUT', `/w/${seg(slug)}/tags/${seg(tag)}`, { json: body, auth: true, accept: [409] });
  }

  setStatus(slug: string, version: string, body: unknown) {
    return this.request('POST', `/w/${seg(slug)}/versions/${seg(version)}/status`, { json: body, auth: true });
  }

  versions(slug: string) {
    return this.request('GET', `/w/${seg(slug)}/versions`, { accept: [404] });
  }
}

const authLimited = (body: unknown): boolean => ErrorEnvelopeSchema.safeParse(body).data?.error.code === 'auth_rate_limited';

/** Turns an error response into the CliError with the right exit code, keeping the envelope's fix. */
export function errorFromResponse(status: number, body: unknown, what: string): CliError {
  const env = ErrorEnvelopeSchema.safeParse(body);
  const e = env.success ? env.data.error : undefined;
  const message = e ? `${e.message} (${e.code})` : `${what} answered ${status}`;
  const details = e && e.available.length > 0 ? [`available: ${e.available.join(', ')}`] : [];
  if (status === 401 || status === 403 || e?.code === 'auth_rate_limited')
    return new CliError(EXIT.auth, e?.code ?? 'unauthorized', message, e?.fix ?? 'Check III_REGISTRY_API_KEY or --api-key.', [], details);
  if (status === 409) return new CliError(EXIT.conflict, e?.code ?? 'conflict', message, e?.fix ?? '', [], details);
  if (status >= 400 && status < 500)
    return new CliError(EXIT.validation, e?.code ?? 'refused', message, e?.fix ?? 'Check the input and try again.', e?.problems ?? [], details);
  return new CliError(EXIT.unexpected, e?.code ?? 'unexpected_status', message, e?.fix ?? '', [], details);
}
