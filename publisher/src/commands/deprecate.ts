import type { Output } from '../output';
import { setVersionStatus, type SetStatusOptions } from './set-status';

export interface DeprecateOptions extends SetStatusOptions {
  /** Makes a deprecated version active again. */
  undo: boolean;
}

/** A deprecated version still resolves; readers see the message. */
export const deprecateCommand = (o: DeprecateOptions, out: Output) => setVersionStatus(o, o.undo ? 'active' : 'deprecated', out);
