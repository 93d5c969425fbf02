import { registerWorker, type IIIClient } from 'iii-sdk';
import { WebSocket } from 'ws';

/** An unmodified iii-sdk client; telemetry and metrics off so tests stay quiet. */
export function sdk(url: string, workerName: string): IIIClient {
  return registerWorker(url, { workerName, otel: { enabled: false }, enableMetricsReporting: false });
}

/** Polls `check` until it holds; bounded so a broken engine fails the test instead of hanging it. */
export async function until(check: () => boolean | Promise<boolean>, what: string, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** A raw socket that collects every frame, for asserting exactly what the engine sends. */
export async function raw(url: string): Promise<{ ws: WebSocket; frames: Array<Record<string, unknown>>; next(): Promise<Record<string, unknown>> }> {
  const ws = new WebSocket(url);
  const frames: Array<Record<string, unknown>> = [];
  let waiting: ((f: Record<string, unknown>) => void) | undefined;
  let read = 0;
  ws.on('message', (d) => {
    frames.push(JSON.parse(d.toString()));
    if (waiting && read < frames.length) {
      const w = waiting;
      waiting = undefined;
      w(frames[read++]);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    next: () => (read < frames.length ? Promise.resolve(frames[read++]) : new Promise((r) => (waiting = r))),
  };
}
