import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * The launcher keeps one nextTick queue entry alive so V8 keeps that literal's maps (registry-server/bin/tick-shape.mjs).
 * Checked in a child process with --expose-gc: the entry survives full GCs, is the same on a second call, is a real
 * queue entry (its callback ran), and no async hook is left enabled.
 */
const SCRIPT = `
import { createHook } from 'node:async_hooks';
const { keepTickShape } = await import(process.argv[1]);
const kept = keepTickShape();
const ref = new WeakRef(kept);
const again = keepTickShape();
await new Promise((r) => setTimeout(r, 5));
for (let i = 0; i < 4; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 5)); }
// Another hook sees later entries: if keepTickShape had left its hook on, it would still be collecting them.
let seen = 0;
const probe = createHook({ init(_id, type) { if (type === 'TickObject') seen++; } }).enable();
process.nextTick(() => {});
probe.disable();
console.log(JSON.stringify({
  alive: ref.deref() === kept,
  same: again === kept,
  callback: typeof kept?.callback,
  symbols: Object.getOwnPropertySymbols(kept ?? {}).map(String),
  seen,
}));
`;

describe('keepTickShape', () => {
  it('keeps one nextTick entry alive across full GCs and returns the same one every time', () => {
    const url = new URL('../../registry-server/bin/tick-shape.mjs', import.meta.url).href;
    const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', SCRIPT, url], { encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop() as string);
    expect(result).toMatchObject({ alive: true, same: true, callback: 'function', seen: 1 });
    // A TickObject carries its async ids under Node's symbols.
    expect(result.symbols).toEqual(expect.arrayContaining(['Symbol(async_id_symbol)', 'Symbol(trigger_async_id_symbol)']));
  });
});
