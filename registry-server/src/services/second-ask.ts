/**
 * Admission for caches keyed by open-ended input (search queries): an answer is kept from the second time its key
 * is asked, or at once when the key already had an entry (under an older stamp). A stream of distinct queries then
 * never enters the cache: it does not evict the hot set, and its garbage dies young instead of growing the old
 * generation (issue 16, RSS). Used by the search page cache (ResponseCache) and the ranked-hits cache (WorkerSearch).
 */
export class SecondAsk {
  /** Keys asked once and not kept; cleared whenever it reaches `max` keys. */
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  /** True when `key`'s answer may be kept now; a first ask is only remembered. `known`: the key has an entry. */
  admit(key: string, known: boolean): boolean {
    if (!known && !this.seen.has(key)) {
      if (this.seen.size >= this.max) this.seen.clear();
      this.seen.add(key);
      return false;
    }
    this.seen.delete(key);
    return true;
  }
}
