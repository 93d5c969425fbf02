import { parse as parseYaml } from 'yaml';
import {
  bundleManifestProblems,
  describeProblems,
  validate,
  WorkerManifestSchema,
  type WorkerManifest,
} from '@iii-registry/schemas';
import { ARCHIVE_MANIFEST, ArchivePolicyError } from './archive-errors';

/**
 * The bundle's own iii.worker.yaml (W180 rules): valid YAML, valid against WorkerManifestSchema, and the
 * stricter bundle rules (name equals the worker being published, scripts.start present, no install-time
 * scripts or base image).
 */
export function readBundleManifest(bytes: Buffer, expectedName?: string, entry: string = ARCHIVE_MANIFEST): WorkerManifest {
  let doc: unknown;
  try {
    doc = parseYaml(bytes.toString('utf8'));
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw invalid(`${ARCHIVE_MANIFEST} is not valid YAML: ${why}`, entry, [why]);
  }
  const checked = validate(WorkerManifestSchema, doc);
  if (!checked.ok) {
    const problems = checked.problems.map((p) => `${p.path}: ${p.message}`);
    throw invalid(`${ARCHIVE_MANIFEST} is not a valid worker manifest: ${describeProblems(checked.problems)}`, entry, problems);
  }
  const problems = bundleManifestProblems(checked.value, expectedName);
  if (problems.length > 0)
    throw invalid(`${ARCHIVE_MANIFEST} is not allowed in a bundle: ${problems.join('; ')}`, entry, problems);
  return checked.value;
}

const invalid = (message: string, entry: string, problems: string[]) =>
  new ArchivePolicyError('archive_manifest_invalid', message, entry, problems);
