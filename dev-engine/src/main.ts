import { parseArgs } from 'node:util';
import { startDevEngine } from './index';

const USAGE = 'Usage: npm run dev-engine -- [--port <n>] (default 49134; binds 127.0.0.1)';

const { values } = parseArgs({ options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = Number(values.port ?? 49134);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid --port '${values.port}'. ${USAGE}`);
  process.exit(2);
}

const stamp = (): string => new Date().toISOString();
let engine;
try {
  engine = await startDevEngine({ port, host: '127.0.0.1' });
} catch (err) {
  console.error(`Could not listen on 127.0.0.1:${port}: ${(err as Error).message}. Try another --port.`);
  process.exit(1);
}
const names = new Map<string, string>();
engine.on('connect', (id, ip) => console.log(`${stamp()} connect    ${id} from ${ip}`));
engine.on('workerregistered-call', (id, payload) => {
  const name = typeof payload.name === 'string' ? payload.name : id;
  names.set(id, name);
  console.log(`${stamp()} registered ${id} as ${name}`);
});
engine.on('disconnect', (id) => {
  console.log(`${stamp()} disconnect ${id}${names.has(id) ? ` (${names.get(id)})` : ''}`);
  names.delete(id);
});
console.log(`iii development engine listening on ${engine.url} (development and tests only; production runs the real iii engine)`);

let closing = false;
const shutdown = (signal: string): void => {
  if (closing) return;
  closing = true;
  console.log(`${signal}: closing`);
  engine.close().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
