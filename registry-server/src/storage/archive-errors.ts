/**
 * The bundle archive safety policy's limits and its one error class (formats.md, "Bundle archives").
 * Shared by the registry (before storing an upload) and the publisher (before uploading), so nothing here
 * knows about HTTP: the server maps `code` to a status and builds its envelope from `message` and `fix`.
 */

const MiB = 1024 * 1024;

export const ARCHIVE_LIMITS = {
  /** Sum of the sizes of every file once unpacked (the gzip-bomb guard). */
  maxUnpackedBytes: 64 * MiB,
  /** Largest single file once unpacked. */
  maxFileBytes: 32 * MiB,
  /** Files and directories in the archive (PAX/GNU metadata headers are not entries). */
  maxEntries: 1024,
  /** Directories an entry sits under, counting itself if it is a directory: `a/b/` and `a/b/c.js` are depth 2. */
  maxDepth: 16,
  /** The compressed `.tar.gz` as uploaded. */
  maxUploadBytes: 64 * MiB,
  /** `iii.worker.yaml` is the only content ever held in memory; a real one is a few hundred bytes. */
  maxManifestBytes: 64 * 1024,
} as const;

export type ArchiveLimits = { -readonly [K in keyof typeof ARCHIVE_LIMITS]: number };

export const ARCHIVE_MANIFEST = 'iii.worker.yaml';

/** Stable codes, each with what the author should do about it. */
export const ARCHIVE_FIXES = {
  archive_not_gzip: 'Upload the bundle as a gzip-compressed tar (.tar.gz), e.g. `tar -czf bundle.tar.gz -C dist .`.',
  archive_corrupt: 'Rebuild the archive with a standard tar and gzip; the upload was damaged or truncated.',
  archive_symlink: 'Replace the symbolic link with a copy of the file it points to, or drop it from the bundle.',
  archive_hard_link: 'Replace the hard link with a plain copy of the file, or drop it from the bundle.',
  archive_special_entry: 'Bundles may contain only regular files and directories; remove devices, FIFOs and other special entries.',
  archive_absolute_path: 'Create the archive from inside the bundle directory so entry paths are relative (e.g. `tar -czf bundle.tar.gz -C dist .`).',
  archive_path_traversal: 'Remove every `..` component from entry paths; pack from inside the bundle directory.',
  archive_duplicate_entry: 'Each path may appear once; rebuild the archive from a clean directory.',
  archive_too_many_entries: `Bundle the code into fewer files (at most ${ARCHIVE_LIMITS.maxEntries} entries), e.g. with a bundler.`,
  archive_too_deep: `Flatten the layout: entries may sit at most ${ARCHIVE_LIMITS.maxDepth} directories deep.`,
  archive_file_too_large: `Keep every file at most ${ARCHIVE_LIMITS.maxFileBytes / MiB} MiB; minify or split large assets.`,
  archive_too_large: `Keep the unpacked bundle at most ${ARCHIVE_LIMITS.maxUnpackedBytes / MiB} MiB in total; drop unneeded files.`,
  archive_upload_too_large: `Keep the compressed archive at most ${ARCHIVE_LIMITS.maxUploadBytes / MiB} MiB; drop unneeded files.`,
  archive_manifest_missing: `Put ${ARCHIVE_MANIFEST} at the root of the archive (not inside a subdirectory).`,
  archive_manifest_invalid: `Correct ${ARCHIVE_MANIFEST}: name must match the worker being published, scripts.start is required, scripts.setup, scripts.install and runtime.base_image are not allowed.`,
} as const;

export type ArchivePolicyCode = keyof typeof ARCHIVE_FIXES;

/** Engine codes: W180 the bundle's manifest is rejected, W181 the archive itself is unsafe. */
export type ArchiveEngineCode = 'W180' | 'W181';

const MANIFEST_CODES: ReadonlySet<ArchivePolicyCode> = new Set(['archive_manifest_missing', 'archive_manifest_invalid']);

export const engineCodeOf = (code: ArchivePolicyCode): ArchiveEngineCode => (MANIFEST_CODES.has(code) ? 'W180' : 'W181');

export class ArchivePolicyError extends Error {
  readonly engineCode: ArchiveEngineCode;
  readonly fix: string;

  constructor(
    readonly code: ArchivePolicyCode,
    message: string,
    readonly entry?: string,
    /** For archive_manifest_invalid: each problem as `path: message`. */
    readonly problems: string[] = [],
  ) {
    const engineCode = engineCodeOf(code);
    super(`${message} (${engineCode}: ${engineCode === 'W180' ? 'manifest rejected' : 'unsafe archive'})`);
    this.name = 'ArchivePolicyError';
    this.engineCode = engineCode;
    this.fix = ARCHIVE_FIXES[code];
  }
}

export const isArchivePolicyError = (e: unknown): e is ArchivePolicyError => e instanceof ArchivePolicyError;

/** `1.5 MiB` / `512 bytes`: messages name the limit in the unit an author thinks in. */
export function formatBytes(n: number): string {
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
