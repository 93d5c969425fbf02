import type { FastifyInstance } from 'fastify';
import { z, AGENT_CONTEXT_SECTIONS, type KitListResponse } from '@iii-registry/schemas';
import { noQuery, parseQuery, type RouteOptions } from './context';
import { preparedSender } from './prepared';

const MdQuerySchema = z.object({
  version: z.string().max(128).optional(),
  tokens: z.coerce.number().int().min(200).max(1_000_000).optional(),
  sections: z
    .string()
    .max(200)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(AGENT_CONTEXT_SECTIONS)))
    .optional(),
});

const EMPTY: z.output<typeof MdQuerySchema> = {};

/** Kits (agent teams installed with directory::download-kit), each with its markdown document. */
function kitLines(list: KitListResponse, publicUrl: string): string[] {
  if (list.total === 0) return [];
  return [
    '## Kits',
    '',
    `Agent profiles, skills and the workers they need, installed with directory::download-kit. Search: ${publicUrl}/k?search=<words> (JSON).`,
    '',
    ...list.kits.map((k) => `- [${k.id}](${publicUrl}/kits/${k.id}.md): ${(k.description ?? '').replace(/\s+/g, ' ').trim() || 'no description'} (latest ${k.version}; ${k.counts.agents} agents, ${k.counts.skills} skills, ${k.counts.workers} workers)`),
    '',
  ];
}

/** The agent endpoints: GET /workers/{name}.md (agent context) and GET /llms.txt (index of every worker). */
export async function agentRoutes(app: FastifyInstance, { services, config, kits, hits }: RouteOptions) {
  // A cache hit is answered synchronously (routes/prepared.ts), anything else on the async path.
  const prepared = preparedSender(config);
  app.get<{ Params: { name: string } }>('/workers/:name.md', (req, reply) => {
    const bare = noQuery(req);
    const hit = bare && hits ? hits.agentContext(req.params.name) : undefined;
    if (hit) return prepared.document(req, reply, hit.etag, hit.prepared);
    return (async () => {
      const { version, tokens, sections } = bare ? EMPTY : parseQuery(MdQuerySchema, req);
      const doc = await services.agentContext(req.params.name, version, { tokens, sections });
      reply.headers(doc.prepared.headers);
      if (req.headers['if-none-match'] === doc.etag) return reply.code(304).send();
      return reply.send(doc.prepared.bytes);
    })();
  });

  app.get('/llms.txt', async (_req, reply) => {
    const all = await services.index();
    const lines = [
      '# iii workers registry',
      '',
      '> Versioned iii workers. Each entry links to one markdown document with install, configuration, dependencies, the API reference (every function with its request and response schema) and the README.',
      '',
      `Search: ${config.publicUrl}/w?search=<words> (JSON). Resolve a dependency graph: POST ${config.publicUrl}/resolve.`,
      '',
      '## Workers',
      '',
      ...all.map((w) => `- [${w.name}](${config.publicUrl}/workers/${w.name}.md): ${w.description.replace(/\s+/g, ' ').trim() || 'no description'} (latest ${w.version})`),
      '',
      ...kitLines(await kits.list({ limit: 100 }), config.publicUrl),
    ];
    reply.header('content-type', 'text/plain; charset=utf-8');
    reply.header('cache-control', 'public, max-age=60');
    return lines.join('\n');
  });
}
