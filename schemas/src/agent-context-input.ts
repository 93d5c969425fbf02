import type { WorkerDetail } from './worker';

/** Everything the agent-context renderer needs about one stored version; no I/O, no clock. */
export interface AgentContextInput {
  worker: WorkerDetail;
  /** Every other published version, newest first. */
  other_versions: string[];
  /** Skill files of this version's snapshot, with the description from their frontmatter when present. */
  skills: { path: string; description?: string }[];
}

export interface AgentContextOptions {
  /** Approximate token budget; the README is trimmed first, the API reference never. */
  tokens?: number;
  /** Subset of sections to include; the header is always present. */
  sections?: AgentContextSection[];
}

export const AGENT_CONTEXT_SECTIONS = ['install', 'config', 'dependencies', 'functions', 'triggers', 'skills', 'readme'] as const;
export type AgentContextSection = (typeof AGENT_CONTEXT_SECTIONS)[number];
