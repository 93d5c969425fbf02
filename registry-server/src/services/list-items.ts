import type { WorkerListItem } from '@iii-registry/schemas';
import type { WorkersRepository } from '../db/workers-repository';
import { toListItem } from './views';

/** Items kept at most; a new query's page names 20, and agents' queries keep landing on the same workers. */
const LIST_ITEMS_MAX = 5_000;

/**
 * The list rows of search pages, kept between queries while the list stamp (every write and every download) is
 * unchanged: a query the registry has never seen then costs the ranking alone, not a database read and a row
 * mapping per hit. Any write or download drops them all, so an item is never older than the page it appears in.
 */
export class ListItems {
  private stamp: string | undefined;
  private readonly items = new Map<string, WorkerListItem>();

  constructor(private readonly workers: WorkersRepository, private readonly max = LIST_ITEMS_MAX) {}

  /** The list items of `names` in that order (names no longer present are left out). */
  async of(names: string[]): Promise<WorkerListItem[]> {
    const stamp = await this.workers.listStamp();
    if (stamp !== this.stamp) {
      this.items.clear();
      this.stamp = stamp;
    }
    const missing = names.filter((n) => !this.items.has(n));
    if (missing.length > 0) {
      const rows = await this.workers.displayMany(missing);
      // A write between the stamp read and this read only makes the rows newer than the stamp: the next call's
      // stamp differs and drops them.
      if (this.items.size + rows.length > this.max) this.items.clear();
      for (const r of rows) this.items.set(r.worker.name, toListItem(r.worker, r.version));
    }
    return names.flatMap((n) => this.items.get(n) ?? []);
  }
}
