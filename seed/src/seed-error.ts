import type { Problem } from '@iii-registry/schemas';

/** One thing wrong in the catalog: the file it is in, the JSON path inside that file, and what is wrong. */
export interface SeedProblem {
  file: string;
  path: string;
  message: string;
}

/** Thrown by the loader with every problem at once, so one run shows the author all there is to fix. */
export class SeedCatalogError extends Error {
  readonly problems: SeedProblem[];

  constructor(problems: SeedProblem[]) {
    const lines = problems.map((p) => `  - ${p.file}: ${p.path}: ${p.message}`);
    super(`The seed catalog has ${problems.length} problem(s):\n${lines.join('\n')}`);
    this.name = 'SeedCatalogError';
    this.problems = problems;
  }
}

/** Collects problems while the loader keeps going. */
export class ProblemList {
  readonly items: SeedProblem[] = [];

  add(file: string, path: string, message: string): void {
    this.items.push({ file, path, message });
  }

  addAll(file: string, problems: Problem[], note = ''): void {
    for (const p of problems) this.add(file, p.path, note ? `${p.message} ${note}` : p.message);
  }

  throwIfAny(): void {
    if (this.items.length > 0) throw new SeedCatalogError(this.items);
  }
}
