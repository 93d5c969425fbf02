import type { KitDetail, KitFunction } from './kits';

/**
 * The kit as one markdown document an LLM can take (`GET /kits/{handle}/{name}.md`, and the agent-context preview
 * of `iii-publish kit build`): what the kit installs and where, each agent's purpose and preloaded functions,
 * each skill, the workers with what their ranges resolve to and the functions the agents use from them.
 */
export interface KitMarkdownOptions {
  /** Web base for links (`https://workers.iii.dev`); omitted links when absent. */
  webUrl?: string;
  /** Shown instead of resolved versions when the document is a local preview. */
  preview?: boolean;
}

const one = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

export function renderKitMarkdown(kit: KitDetail, functions: KitFunction[], o: KitMarkdownOptions = {}): string {
  const out: string[] = [];
  const handle = kit.author.handle;
  out.push(`# ${kit.id} ${kit.version}`, '');
  if (kit.description) out.push(`> ${one(kit.description)}`, '');
  const facts = [
    `kit: ${code(kit.id)}`,
    `version: ${kit.version}`,
    kit.license ? `license: ${kit.license}` : '',
    kit.tags.length > 0 ? `tags: ${kit.tags.join(', ')}` : '',
    kit.published_at ? `published: ${kit.published_at.slice(0, 10)}` : '',
    kit.repo ? `repo: ${kit.repo}` : '',
  ].filter(Boolean);
  out.push(...facts.map((f) => `- ${f}`), '');
  if (kit.deprecation) out.push(`**Deprecated**: ${one(kit.deprecation.message) || 'do not install'}${kit.deprecation.replaced_by ? ` Use ${code(kit.deprecation.replaced_by)} instead.` : ''}`, '');
  if (kit.yanked) out.push(`**Yanked**: ${one(kit.yanked.message) || 'withdrawn'} (ranges and updates skip this version).`, '');

  out.push('## Install', '');
  out.push(`Call ${code('directory::download-kit')} with ${code(JSON.stringify({ kit: `${kit.id}@${kit.version}` }))}, review the plan, then ${code('directory::kits::apply')} with its ${code('plan_id')}.`, '');
  out.push(`It installs ${kit.counts.agents} agent profile(s) into the project's agents folder, ${kit.counts.skills} skill(s) under ${code(`skills/${kit.id}/`)}, and adds ${kit.counts.workers} worker(s) to the compose file.`, '');

  out.push('## Agents', '');
  if (kit.agents.length === 0) out.push('No agent profiles.', '');
  for (const a of kit.agents) {
    out.push(`### ${a.name ? `${one(a.name)} (${code(a.id)})` : code(a.id)}`, '');
    if (a.description) out.push(one(a.description), '');
    const meta = [`installs to ${code(a.path)}`, a.model ? `model ${a.model}` : '', a.reasoning_effort ? `reasoning ${a.reasoning_effort}` : '', a.extends ? `extends ${code(a.extends)}` : ''].filter(Boolean);
    out.push(`- ${meta.join(' · ')}`);
    if (a.functions.length > 0) {
      out.push('- preloaded functions:');
      for (const id of a.functions) {
        const f = functions.find((x) => x.id === id);
        const by = f?.status === 'ok' && f.worker ? ` (from ${code(f.worker)}${f.worker_version ? ` ${f.worker_version}` : ''})` : o.preview ? '' : ' (no kit worker provides it)';
        out.push(`  - ${code(id)}${by}${f?.description ? `: ${one(f.description)}` : ''}`);
      }
    }
    if (a.skills.length > 0) out.push(`- skills: ${a.skills.map(code).join(', ')}`);
    out.push('');
  }

  out.push('## Skills', '');
  if (kit.skills.length === 0) out.push('No skills.', '');
  for (const s of kit.skills) {
    const head = `- ${code(s.id)}${s.title ? ` ${one(s.title)}` : ''}${s.type ? ` [${s.type}]` : ''}`;
    out.push(`${head}${s.description ? `: ${one(s.description)}` : ''}${s.used_by.length > 0 ? ` (used by ${s.used_by.join(', ')})` : ''}`);
  }
  out.push('');

  out.push('## Workers', '');
  if (kit.workers.length === 0) out.push('No workers.', '');
  for (const w of kit.workers) {
    const resolves = o.preview ? 'resolved at install' : w.resolved ? `resolves to ${w.resolved} today` : 'nothing satisfies it today';
    out.push(`### ${w.name} ${code(w.range)}`, '');
    out.push(`- ${resolves}${w.type ? ` · ${w.type}` : ''}${o.webUrl ? ` · ${o.webUrl}/workers/${w.name}` : ''}`);
    if (w.description) out.push(`- ${one(w.description)}`);
    const used = functions.filter((f) => f.worker === w.name);
    if (used.length > 0) out.push(`- functions used: ${used.map((f) => code(f.id)).join(', ')}`);
    out.push('');
  }
  const missing = functions.filter((f) => f.status !== 'ok');
  if (missing.length > 0 && !o.preview) {
    out.push('## Functions no kit worker provides', '');
    for (const f of missing) out.push(`- ${code(f.id)} (used by ${f.used_by.join(', ')})`);
    out.push('');
  }
  if (kit.notes) out.push('## Release notes', '', kit.notes.trim(), '');
  if (o.webUrl) out.push(`Page: ${o.webUrl}/kits/${handle}/${kit.name}`, '');
  return `${out.join('\n').trimEnd()}\n`;
}
