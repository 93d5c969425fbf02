import type { Output } from '../output';
import { setVersionStatus, type SetStatusOptions } from './set-status';

export interface YankOptions extends SetStatusOptions {
  /** Makes a yanked version active again. */
  undo: boolean;
}

/** A yanked version stays installable by exact version but leaves latest and ranges. */
export const yankCommand = (o: YankOptions, out: Output) => setVersionStatus(o, o.undo ? 'active' : 'yanked', out);
