import type { AgentEntry, SkillEntry } from '@iii-registry/schemas';
import type { PackageRow } from './types';

export type KitVersionStatus = 'active' | 'deprecated' | 'yanked';

/** A published kit version as stored besides its files: what the publish computed once. */
export interface KitVersionDoc {
  description: string | null;
  license: string | null;
  repo: string | null;
  tags: string[];
  notes: string | null;
  experimental: boolean | null;
  workers: { name: string; range: string }[];
  agents: AgentEntry[];
  skills: SkillEntry[];
}

export interface KitRow extends PackageRow {
  handle: string;
}

export interface KitVersionMeta {
  id: number;
  version: string;
  prerelease: boolean;
  status: KitVersionStatus;
  status_message: string | null;
  replaced_by: string | null;
  published_at: string;
  license: string | null;
}

export interface KitVersionRecord extends KitVersionMeta {
  kit_id: number;
  readme_sha256: string | null;
  doc: KitVersionDoc;
}

export interface KitTagRow {
  name: string;
  version: string;
  version_id: number;
}

export interface KitFileRow {
  path: string;
  sha256: string;
  content: string;
}

/** A kit with the version it shows by default (its latest tag, else its newest version), for lists and search. */
export interface KitListRow {
  kit: KitRow;
  version: KitVersionRecord;
  search_text: string;
}

export interface NewKitVersion {
  handle: string;
  name: string;
  version: string;
  prerelease: boolean;
  publisher_key_id: number | null;
  published_at: string;
  doc: KitVersionDoc;
  /** Source path → content with its sha256 (computed by the service). */
  files: { path: string; sha256: string; content: string }[];
  readme: { sha256: string; content: string } | null;
  search_text: string;
  /** Extra release tag to point at the new version. */
  tag?: string;
}

/** Rules the publish applies inside the store's transaction; the service supplies them. */
export interface KitPublishRules {
  /** Throws when the caller may not publish under this handle (owner key id, null = unclaimed or seeded). */
  authorize(handleOwner: { owner_key_id: number | null } | null): void;
  /** Throws the conflict error when the version exists already. */
  conflict(existing: KitVersionMeta): never;
  /** Tags to point at the new version, given every version (the new one included) and the current tags. */
  tagsAfter(versions: KitVersionMeta[], tags: KitTagRow[], inserted: KitVersionMeta): string[];
}
