import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A node:http stand-in for an upstream registry, for faults a real registry cannot produce. In mode `ok` it serves a
 * valid detail for every /w/{name} (with an ETag, answering 304 to a matching If-None-Match); the other modes fail
 * in one way each.
 */
export type StandInMode = 'ok' | 'slow' | 'status500' | 'garbage' | 'wrong-shape' | 'huge' | 'huge-chunked' | 'redirect-loop';

export interface StandIn {
  url: string;
  mode: StandInMode;
  /** Requests seen, and how many carried If-None-Match. */
  requests: number;
  conditional: number;
  close(): Promise<void>;
}

export const detailOf = (name: string) => ({
  worker: {
    name,
    description: `${name} from the stand-in`,
    type: 'image',
    version: '1.0.0',
    repo: 'https://example.com/x',
    config: {},
    supported_targets: [],
    total_downloads: 0,
    dependencies: [],
    author: { name: 'stand-in', pfp: null, verified: false },
    image: `ghcr.io/example/${name}@sha256:${'c'.repeat(64)}`,
  },
});

export async function startStandIn(): Promise<StandIn> {
  const sockets = new Set<import('node:net').Socket>();
  const state = { mode: 'ok' as StandInMode, requests: 0, conditional: 0 };
  const server = http.createServer((req, res) => {
    state.requests++;
    if (req.headers['if-none-match']) state.conditional++;
    const name = /^\/w\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? 'unknown';
    switch (state.mode) {
      case 'ok': {
        const body = JSON.stringify(detailOf(name));
        const etag = `"v1-${name}"`;
        if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
        return void res.writeHead(200, { 'content-type': 'application/json', etag }).end(body);
      }
      case 'slow':
        return void setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(detailOf(name))), 30_000).unref();
      case 'status500':
        return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"boom"}');
      case 'garbage':
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"worker": {"name": "tru');
      case 'wrong-shape':
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"worker": {"name": 42}}');
      case 'huge':
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ worker: { ...detailOf(name).worker, readme: 'x'.repeat(300_000) } }));
      case 'huge-chunked': {
        res.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < 40; i++) res.write('x'.repeat(10_000));
        return void res.end();
      }
      case 'redirect-loop':
        return void res.writeHead(302, { location: req.url === '/loop-a' ? '/loop-b' : '/loop-a' }).end();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get mode() { return state.mode; },
    set mode(m) { state.mode = m; },
    get requests() { return state.requests; },
    get conditional() { return state.conditional; },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
