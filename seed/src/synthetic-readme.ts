import type { PublishPayloadIn } from '@iii-registry/schemas';
import { type Domain, QUALITIES, SENTENCES } from './synthetic-words';
import type { Rng } from './rng';

const MAX_README = 4000;

interface ReadmeInput {
  name: string;
  description: string;
  domain: Domain;
  verb: string;
  functions: NonNullable<PublishPayloadIn['functions']>;
}

function fill(template: string, rng: Rng, input: ReadmeInput): string {
  const d = input.domain;
  return template
    .replace('{name}', input.name)
    .replace('{verb}', rng.pick(d.verbs))
    .replace('{noun}', d.noun)
    .replace('{plural}', d.plural)
    .replace('{purpose}', rng.pick(d.purposes))
    .replace('{quality}', rng.pick(QUALITIES));
}

/** A README between 1 and 4 KB: facts first (functions, config, example), then prose paragraphs. */
export function syntheticReadme(rng: Rng, input: ReadmeInput): string {
  const first = input.functions[0];
  const field = input.domain.fields[0];
  const parts = [
    `# ${input.name}\n\n${input.description}\n`,
    `## Functions\n\n${input.functions.map((f) => `- \`${f.name}\`: ${f.description}`).join('\n')}\n`,
    `## Configuration\n\n| key | default |\n|---|---|\n| \`timeout_ms\` | 5000 |\n| \`log_level\` | info |\n`,
    `## Example\n\n\`\`\`ts\nawait iii.trigger({ function_id: '${first.name}', payload: { ${field[0]}: ${field[1] === 'string' ? "'...'" : '1'} } });\n\`\`\`\n`,
  ];
  let text = parts.join('\n');
  const target = rng.int(1100, 3900);
  // Walk a shuffled copy of the templates so sentences repeat only after all have been used once.
  const order = rng.shuffle(SENTENCES);
  let next = 0;
  while (text.length < target) {
    const count = rng.int(3, 5);
    const sentences: string[] = [];
    for (let i = 0; i < count; i++) sentences.push(fill(order[next++ % order.length], rng, input));
    const paragraph = `\n${sentences.join(' ')}\n`;
    if (text.length + paragraph.length > MAX_README) break;
    text += paragraph;
  }
  return text;
}
