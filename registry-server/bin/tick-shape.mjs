import { createHook } from 'node:async_hooks';

/**
 * Keeps one `process.nextTick` queue entry alive for the life of the process, so that V8 keeps the hidden classes
 * (maps) of those entries. Node builds each entry as an object literal with computed (symbol) keys. Between requests
 * no entry is alive, and a full GC may then collect that literal's maps; the next entry gets new ones, the inline
 * cache in `nextTick` meets a map it has not seen, and after a few such GCs it goes megamorphic for the rest of the
 * process. Every entry is then built by the runtime (`Runtime_DefineKeyedOwnPropertyInLiteral` in `perf`), several
 * times slower, and an HTTP request makes about eight. The more full GCs before and under load (an in-process build,
 * `--heap-growing-percent=50`, a big heap), the likelier; Fastify with a handful of routes seldom meets it. So it is
 * called first thing in the launcher, before the build or any load (bench/README.md, "Where the read microseconds go").
 *
 * The entry is caught once through an async_hooks init hook enabled around a single nextTick call.
 */
let kept;

export function keepTickShape() {
  if (kept !== undefined) return kept;
  const hook = createHook({
    init(_id, type, _trigger, resource) {
      if (type === 'TickObject' && kept === undefined) kept = resource;
    },
  });
  hook.enable();
  process.nextTick(() => undefined);
  hook.disable();
  return kept;
}
