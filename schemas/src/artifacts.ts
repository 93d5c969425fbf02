import { z } from 'zod';

export const WORKER_TYPES = ['binary', 'image', 'bundle', 'engine'] as const;
export const WorkerTypeSchema = z.enum(WORKER_TYPES);
export type WorkerType = z.infer<typeof WorkerTypeSchema>;

export const Sha256Schema = z.string().regex(/^[a-f0-9]{64}$/, { message: 'must be 64 lower-case hex characters' });

export const BinaryArtifactSchema = z.strictObject({
  url: z.string().url().max(2048),
  sha256: z.string().min(1).max(128),
});
export type BinaryArtifact = z.infer<typeof BinaryArtifactSchema>;

export const TargetTripleSchema = z
  .string()
  .regex(/^[a-z0-9_]+(-[a-z0-9_.]+){1,4}$/, { message: 'must be a target triple such as x86_64-unknown-linux-gnu' });

export const BinariesSchema = z.record(TargetTripleSchema, BinaryArtifactSchema);
export type Binaries = z.infer<typeof BinariesSchema>;

/** Targets seen in the wild (formats.md); used by the seed and the web pages, never to refuse a publish. */
export const KNOWN_TARGETS = [
  'x86_64-unknown-linux-gnu',
  'aarch64-unknown-linux-gnu',
  'x86_64-unknown-linux-musl',
  'armv7-unknown-linux-gnueabihf',
  'aarch64-apple-darwin',
  'x86_64-apple-darwin',
  'x86_64-pc-windows-msvc',
  'i686-pc-windows-msvc',
  'aarch64-pc-windows-msvc',
] as const;
