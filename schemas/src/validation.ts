import type { z } from 'zod';
import type { Problem } from './errors';

/** `['functions', 4, 'name']` becomes `functions[4].name`, the path style of every 422. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out || '(root)';
}

/** Every problem of a zod error, each with its path; unknown keys are reported one per key. */
export function problemsOf(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): Problem[] {
  const out: Problem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({ path: formatPath([...prefix, ...issue.path, key]), message: 'unknown field' });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest: fewest problems is the best guess of what the writer meant.
      const branches = issue.errors.map((issues) => issues);
      branches.sort((a, b) => a.length - b.length);
      const best = branches[0];
      if (best.length === 0) out.push({ path: formatPath([...prefix, ...issue.path]), message: issue.message });
      for (const sub of best) {
        const fix = sub.code === 'custom' && typeof sub.params?.fix === 'string' ? sub.params.fix : undefined;
        out.push({ path: formatPath([...prefix, ...issue.path, ...sub.path]), message: sub.message, ...(fix ? { fix } : {}) });
      }
    } else {
      const fix = issue.code === 'custom' && typeof issue.params?.fix === 'string' ? issue.params.fix : undefined;
      out.push({ path: formatPath([...prefix, ...issue.path]), message: issue.message, ...(fix ? { fix } : {}) });
    }
  }
  return out;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export function validate<S extends z.ZodType>(schema: S, input: unknown): Validated<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: problemsOf(result.error) };
}

export const describeProblems = (problems: Problem[]): string =>
  problems.map((p) => `${p.path}: ${p.message}`).join('; ');
