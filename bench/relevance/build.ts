import { createHash } from 'node:crypto';
import { PublishPayloadSchema, type PublishPayloadIn } from '@iii-registry/schemas';

/** A bench worker in short form; `props` values starting with `$` are `$ref`s into `defs` (`$Size`). */
export interface BenchWorker {
  name: string;
  description: string;
  tags: string[];
  functions: [string, string, Record<string, string>][];
  triggers?: [string, string, Record<string, string>][];
  defs?: Record<string, Record<string, string>>;
  /** HTTP routes as [method, path]; published as `registered_triggers` when the payload schema has that field. */
  routes?: [string, string][];
  readme?: string;
}

const objectOf = (props: Record<string, string>): Record<string, unknown> => ({
  type: 'object',
  properties: Object.fromEntries(Object.entries(props).map(([k, d]) => [k, d.startsWith('$') ? { $ref: `#/$defs/${d.slice(1)}` } : { type: 'string', description: d }])),
});

function schemaOf(props: Record<string, string>, defs: BenchWorker['defs']): Record<string, unknown> {
  const s = objectOf(props);
  const used = Object.values(props).filter((d) => d.startsWith('$')).map((d) => d.slice(1));
  if (defs && used.length > 0) s.$defs = Object.fromEntries(used.map((u) => [u, objectOf(defs[u] ?? {})]));
  return s;
}

const acceptsRoutes = 'registered_triggers' in ((PublishPayloadSchema as unknown as { shape?: Record<string, unknown> }).shape ?? {});

export function toPayload(w: BenchWorker): PublishPayloadIn {
  const digest = createHash('sha256').update(w.name).digest('hex');
  const payload: PublishPayloadIn = {
    worker_name: w.name,
    version: '1.0.0',
    type: 'image',
    image_tag: `ghcr.io/iii-bench/${w.name}@sha256:${digest}`,
    description: w.description,
    repo: `https://github.com/iii-bench/${w.name}`,
    license: 'Apache-2.0',
    tags: w.tags,
    readme: `# ${w.name}\n\n${w.description}\n\n${w.readme ?? ''}\n`,
    functions: w.functions.map(([name, description, props]) => ({
      name, description, request_schema: schemaOf(props, w.defs),
      response_schema: { type: 'object', properties: { ok: { type: 'boolean' } } }, metadata: {},
    })),
    triggers: (w.triggers ?? []).map(([name, description, props]) => ({
      name, description, invocation_schema: schemaOf(props, w.defs), return_schema: {}, metadata: {},
    })),
  };
  if (acceptsRoutes && w.routes)
    (payload as Record<string, unknown>).registered_triggers = w.routes.map(([method, path], i) => ({
      type: 'http', function_id: w.functions[0]?.[0] ?? `${w.name}::${i}`, config: { api_path: path, http_method: method },
    }));
  return payload;
}
