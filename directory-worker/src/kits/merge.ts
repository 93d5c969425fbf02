import { diff3Merge } from 'node-diff3';

export interface MergeResult {
  status: 'clean' | 'conflicts';
  conflicts: number;
  /** The merged text; with conflicts, git-style markers around each one. */
  content: string;
}

/** `=======` alone is also a markdown heading underline, so only the opening and closing markers count. */
const MARKER = /^(<{7}|>{7})( |$)/m;

/** True when text still carries a conflict marker line (an unresolved merge must never be written). */
export const hasConflictMarkers = (text: string): boolean => MARKER.test(text);

/** Three-way line merge of the local edit (`ours`) and the kit's new version (`theirs`) against the installed base. */
export function threeWay(base: string, ours: string, theirs: string, theirsLabel = 'kit'): MergeResult {
  const regions = diff3Merge(ours.split('\n'), base.split('\n'), theirs.split('\n'), { excludeFalseConflicts: true });
  const lines: string[] = [];
  let conflicts = 0;
  for (const region of regions) {
    if (region.ok) {
      lines.push(...region.ok);
    } else if (region.conflict) {
      conflicts++;
      lines.push('<<<<<<< local', ...region.conflict.a, '=======', ...region.conflict.b, `>>>>>>> ${theirsLabel}`);
    }
  }
  return { status: conflicts === 0 ? 'clean' : 'conflicts', conflicts, content: lines.join('\n') };
}
