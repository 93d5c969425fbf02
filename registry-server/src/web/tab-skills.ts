import { type SkillFrontmatter, SkillFrontmatterSchema, type SkillsResponse, validate } from '@iii-registry/schemas';
import { parse } from 'yaml';
import { html, type SafeHtml, withQuery, workerPath } from './html';
import type { MarkdownRenderer } from './markdown';
import { tabHref } from './worker-page';

/** Splits optional YAML frontmatter off a skill; bad YAML is shown as part of the body rather than failing. */
export function splitFrontmatter(text: string): { meta: SkillFrontmatter; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) return { meta: {}, body: text };
  try {
    const parsed = validate(SkillFrontmatterSchema, parse(m[1]));
    return { meta: parsed.ok ? parsed.value : {}, body: text.slice(m[0].length) };
  } catch {
    return { meta: {}, body: text };
  }
}

/** Skills list with one skill rendered (`?tab=skills&skill=<path>`; SKILL.md or the first one by default). */
export function skillsTab(name: string, askedVersion: string | undefined, skills: SkillsResponse | null, selected: string | undefined, markdown: MarkdownRenderer): SafeHtml {
  if (skills === null || skills.skills.length === 0) {
    return html`<h2>Skills</h2><p class="muted">No skills are published for this version.</p>`;
  }
  const files = skills.skills.map((s) => ({ ...s, ...splitFrontmatter(s.content) }));
  const current = files.find((f) => f.path === selected) ?? files.find((f) => f.path === 'SKILL.md') ?? files[0];
  const missing = selected !== undefined && current.path !== selected;
  const api = withQuery(`/w/${encodeURIComponent(name)}/skills`, { version: skills.version });
  return html`<h2>Skills (${files.length})</h2>
<p class="hint">Markdown documents for agents. Fetch them all as JSON from <a href="${api}">${api}</a>.</p>
<div class="skills-grid">
<nav aria-label="Skill files"><ul class="skill-list">
${files.map((f) => html`<li><a href="${tabHref(name, askedVersion, 'skills', { skill: f.path })}"${f === current && html` aria-current="page"`}><code>${f.path}</code></a>
${f.meta.description && html`<span class="desc">${f.meta.description}</span>`}</li>`)}
</ul></nav>
<article class="skill" aria-labelledby="skill-title">
${missing && html`<p class="notice warn">No skill named <code>${selected ?? ''}</code> in ${name} ${skills.version}; showing ${current.path}.</p>`}
<h3 id="skill-title"><code>${current.path}</code>${current.meta.title && html` · ${current.meta.title}`}</h3>
${(current.meta.type || current.meta.function_id) && html`<p class="hint">${current.meta.type && html`type ${current.meta.type}`}${current.meta.function_id && html` · function <code>${current.meta.function_id}</code>`}</p>`}
<div class="markdown">${markdown(current.body)}</div>
</article>
</div>
<p class="hint"><a href="${workerPath(name)}">Back to overview</a></p>`;
}
