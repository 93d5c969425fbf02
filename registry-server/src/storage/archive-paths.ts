import { ArchivePolicyError, formatBytes, type ArchiveLimits } from './archive-errors';

/**
 * Entry path and type rules of the bundle safety policy. Pure functions over what the tar parser reports
 * for an entry *after* PAX and GNU long-name headers were applied, so a long name cannot smuggle `..` past us.
 */

/** The kinds a bundle may hold; `OldFile` (typeflag NUL) and `ContiguousFile` unpack as regular files. */
const REGULAR_FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

export type EntryKind = 'file' | 'directory';

/** Maps the parser's entry type to a kind, or throws the policy error that names the entry. */
export function entryKind(type: string, path: string): EntryKind {
  if (REGULAR_FILE_TYPES.has(type)) return 'file';
  if (type === 'Directory') return 'directory';
  if (type === 'SymbolicLink')
    throw new ArchivePolicyError('archive_symlink', `Entry '${path}' is a symbolic link; bundles may not contain links`, path);
  if (type === 'Link')
    throw new ArchivePolicyError('archive_hard_link', `Entry '${path}' is a hard link; bundles may not contain links`, path);
  const what =
    type === 'CharacterDevice' ? 'a character device'
    : type === 'BlockDevice' ? 'a block device'
    : type === 'FIFO' ? 'a FIFO'
    : `of unsupported type '${type}'`;
  throw new ArchivePolicyError(
    'archive_special_entry',
    `Entry '${path}' is ${what}; only regular files and directories are allowed`,
    path,
  );
}

/**
 * The entry's path as it will land in the sandbox: `./` prefixes, `.` and empty components dropped, so
 * `./a//b/` is `a/b`. The root directory itself (`./`) normalizes to ''. Throws on absolute paths and on any
 * `..` component. Backslashes count as separators and drive letters as absolute, because the engine also
 * unpacks on Windows, where `..\\x` and `C:\\x` escape the sandbox.
 */
export function normalizeEntryPath(raw: string): string {
  if (raw.includes('\0'))
    throw new ArchivePolicyError('archive_corrupt', `Entry '${raw.replace(/\0/g, '\\0')}' has a NUL byte in its path`, raw);
  if (/^[/\\]/.test(raw) || /^[A-Za-z]:/.test(raw))
    throw new ArchivePolicyError('archive_absolute_path', `Entry '${raw}' has an absolute path; paths must be relative to the bundle root`, raw);
  const parts = raw.split(/[/\\]/);
  if (parts.includes('..'))
    throw new ArchivePolicyError('archive_path_traversal', `Entry '${raw}' has a '..' path component`, raw);
  return parts.filter((p) => p !== '' && p !== '.').join('/');
}

/** Directories an entry sits under, itself included when it is a directory (see ARCHIVE_LIMITS.maxDepth). */
export function entryDepth(normalized: string, kind: EntryKind): number {
  if (normalized === '') return 0;
  const components = normalized.split('/').length;
  return kind === 'directory' ? components : components - 1;
}

/**
 * Tracks the entries seen so far and applies the per-entry rules in a fixed order, so the first broken
 * rule is the one reported: count, type, path, depth, duplicates, file size.
 */
export class EntryChecker {
  private readonly seen = new Set<string>();
  entries = 0;

  constructor(private readonly limits: ArchiveLimits) {}

  /** Returns the normalized path and kind of an acceptable entry; throws the policy error otherwise. */
  check(rawPath: string, type: string, declaredSize: number): { path: string; kind: EntryKind } {
    this.entries += 1;
    if (this.entries > this.limits.maxEntries)
      throw new ArchivePolicyError(
        'archive_too_many_entries',
        `Entry '${rawPath}' is entry ${this.entries}; a bundle holds at most ${this.limits.maxEntries} entries`,
        rawPath,
      );
    const kind = entryKind(type, rawPath);
    const path = normalizeEntryPath(rawPath);
    const depth = entryDepth(path, kind);
    if (depth > this.limits.maxDepth)
      throw new ArchivePolicyError(
        'archive_too_deep',
        `Entry '${rawPath}' is ${depth} directories deep; the limit is ${this.limits.maxDepth}`,
        rawPath,
      );
    if (path !== '') {
      if (this.seen.has(path))
        throw new ArchivePolicyError('archive_duplicate_entry', `Entry '${rawPath}' appears more than once in the archive`, rawPath);
      this.seen.add(path);
    }
    if (kind === 'file' && declaredSize > this.limits.maxFileBytes)
      throw fileTooLarge(rawPath, declaredSize, this.limits);
    return { path, kind };
  }
}

export const fileTooLarge = (entry: string, size: number, limits: ArchiveLimits) =>
  new ArchivePolicyError(
    'archive_file_too_large',
    `Entry '${entry}' is ${size} bytes; a single file may be at most ${limits.maxFileBytes} bytes (${formatBytes(limits.maxFileBytes)})`,
    entry,
  );

export const tooLarge = (entry: string, total: number, limits: ArchiveLimits) =>
  new ArchivePolicyError(
    'archive_too_large',
    `The archive unpacks to more than ${limits.maxUnpackedBytes} bytes (${formatBytes(limits.maxUnpackedBytes)}): ` +
      `${total} bytes reached at entry '${entry}'`,
    entry,
  );
