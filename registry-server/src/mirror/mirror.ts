import { Readable } from 'node:stream';
import semver from 'semver';
import type { PublicWorkerDetail, PublishPayloadIn, SkillsResponse } from '@iii-registry/schemas';
import { RegistryError } from '../errors';
import type { Principal, RegistryServices } from '../services/types';
import type { MirrorSource } from './source';

export interface MirrorOptions {
  /** Only these workers (default: every worker the source lists). */
  only?: string[];
  onProgress?(line: string): void;
}

export interface MirrorReport {
  workers: number;
  copied: number;
  present: number;
  archives: number;
  tags: number;
  statuses: number;
  skills: number;
  failures: { worker: string; version?: string; message: string }[];
}

/** The publish payload a detail describes; a hosted archive is replaced by the staged local copy. */
function payloadOf(d: PublicWorkerDetail, localArchive: boolean): PublishPayloadIn {
  return {
    worker_name: d.name,
    version: d.version,
    type: d.type,
    readme: d.readme,
    repo: d.repo,
    description: d.description,
    ...(d.license ? { license: d.license } : {}),
    tags: d.tags,
    experimental: d.experimental,
    dependencies: d.dependencies,
    config: d.config,
    functions: d.functions,
    triggers: d.triggers,
    ...(d.binaries ? { binaries: d.binaries } : {}),
    ...(d.image ? { image_tag: d.image } : {}),
    ...(d.type === 'bundle' && !localArchive && d.archive_url ? { archive_url: d.archive_url, sha256: d.sha256 } : {}),
  } as PublishPayloadIn;
}

const skillsMap = (s: SkillsResponse | null) => (s === null ? null : Object.fromEntries(s.skills.map((f) => [f.path, f.content])));
const sameSkills = (a: Record<string, string> | null, b: Record<string, string> | null) =>
  JSON.stringify(a && Object.entries(a).sort()) === JSON.stringify(b && Object.entries(b).sort());

async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof RegistryError && err.status === 404) return null;
    throw err;
  }
}

/**
 * Copies workers, versions (oldest first), statuses, tags and skills snapshots from `source` into `services`. Every
 * step first compares with what is already here, so a run that was interrupted, or run twice, only does what is
 * missing. Bundle archives are fetched and checked against their sha256 before they are stored.
 */
export async function mirror(source: MirrorSource, services: RegistryServices, principal: Principal, options: MirrorOptions = {}): Promise<MirrorReport> {
  const say = options.onProgress ?? (() => undefined);
  const report: MirrorReport = { workers: 0, copied: 0, present: 0, archives: 0, tags: 0, statuses: 0, skills: 0, failures: [] };
  const names = options.only && options.only.length > 0 ? options.only : await source.names();
  // Every bundle archive is copied (an air-gapped site cannot reach the source's, or anyone's, archive URLs).
  const copyable = (url: string | undefined) => url !== undefined && /^https?:\/\//.test(url);

  for (const [i, name] of names.entries()) {
    const before = { ...report };
    try {
      const rows = await source.versions(name);
      const local = await orNull(services.versions(name));
      const have = new Map((local ?? []).map((r) => [r.version, r]));
      for (const row of [...rows].sort((a, b) => semver.compare(a.version, b.version))) {
        try {
          if (!have.has(row.version)) {
            const d = await source.detail(name, row.version);
            const copyArchive = d.type === 'bundle' && copyable(d.archive_url) && d.sha256 !== undefined;
            if (copyArchive) {
              const bytes = await source.archive(d.archive_url as string, d.sha256 as string);
              await services.uploadArchive(principal, name, row.version, Readable.from([bytes]));
              report.archives++;
            }
            await services.publish(principal, payloadOf(d, copyArchive));
            report.copied++;
          } else report.present++;
          const status = row.status ?? 'active';
          if ((have.get(row.version)?.status ?? 'active') !== status || (!have.has(row.version) && status !== 'active')) {
            await services.setStatus(principal, name, row.version, { status, ...(row.status_message ? { message: row.status_message } : {}) });
            report.statuses++;
          }
          const theirs = skillsMap(await source.skills(name, row.version));
          const ours = skillsMap(await orNull(services.skills(name, row.version)));
          if (theirs !== null && !sameSkills(theirs, ours)) {
            await services.publishSkills(principal, name, { version: row.version, skills: theirs });
            report.skills++;
          }
        } catch (err) {
          report.failures.push({ worker: name, version: row.version, message: err instanceof Error ? err.message : String(err) });
        }
      }
      // Tags last, exactly where the source has them (an implicit `latest` may have moved during the copy).
      const after = (await orNull(services.versions(name))) ?? [];
      const now = new Map(after.flatMap((r) => r.tags.map((t) => [t, r.version] as const)));
      const here = new Set(after.map((r) => r.version));
      // A version that failed to copy is already reported; its tags wait for the next run.
      for (const row of rows.filter((r) => here.has(r.version)))
        for (const tag of row.tags) {
          if (now.get(tag) === row.version) continue;
          try {
            await services.moveTag(principal, name, tag, { version: row.version });
            report.tags++;
          } catch (err) {
            report.failures.push({ worker: name, version: row.version, message: `tag ${tag}: ${err instanceof Error ? err.message : String(err)}` });
          }
        }
    } catch (err) {
      report.failures.push({ worker: name, message: err instanceof Error ? err.message : String(err) });
    }
    report.workers++;
    say(`[${i + 1}/${names.length}] ${name}: ${report.copied - before.copied} copied, ${report.present - before.present} present` +
      `${report.archives > before.archives ? `, ${report.archives - before.archives} archives` : ''}` +
      `${report.failures.length > before.failures.length ? `, ${report.failures.length - before.failures.length} failed` : ''}`);
  }
  return report;
}
