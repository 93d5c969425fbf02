import { codeSpan } from './agent-context-markdown';
import type { Dependency } from './publish';

/**
 * Configuration and dependency lists. Config keys are sorted (code-unit order, never locale) at every level:
 * a config map has no meaningful order, and sorting makes the document independent of how a writer or a
 * store ordered the keys, and makes two versions diff cleanly. Arrays keep their order.
 */

const MAX_CONFIG_DEPTH = 6;
const SIMPLE_KEY = /^[A-Za-z0-9_-]+$/;

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** `a.b` for simple keys, `a["x.y"]` otherwise, so a dotted key never reads as nesting. */
const joinKey = (prefix: string, key: string): string => {
  if (SIMPLE_KEY.test(key)) return prefix === '' ? key : `${prefix}.${key}`;
  return `${prefix}[${JSON.stringify(key)}]`;
};

/** The JSON type name of a config value; arrays name their element types (`string[]`, `(string | integer)[]`). */
export function valueType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) {
    const members = [...new Set(v.map(valueType))];
    if (members.length === 0) return 'unknown[]';
    return members.length === 1 && !members[0].includes(' ') ? `${members[0]}[]` : `(${members.join(' | ')})[]`;
  }
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (isPlainObject(v)) return 'object';
  return typeof v;
}

function configLines(value: Record<string, unknown>, prefix: string, depth: number, out: string[]): void {
  for (const key of Object.keys(value).sort(byCodeUnit)) {
    const v = value[key];
    const path = joinKey(prefix, key);
    // Nested maps become dotted keys; an empty map or one past the depth cap is shown whole.
    if (isPlainObject(v) && Object.keys(v).length > 0 && depth < MAX_CONFIG_DEPTH) {
      configLines(v, path, depth + 1, out);
      continue;
    }
    out.push(`- ${codeSpan(path)}: ${valueType(v)} = ${codeSpan(JSON.stringify(sortKeys(v)) ?? 'null')}`);
  }
}

/** Deep copy with sorted keys, for values shown whole as JSON. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isPlainObject(v)) return v;
  // fromEntries defines own properties, so a `__proto__` key from parsed JSON stays data.
  return Object.fromEntries(Object.keys(v).sort(byCodeUnit).map((key) => [key, sortKeys(v[key])]));
}

export function renderConfig(config: Record<string, unknown>): string {
  const lines: string[] = [];
  configLines(config, '', 1, lines);
  return ['## Configuration (defaults)', lines.length > 0 ? lines.join('\n') : 'none'].join('\n');
}

/** Sorted by name for the same reason as config keys; an empty range means any version. */
export function renderDependencies(dependencies: Dependency[]): string {
  const sorted = [...dependencies].sort((a, b) => byCodeUnit(a.name, b.name) || byCodeUnit(a.version, b.version));
  const lines = sorted.map((d) => `- ${codeSpan(d.name)}: ${d.version.trim() === '' ? 'any version' : codeSpan(d.version)}`);
  return ['## Dependencies', lines.length > 0 ? lines.join('\n') : 'none'].join('\n');
}
