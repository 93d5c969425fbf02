/** Keeps one nextTick queue entry alive for the process's life and returns it (see tick-shape.mjs). */
export function keepTickShape(): object | undefined;
