import net from 'node:net';

/** A raw HTTP/1.1 client over net.connect, for what fetch hides: exact bytes, keep-alive, resets, half-closes. */

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawConnection {
  socket: net.Socket;
  /** Resolves with the next complete response on this connection (Content-Length framed). */
  next(): Promise<RawResponse>;
  write(data: string | Buffer): Promise<void>;
  /** Errors the socket raised (ECONNRESET, EPIPE...), in order. */
  errors: string[];
  /** Resolves when the server closed its side (FIN) or the socket closed. */
  ended: Promise<'end' | 'close'>;
}

export async function connect(port: number): Promise<RawConnection> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const errors: string[] = [];
  socket.on('error', (e: NodeJS.ErrnoException) => errors.push(e.code ?? e.message));
  let buffer = Buffer.alloc(0);
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    wake?.();
  });
  const ended = new Promise<'end' | 'close'>((resolve) => {
    socket.once('end', () => resolve('end'));
    socket.once('close', () => resolve('close'));
  });
  let closed = false;
  void ended.then(() => {
    closed = true;
    wake?.();
  });

  async function next(): Promise<RawResponse> {
    for (;;) {
      const head = buffer.indexOf('\r\n\r\n');
      if (head >= 0) {
        const lines = buffer.subarray(0, head).toString('latin1').split('\r\n');
        const status = Number(lines[0].split(' ')[1]);
        const headers: Record<string, string> = {};
        for (const l of lines.slice(1)) {
          const i = l.indexOf(':');
          headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
        }
        const length = Number(headers['content-length'] ?? 0);
        if (buffer.length >= head + 4 + length) {
          const body = buffer.subarray(head + 4, head + 4 + length).toString('utf8');
          buffer = buffer.subarray(head + 4 + length);
          return { status, headers, body };
        }
      }
      if (closed) throw new Error(`connection closed before a complete response (${buffer.length} bytes buffered; errors: ${errors.join(',')})`);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  }

  const write = (data: string | Buffer) =>
    new Promise<void>((resolve, reject) => {
      if (socket.destroyed) return reject(new Error(`socket destroyed (${errors.join(',')})`));
      socket.write(data, (e) => (e ? reject(e) : resolve()));
    });

  return { socket, next, write, errors, ended };
}
