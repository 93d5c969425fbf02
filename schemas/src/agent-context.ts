/**
 * The agent-context document (formats.md): one markdown file an LLM reads before it installs or calls a
 * worker version. Shape, in this order, sections separated by one blank line:
 *
 *   # <name> <version>
 *   > <description>
 *   > <type> · <license> · published YYYY-MM-DD · active | deprecated: <msg> | yanked: <msg> · repo <url>
 *   > other versions: … · this document: /workers/<name>.md?version=<version>
 *   ## Install                   `iii worker add <name>@<version>` + platforms | image | archive | engine
 *   ## Configuration (defaults)  - `dotted.key`: type = `default`  (keys sorted; "none" when empty)
 *   ## Dependencies              - `name`: `range` | any version  (sorted by name; "none" when empty)
 *   ## Functions (N)             a legend line, then ### <name>, description, - metadata: … (when any; `internal`
 *                                and `deprecated` in words, other keys as JSON), - request: `…`, - response: `…`
 *                                (+ notes: `where Def = …`, every field's title/description at any depth)
 *                                - triggers: `POST /path`, … (registered triggers, when published)
 *   ## Trigger types (N)         ### <name>, description, - invocation: `…`, - return: `…`
 *   ## Skills (N)                fetch line, then - `path`: description
 *   ## README                    the README with HTML reduced to text (readme-text.ts), headings demoted two
 *                                levels, code fences untouched
 *
 * Schemas are one-line TypeScript-like field lists (json-schema-fields.ts: no `?` means required).
 * Pure and deterministic: no I/O, no clock, no locale; config keys, dependencies and skills are sorted
 * (they are maps without meaningful order), while functions, triggers, schema properties and other_versions
 * keep the input's order (it is meaningful and stored JSON preserves it).
 *
 * Options: `sections` keeps only the listed sections (canonical order; the header always, and it names the
 * sections shown). `tokens` (≈ 4 characters each) trims the README first, at a paragraph boundary, with a
 * line saying where the full README is; then skill descriptions (shortened, then dropped); never the
 * header, configuration, dependencies or the API reference, so the budget can be exceeded by those alone.
 */
import { AGENT_CONTEXT_SECTIONS, type AgentContextInput, type AgentContextOptions, type AgentContextSection } from './agent-context-input';
import { renderConfig, renderDependencies } from './agent-context-config';
import { trimAtParagraph } from './agent-context-markdown';
import {
  README_HEAD,
  demotedReadme,
  readmeTrimmedNote,
  renderFunctions,
  renderHeader,
  renderInstall,
  renderSkills,
  renderTriggers,
  type SkillsDetail,
} from './agent-context-sections';

export { renderSchemaInline } from './json-schema-fields';

export const CHARS_PER_TOKEN = 4;

const SEPARATOR = '\n\n';

function wantedSections(requested: AgentContextSection[] | undefined): Set<AgentContextSection> {
  if (requested === undefined) return new Set(AGENT_CONTEXT_SECTIONS);
  return new Set(AGENT_CONTEXT_SECTIONS.filter((s) => requested.includes(s)));
}

/** Every section before the README, given how much of the skills section to keep. */
function factSections(input: AgentContextInput, wanted: Set<AgentContextSection>, skills: SkillsDetail, shown: AgentContextSection[] | undefined): string[] {
  const { worker } = input;
  const parts = [renderHeader(input, shown)];
  if (wanted.has('install')) parts.push(renderInstall(worker));
  if (wanted.has('config')) parts.push(renderConfig(worker.config));
  if (wanted.has('dependencies')) parts.push(renderDependencies(worker.dependencies));
  if (wanted.has('functions')) parts.push(renderFunctions(worker.functions, worker.registered_triggers));
  if (wanted.has('triggers')) parts.push(renderTriggers(worker.triggers));
  if (wanted.has('skills')) parts.push(renderSkills(input, skills));
  return parts;
}

const finish = (parts: string[]): string => `${parts.join(SEPARATOR)}\n`;

export function renderAgentContext(input: AgentContextInput, options: AgentContextOptions = {}): string {
  const wanted = wantedSections(options.sections);
  const shown = options.sections === undefined ? undefined : AGENT_CONTEXT_SECTIONS.filter((s) => wanted.has(s));
  const readme = wanted.has('readme') ? demotedReadme(input.worker.readme) : undefined;
  const readmeSection = (body: string): string[] =>
    readme === undefined ? [] : [[README_HEAD, body || 'none'].join('\n')];

  const full = finish([...factSections(input, wanted, 'full', shown), ...readmeSection(readme ?? '')]);
  const tokens = options.tokens;
  if (tokens === undefined || !Number.isFinite(tokens)) return full;
  const budget = Math.max(0, Math.floor(tokens * CHARS_PER_TOKEN));
  if (full.length <= budget) return full;

  const note = readmeTrimmedNote(input.worker, tokens);
  const withReadme = (facts: string[], body: string): string =>
    finish([...facts, ...readmeSection(body ? `${body}${SEPARATOR}${note}` : note)]);

  // Trim the README first; only when the README is gone and the facts still overflow, shorten skills.
  let facts: string[] = [];
  for (const detail of ['full', 'short', 'paths'] as const) {
    facts = factSections(input, wanted, detail, shown);
    if (withReadme(facts, '').length <= budget || !wanted.has('skills')) break;
  }
  if (readme === undefined || readme === '') return finish([...facts, ...readmeSection('')]);
  const spare = budget - withReadme(facts, '').length - SEPARATOR.length;
  const kept = spare > 0 ? trimAtParagraph(readme, spare) : '';
  return kept === readme ? finish([...facts, ...readmeSection(readme)]) : withReadme(facts, kept);
}
