import { describe, expect, it } from 'vitest';
import type { IIIClient } from 'iii-sdk';
import { createDeps, registerDirectory } from '../../directory-worker/src/register';

type Options = Parameters<IIIClient['registerFunction']>[2];

describe('registration (fake SDK)', () => {
  it('registers both functions with a description and JSON Schema request and response formats', async () => {
    const seen = new Map<string, { handler: unknown; options: Options }>();
    const fake = { registerFunction: (id: string, handler: unknown, options?: Options) => {
      seen.set(id, { handler, options });
      return { id, unregister: () => {} };
    } } as Pick<IIIClient, 'registerFunction'>;
    registerDirectory(fake, createDeps({ registryUrl: 'http://127.0.0.1:9', downloadTimeoutMs: 100, cacheTtlMs: 0, log: () => {} }));
    expect([...seen.keys()].sort()).toEqual(['directory::registry::workers::info', 'directory::registry::workers::list']);
    for (const { handler, options } of seen.values()) {
      expect(typeof handler).toBe('function');
      expect(options?.description?.length).toBeGreaterThan(20);
      expect(options?.request_format?.type).toBe('object');
      expect(options?.response_format?.type).toBe('object');
    }
    const info = seen.get('directory::registry::workers::info')?.options;
    expect(info?.request_format?.required).toEqual(['name']);
    expect(Object.keys(info?.request_format?.properties ?? {}).sort()).toEqual(['name', 'tag', 'version']);
    expect(Object.keys(info?.response_format?.properties ?? {}).sort()).toEqual(['api_reference', 'readme', 'skills_tree', 'worker']);
    const list = seen.get('directory::registry::workers::list')?.options;
    expect(Object.keys(list?.request_format?.properties ?? {})).toEqual(expect.arrayContaining(['search', 'cursor']));
    expect(Object.keys(list?.response_format?.properties ?? {}).sort()).toEqual(['pagination', 'workers']);
  });
});
