/** One line of a benchmark table. `ratio` is against the baseline measured in the same run. */
export type BenchRow = { name: string; rps?: number; p50_ms: number; p99_ms: number; ratio?: number; note?: string };
