import { readFile } from 'node:fs/promises';
import { validate, type z } from '@iii-registry/schemas';
import { CliError, EXIT, type ExitCode } from './errors';

export interface JsonFileErrors {
  /** Exit code and error code when the file cannot be read or parsed. */
  unreadable: { exit: ExitCode; code: string };
  /** Error code when it parses but breaks the schema (exits with the validation code, every problem listed). */
  invalid: string;
  /** What the file should contain, said as the fix for both failures. */
  fix: string;
  /** Sentence for the invalid case, e.g. "is not a valid API reference". */
  what: string;
}

/** Reads a JSON file the user named and checks it against a schema, failing with one CliError per case. */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S, errors: JsonFileErrors): Promise<z.output<S>> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CliError(errors.unreadable.exit, errors.unreadable.code, `cannot read ${file}: ${(error as Error).message}`, errors.fix);
  }
  const checked = validate(schema, data);
  if (!checked.ok) throw new CliError(EXIT.validation, errors.invalid, `${file} ${errors.what}`, errors.fix, checked.problems);
  return checked.value;
}
