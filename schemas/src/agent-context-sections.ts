import type { AgentContextInput, AgentContextSection } from './agent-context-input';
import { codeSpan, demoteHeadings, normalizeNewlines, oneLine } from './agent-context-markdown';
import { schemaNotes } from './agent-context-schema-notes';
import type { FunctionEntry, RegisteredTrigger, TriggerEntry } from './api-reference';
import { functionBindingsLine, otherBindingsLine } from './agent-context-bindings';
import { clip, renderSchemaInline } from './json-schema-fields';
import { readmeToText } from './readme-text';
import type { WorkerDetail } from './worker';

/** Renderers of the header and of each section except configuration and dependencies (agent-context-config). */

const MAX_OTHER_VERSIONS = 20;
export const SHORT_SKILL_DESCRIPTION = 60;

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Where things live, derived once from the name and version (the version is URL-encoded: `+build`). */
export function urls(worker: WorkerDetail) {
  const v = encodeURIComponent(worker.version);
  return {
    document: `/workers/${worker.name}.md?version=${v}`,
    skills: `GET /w/${worker.name}/skills?version=${v}`,
    detail: `GET /w/${worker.name}?version=${v}`,
    versions: `GET /w/${worker.name}/versions`,
  };
}

/** YYYY-MM-DD in UTC; parsing a given string is deterministic (no clock involved). */
export function publishedDate(publishedAt: string): string {
  const parsed = new Date(publishedAt);
  if (!Number.isNaN(parsed.getTime())) return parsed.toISOString().slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}/.exec(publishedAt)?.[0] ?? 'unknown date';
}

export function statusText(worker: WorkerDetail): string {
  const message = worker.status_message?.trim() ? `: ${oneLine(worker.status_message)}` : '';
  return worker.status === 'active' ? 'active' : `${worker.status}${message}`;
}

export function renderHeader(input: AgentContextInput, sections: AgentContextSection[] | undefined): string {
  const { worker } = input;
  const lines = [`# ${worker.name} ${worker.version}`];
  const description = normalizeNewlines(worker.description).trim();
  if (description) lines.push(...description.split('\n').map((l) => (l.trim() ? `> ${l}` : '>')));
  const facts = [
    worker.type,
    worker.license || 'license unknown',
    `published ${publishedDate(worker.published_at)}`,
    statusText(worker),
    ...(worker.experimental ? ['experimental'] : []),
    worker.repo.trim() ? `repo ${worker.repo.trim()}` : 'no repo',
  ];
  lines.push(`> ${facts.join(' · ')}`);
  const others = input.other_versions.filter((v) => v !== worker.version);
  const shown = others.slice(0, MAX_OTHER_VERSIONS).join(', ');
  const more = others.length > MAX_OTHER_VERSIONS ? `, … ${others.length - MAX_OTHER_VERSIONS} more (${urls(worker).versions})` : '';
  lines.push(`> other versions: ${others.length > 0 ? shown + more : 'none'} · this document: ${urls(worker).document}`);
  // A filtered document says so, so an agent does not take a missing section for "none".
  if (sections !== undefined) lines.push(`> sections shown: ${sections.length > 0 ? sections.join(', ') : 'header only'}`);
  return lines.join('\n');
}

export function renderInstall(worker: WorkerDetail): string {
  const lines = ['## Install', codeSpan(`iii worker add ${worker.name}@${worker.version}`)];
  switch (worker.type) {
    case 'binary':
      lines.push(`- platforms: ${worker.supported_targets.length > 0 ? worker.supported_targets.join(', ') : 'none published'}`);
      break;
    case 'image':
      lines.push(`- image: ${worker.image ? codeSpan(worker.image) : 'not published'}`);
      break;
    case 'bundle':
      lines.push(
        worker.archive_url
          ? `- archive: ${worker.archive_url}${worker.sha256 ? ` (sha256 ${worker.sha256})` : ''}`
          : '- archive: a bundle archive (.tar.gz), checked by SHA-256 and unpacked in a sandbox',
      );
      break;
    case 'engine':
      lines.push('- built into the engine: nothing to download');
      break;
  }
  return lines.join('\n');
}

function schemaBlock(label: string, schema: unknown): string[] {
  return [`- ${label}: ${codeSpan(renderSchemaInline(schema))}`, ...schemaNotes(schema).map((n) => `  - ${n}`)];
}

/**
 * Function metadata in words where the key is well known (`internal`, `deprecated`), every other key as compact
 * JSON, so nothing published is lost and the keys that change how to use a function cannot be misread.
 */
export function metadataLine(metadata: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (key === 'internal' && typeof value === 'boolean') parts.push(value ? 'internal: do not call it directly, it serves the worker itself' : 'not internal');
    else if (key === 'deprecated' && (value === true || (typeof value === 'string' && value.trim() !== ''))) parts.push(value === true ? 'deprecated: avoid in new code' : `deprecated: ${oneLine(value as string)}`);
    else if (key === 'deprecated' && value === false) parts.push('not deprecated');
    else rest[key] = value;
  }
  if (Object.keys(rest).length > 0) parts.push(codeSpan(JSON.stringify(rest)));
  return parts.length > 0 ? `- metadata: ${parts.join(' · ')}` : undefined;
}

function entryBlock(name: string, description: string, metadata: Record<string, unknown>, schemas: [string, unknown][]): string {
  const lines = [`### ${oneLine(name)}`];
  // Headings inside a description must nest under the entry's own `###`.
  const text = demoteHeadings(description, 3).trim();
  lines.push(text || '(no description)');
  const meta = metadataLine(metadata);
  if (meta) lines.push(meta);
  for (const [label, schema] of schemas) lines.push(...schemaBlock(label, schema));
  return lines.join('\n');
}

/** Once per document: how to read the one-line field lists (json-schema-fields.ts). */
export const FIELD_LEGEND =
  'Field lists: `?` optional, `= x` default, `e.g.` examples, `closed` no other keys, `len`/`keys` size bounds, `/re/` pattern.';

export function renderFunctions(functions: FunctionEntry[], bindings?: RegisteredTrigger[]): string {
  const blocks = functions.map((f) =>
    [
      entryBlock(f.name, f.description, f.metadata ?? {}, [
        ['request', f.request_schema],
        ['response', f.response_schema],
      ]),
      functionBindingsLine(f.name, bindings),
    ].filter((part) => part !== undefined).join('\n'),
  );
  const other = otherBindingsLine(functions.map((f) => f.name), bindings);
  return [`## Functions (${functions.length})`, ...(functions.length > 0 ? [FIELD_LEGEND] : []), ...blocks, ...(other ? [other] : [])].join('\n\n');
}

export function renderTriggers(triggers: TriggerEntry[]): string {
  const blocks = triggers.map((t) =>
    entryBlock(t.name, t.description, t.metadata ?? {}, [
      ['invocation', t.invocation_schema],
      ['return', t.return_schema],
    ]),
  );
  return [`## Trigger types (${triggers.length})`, ...blocks].join('\n\n');
}

export type SkillsDetail = 'full' | 'short' | 'paths';

/** Skills have no meaningful order (a snapshot is a map by path): the overview SKILL.md first, then by path. */
export function renderSkills(input: AgentContextInput, detail: SkillsDetail): string {
  const skills = [...input.skills].sort((a, b) =>
    a.path === 'SKILL.md' ? -1 : b.path === 'SKILL.md' ? 1 : byCodeUnit(a.path, b.path),
  );
  const head = `## Skills (${skills.length})`;
  if (skills.length === 0) return `${head}\nnone`;
  const lines = skills.map((s) => {
    const description = s.description ? oneLine(s.description) : '';
    if (!description || detail === 'paths') return `- ${codeSpan(s.path)}`;
    return `- ${codeSpan(s.path)}: ${detail === 'short' ? clip(description, SHORT_SKILL_DESCRIPTION) : description}`;
  });
  const trimmed = detail === 'full' ? '' : ' (descriptions trimmed to fit the token budget)';
  return [head, `Fetch their content: ${codeSpan(urls(input.worker).skills)}${trimmed}`, ...lines].join('\n');
}

export const README_HEAD = '## README';

/** The README as text (HTML reduced, readme-text.ts), its headings demoted two levels to nest under `## README`. */
export const demotedReadme = (readme: string): string => demoteHeadings(readmeToText(readme), 2).trim();

export function readmeTrimmedNote(worker: WorkerDetail, tokens: number): string {
  return `[README trimmed at a paragraph boundary to fit tokens=${tokens}; full README: ${codeSpan(urls(worker).detail)} (field readme)]`;
}
