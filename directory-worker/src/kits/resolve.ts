import type { KitDetail } from '@iii-registry/schemas';
import { D510 } from './errors';
import type { KitRegistry } from './kit-registry';
import { maxSatisfying, type VersionRef } from './kit-ref';

const describe = (ref: VersionRef): string => (ref.kind === 'exact' ? ref.version : ref.kind === 'range' ? ref.range : ref.tag);

/**
 * The detail of the version a ref names (kits.md §2.1): tags and exact versions go to the registry as they are;
 * ranges are resolved here against /versions (prereleases only when the range names one). A 404 is retried with
 * `latest` to tell a missing kit from a missing version.
 */
export async function resolveKit(registry: KitRegistry, kit: string, ref: VersionRef): Promise<KitDetail> {
  let version: string;
  if (ref.kind === 'range') {
    const versions = await registry.versions(kit);
    if (!versions) throw missingKit(kit);
    const best = maxSatisfying(versions.versions.map((v) => v.version), ref.range);
    if (!best) throw D510(`no version of kit ${kit} satisfies "${ref.range}"`,
      `call directory::kits::get with registry=true, or ask for a tag such as latest`);
    version = best;
  } else {
    version = ref.kind === 'exact' ? ref.version : ref.tag;
  }
  const detail = await registry.detail(kit, version);
  if (detail) return detail;
  if (version !== 'latest' && (await registry.detail(kit, 'latest')))
    throw D510(`kit ${kit} has no version or tag "${describe(ref)}"`, `ask for ${kit}@latest or a published version`);
  throw missingKit(kit);
}

const missingKit = (kit: string) =>
  D510(`kit "${kit}" does not exist in the registry`, 'check the author and kit name');
