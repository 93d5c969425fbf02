/** The bench's one table (stdout) and its JSON twin (bench/results/latest.json). */
import type { TargetedRow } from './registry';

export interface Check {
  name: string;
  value: string;
  /** Unset for a figure reported without a target. */
  target?: string;
  met?: boolean;
}

const fmt = (n: number | undefined, digits: number) => (n === undefined || Number.isNaN(n) ? '' : n.toFixed(digits));

export function printTable(rows: TargetedRow[], checks: Check[]): void {
  const head = ['benchmark', 'rps', 'p50 ms', 'p99 ms', 'ratio', 'target', 'met?', 'note'];
  const cells = [
    ...rows.map((r) => [r.name, r.rps === undefined ? '' : String(r.rps), fmt(r.p50_ms, 3), fmt(r.p99_ms, 3), fmt(r.ratio, 2),
      r.target ?? '', r.met === undefined ? '' : r.met ? 'yes' : 'NO', r.note ?? '']),
    ...checks.map((c) => [c.name, '', '', '', c.value, c.target ?? '', c.met === undefined ? '' : c.met ? 'yes' : 'NO', '']),
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const leftAligned = new Set([0, 5, 6, 7]);
  const line = (c: string[]) => c.map((v, i) => (leftAligned.has(i) ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ').trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}
