import { open, type FileHandle } from 'node:fs/promises';

/**
 * A new file written from a stream of chunks, made durable before it is used: the writer for archive uploads.
 *
 * Chunks are queued and written with one `writev` per `batchBytes` (1 MiB), so a 10 MiB upload costs about ten
 * thread-pool round trips instead of one per 64 KiB socket read (each round trip also wakes a thread that competes
 * with the inflater for the CPU); the caller only waits for the disk when more than `maxPendingBytes` are queued.
 * `finish()` writes the rest and makes one `fdatasync`: it resolves once every byte and the file's size are on the
 * disk (the data and the metadata needed to read it back); the caller then renames the file and syncs the directory.
 * (Extra fdatasyncs every 2 MiB while the upload streams were measured and did not shorten uploads on this machine's
 * disk: each is a journal commit of its own.)
 */

export interface DurableFileOptions {
  /** Queued bytes written together by one writev (the last batch may be smaller). */
  batchBytes?: number;
  /** Queued bytes above which `write` asks the caller to wait. */
  maxPendingBytes?: number;
}

const MiB = 1024 * 1024;
const DEFAULTS: Required<DurableFileOptions> = { batchBytes: MiB, maxPendingBytes: 8 * MiB };

export class DurableFile {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The running write loop, if any. */
  private pump: Promise<void> | undefined;
  private error: Error | undefined;
  private closed = false;
  /** Callers waiting for the queue to be taken by the writer. */
  private waiters: (() => void)[] = [];
  private readonly options: Required<DurableFileOptions>;
  /** Calls made, for tests and profiles. */
  readonly stats = { writes: 0, syncs: 0, bytes: 0 };

  private constructor(private readonly handle: FileHandle, options: DurableFileOptions) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Creates the file; it must not exist yet. */
  static async create(path: string, options: DurableFileOptions = {}): Promise<DurableFile> {
    return new DurableFile(await open(path, 'wx'), options);
  }

  /**
   * Queues a chunk (kept by reference: the caller must not reuse it). Returns a promise when the caller should wait
   * before writing more (the queue is full), undefined otherwise. Throws the first write error.
   */
  write(chunk: Buffer): Promise<void> | undefined {
    if (this.error) throw this.error;
    if (this.closed) throw new Error('write after finish');
    if (chunk.length === 0) return undefined;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= this.options.batchBytes) this.pump ??= this.run();
    if (this.pendingBytes <= this.options.maxPendingBytes) return undefined;
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Writes what is queued, fdatasyncs once, closes. Rejects with the first write or sync error. */
  async finish(): Promise<void> {
    this.closed = true;
    try {
      if (this.pendingBytes > 0) this.pump ??= this.run();
      await this.idle();
      if (this.error) throw this.error;
      await this.handle.datasync();
      this.stats.syncs++;
    } finally {
      await this.handle.close().catch(() => {});
    }
  }

  /** Stops writing (what is in flight completes) and closes; the caller removes the file. */
  async abort(): Promise<void> {
    if (this.closed && !this.pump) return;
    this.closed = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.release();
    await this.idle();
    await this.handle.close().catch(() => {});
  }

  /** Waits until no write runs. */
  private async idle(): Promise<void> {
    while (this.pump) await this.pump;
  }

  /** The queue was taken by the writer (or dropped): whoever waited may write again (and sees any error). */
  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private fail(e: unknown): void {
    this.error ??= e instanceof Error ? e : new Error(String(e));
    this.pending = [];
    this.pendingBytes = 0;
  }

  private async run(): Promise<void> {
    try {
      while (this.pendingBytes >= this.options.batchBytes || (this.closed && this.pendingBytes > 0)) {
        const batch = this.pending;
        const bytes = this.pendingBytes;
        this.pending = [];
        this.pendingBytes = 0;
        this.release();
        const { bytesWritten } = await this.handle.writev(batch);
        this.stats.writes++;
        if (bytesWritten !== bytes) throw new Error(`short write: ${bytesWritten} of ${bytes} bytes`);
        this.stats.bytes += bytes;
      }
    } catch (e) {
      this.fail(e);
    } finally {
      this.pump = undefined;
      this.release();
    }
  }
}
