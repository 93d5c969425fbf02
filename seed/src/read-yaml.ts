import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { validate } from '@iii-registry/schemas';
import type { z } from 'zod';
import type { ProblemList } from './seed-error';

/** Parses one YAML file (duplicate keys are errors, as in iii.worker.yaml) and validates it; undefined on failure. */
export function readYamlFile<S extends z.ZodType>(file: string, schema: S, problems: ProblemList): z.output<S> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    problems.add(file, '(root)', `cannot read: ${(err as Error).message}`);
    return undefined;
  }
  return parseYamlText(file, text, schema, problems);
}

export function parseYamlText<S extends z.ZodType>(
  file: string,
  text: string,
  schema: S,
  problems: ProblemList,
): z.output<S> | undefined {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const at = e.linePos?.[0];
      problems.add(file, at ? `line ${at.line}, column ${at.col}` : '(root)', e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''));
    }
    return undefined;
  }
  const result = validate(schema, doc.toJS() ?? {});
  if (!result.ok) {
    problems.addAll(file, result.problems);
    return undefined;
  }
  return result.value;
}
