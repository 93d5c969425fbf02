/**
 * HTTP to another registry with every limit bounded: one deadline for the whole exchange (headers and body), a
 * largest body, and redirects followed by hand up to a small cap (a loop ends as a fault, never as a hang).
 */

export type FaultKind = 'unreachable' | 'timeout' | 'too_large' | 'redirect_loop' | 'bad_status' | 'invalid_body' | 'checksum_mismatch';

/** Why talking to the upstream failed; the proxy maps it to a cached answer or a clear envelope error. */
export class UpstreamFault extends Error {
  constructor(readonly kind: FaultKind, message: string) {
    super(message);
    this.name = 'UpstreamFault';
  }
}

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export interface BoundedResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
}

export interface BoundedRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

async function readCapped(res: Response, maxBytes: number, url: string): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new UpstreamFault('too_large', `${url} answered ${declared} bytes, more than the ${maxBytes}-byte limit.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new UpstreamFault('too_large', `${url} answered more than the ${maxBytes}-byte limit.`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

const isRedirect = (status: number) => status === 301 || status === 302 || status === 303 || status === 307 || status === 308;

export async function boundedFetch(url: string, limits: FetchLimits, request: BoundedRequest = {}): Promise<BoundedResponse> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const seen = new Set<string>();
  let current = url;
  try {
    for (let hop = 0; ; hop++) {
      seen.add(current);
      const res = await fetch(current, { method: request.method ?? 'GET', headers: request.headers, body: request.body, redirect: 'manual', signal });
      if (isRedirect(res.status)) {
        await res.body?.cancel().catch(() => undefined);
        const location = res.headers.get('location');
        if (!location) throw new UpstreamFault('bad_status', `${current} answered ${res.status} without a Location.`);
        const next = new URL(location, current).toString();
        if (seen.has(next) || hop + 1 > limits.maxRedirects)
          throw new UpstreamFault('redirect_loop', `${url} redirects in a loop or more than ${limits.maxRedirects} times (last: ${next}).`);
        current = next;
        continue;
      }
      return { status: res.status, headers: res.headers, body: await readCapped(res, limits.maxBytes, current), url: current };
    }
  } catch (err) {
    if (err instanceof UpstreamFault) throw err;
    if (signal.aborted) throw new UpstreamFault('timeout', `${url} did not answer within ${limits.timeoutMs} ms.`);
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new UpstreamFault('unreachable', `${url} could not be reached${cause ? ` (${cause})` : ''}.`);
  }
}
