import crypto from 'node:crypto';
import { RegistryError } from '../errors';

/** Opaque cursors: base64url JSON. Browsing is keyset (downloads, name); a search pages through a snapshot. */
export type Cursor = { k: 'b'; d: number; n: string } | { k: 's'; id: string; o: number };

export const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

export const invalidCursor = () =>
  new RegistryError(422, 'invalid_cursor', 'The cursor is not one this registry issued.', 'Pass next_cursor from a previous page unchanged, or omit cursor to start over.');

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (c.k === 'b' && Number.isInteger(c.d) && typeof c.n === 'string') return c;
    if (c.k === 's' && typeof c.id === 'string' && Number.isInteger(c.o) && c.o >= 0) return c;
  } catch {
    // fall through to the error below
  }
  throw invalidCursor();
}

/**
 * Ranked result lists kept for a while under an id, so paging a search returns every hit exactly once even while
 * publishes change the index. Bounded in count and age; an expired snapshot is recomputed.
 */
export class SnapshotCache<T = string[]> {
  private readonly entries = new Map<string, { names: T; at: number }>();
  constructor(private readonly max = 500, private readonly ttlMs = 10 * 60_000) {}

  put(names: T): string {
    const id = crypto.randomBytes(9).toString('base64url');
    this.entries.set(id, { names, at: Date.now() });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
    return id;
  }

  get(id: string): T | undefined {
    const e = this.entries.get(id);
    if (!e || Date.now() - e.at > this.ttlMs) return undefined;
    return e.names;
  }
}
