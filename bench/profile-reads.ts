// In-process timing of the read paths (no HTTP): `npx tsx bench/profile-reads.ts`, with --cpu-prof to see where time goes.
import { buildCatalog } from './catalog';
import { buildApp } from '../registry-server/src/app';
import { loadConfig } from '../registry-server/src/config';
import { SYNTHETIC_QUERIES } from '@iii-registry/seed';
const cat = await buildCatalog(10_000);
const { app, ctx } = await buildApp(loadConfig({ REGISTRY_DATA_DIR: cat.dataDir, REGISTRY_API_KEY: cat.apiKey, REGISTRY_READ_RATE_LIMIT: '0' }));
const time = async (label: string, fn: (i: number) => Promise<unknown>, n = 2000) => {
  for (let i = 0; i < 200; i++) await fn(i);
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  console.log(label, ((performance.now() - t) / n * 1000).toFixed(0), 'us');
};
const q = (i: number) => SYNTHETIC_QUERIES[i % SYNTHETIC_QUERIES.length];
await time('search.names (cached)', (i) => ctx.search.names(q(i)));
await time('services.list search', (i) => ctx.services.list({ search: q(i) }));
await time('services.list browse', () => ctx.services.list({}));
await time('inject /w?search', (i) => app.inject(`/w?search=${encodeURIComponent(q(i))}`));
await time('inject /w/slug', (i) => app.inject(`/w/${cat.names[i % 300]}`));
await time('detailJson', (i) => ctx.services.detailJson(cat.names[i % 300]));
await time('inject md', (i) => app.inject(`/workers/${cat.names[i % 300]}.md`));
await time('agentContext', (i) => ctx.services.agentContext(cat.names[i % 300], undefined));
await time('inject resolve', (i) => app.inject({ method: 'POST', url: '/resolve', payload: { worker: cat.names[i % 300] } }));
await time('resolveJson', (i) => ctx.services.resolveJson({ worker: cat.names[i % 300] }));
await time('inject healthz', () => app.inject('/healthz'));
await app.close();
cat.remove();
