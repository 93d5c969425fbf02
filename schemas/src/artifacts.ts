import { z } from 'zod';

export const WORKER_TYPES = ['binary', 'image', 'bundle', 'engine'] as const;
export const WorkerTypeSchema = z.enum(WORKER_TYPES);
export type WorkerType = z.infer<typeof WorkerTypeSchema>;

/** What iii.lock accepts (the CLI's lockfile.rs checks it on every install): exactly 64 lower-case hex characters. */
export const Sha256Schema = z.string().superRefine((v, ctx) => {
  if (!/^[a-f0-9]{64}$/.test(v))
    ctx.addIssue({
      code: 'custom',
      message: 'must be exactly 64 lower-case hex characters (the iii CLI refuses any other sha256 in iii.lock)',
      params: { fix: 'send the SHA-256 of the file as 64 lower-case hex characters (`sha256sum FILE`)' },
    });
});

export const BinaryArtifactSchema = z.strictObject({
  url: z.string().url().max(2048),
  sha256: Sha256Schema,
});

/** An OCI reference pinned by digest: `<ref>@sha256:<64 hex>` (the iii CLI refuses anything else in iii.lock). */
export const IMAGE_DIGEST_PATTERN = /^[^@\s]+@sha256:[a-f0-9]{64}$/;
export const IMAGE_DIGEST_FIX = 'pin it by digest: ghcr.io/x/y@sha256:<64 hex>';
export type BinaryArtifact = z.infer<typeof BinaryArtifactSchema>;

export const TargetTripleSchema = z
  .string()
  .regex(/^[a-z0-9_]+(-[a-z0-9_.]+){1,4}$/, { message: 'must be a target triple such as x86_64-unknown-linux-gnu' });

export const BinariesSchema = z
  .record(TargetTripleSchema, BinaryArtifactSchema)
  .refine((m) => Object.keys(m).length <= 32, { message: 'at most 32 targets' });
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
