import type { RegisteredTrigger } from './api-reference';

/**
 * How a registered trigger reads to a person or an agent: an HTTP trigger as its route (`POST /todos`, the
 * method defaulting to GET and the path to a leading `/` as iii-http does), a cron trigger as its schedule,
 * anything else as its type and a compact config. Shared by the API reference page and the agent context.
 */

const MAX_CONFIG_CHARS = 160;
const MAX_LABEL_CHARS = 240;
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const oneLine = (s: string) => s.replace(/\s+/g, ' ');

/** `POST /todos/:id` for an HTTP trigger, undefined for any other. */
export function httpRoute(t: RegisteredTrigger): string | undefined {
  if (t.type !== 'http' || !isObj(t.config)) return undefined;
  const path = str(t.config.api_path);
  if (path === undefined) return undefined;
  const method = (str(t.config.http_method) ?? 'GET').toUpperCase();
  return oneLine(`${method} ${path.startsWith('/') ? path : `/${path}`}`);
}

/** The config as one short line of JSON, without keys that only repeat what the label says. */
function compactConfig(config: Record<string, unknown>, drop: string[] = []): string {
  const rest = Object.fromEntries(Object.entries(config).filter(([k, v]) => !drop.includes(k) && v !== undefined && v !== null));
  if (Object.keys(rest).length === 0) return '';
  const text = oneLine(JSON.stringify(rest));
  return text.length > MAX_CONFIG_CHARS ? `${text.slice(0, MAX_CONFIG_CHARS - 1)}…` : text;
}

function label(t: RegisteredTrigger): string {
  const config = isObj(t.config) ? t.config : {};
  const route = httpRoute(t);
  if (route) return route;
  const expression = t.type === 'cron' ? str(config.expression) : undefined;
  if (expression) return oneLine(`cron ${expression}`);
  const rest = compactConfig(config);
  return oneLine(rest ? `${t.type} ${rest}` : t.type);
}

/** One line for a binding: `POST /todos`, `cron 0 * * * *`, `queue {"queue":"jobs"}`; bounded in length. */
export function bindingLabel(t: RegisteredTrigger): string {
  const text = label(t);
  return text.length > MAX_LABEL_CHARS ? `${text.slice(0, MAX_LABEL_CHARS - 1)}…` : text;
}

/** The bindings of one function row (matched by the function id the worker registered, which is the row's name). */
export const bindingsOf = (functionName: string, triggers: RegisteredTrigger[] | undefined): RegisteredTrigger[] =>
  (triggers ?? []).filter((t) => t.function_id === functionName);

/** Bindings whose function id names no function row (a renamed function, or another worker's function). */
export function unmatchedBindings(functionNames: string[], triggers: RegisteredTrigger[] | undefined): RegisteredTrigger[] {
  const names = new Set(functionNames);
  return (triggers ?? []).filter((t) => !names.has(t.function_id));
}
