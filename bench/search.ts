/**
 * `npm run bench -- search`: what a never-seen query costs at 10,000 synthetic workers, the issue-12 targets
 * (< 1 ms CPU per new query, p99 < 2 ms at one connection). Two measurements on the same catalog:
 * in process (buildApp on the bench data dir; the search service alone, CPU from process.cpuUsage) and over HTTP
 * (the registry as a child process, one connection, queries that never repeat; server CPU from /proc).
 */
import { buildApp } from '../registry-server/src/app';
import { startRegistryProcess } from '../registry-server/src/child-process';
import { loadConfig } from '../registry-server/src/config';
import { buildCatalog } from './catalog';
import { load, warm } from './load';
import { agentQueries, agentSearchRequests, measureInProcess, type InProcessResult } from './new-queries';
import { distinctSearchRequests } from './endpoints';
import { memoryOf } from './processes';
import type { TargetedRow } from './registry';

export const NEW_QUERY_CPU_TARGET_US = 1000;
export const NEW_QUERY_P99_TARGET_MS = 2;

export interface SearchBench {
  workers: number;
  in_process: InProcessResult;
  rows: TargetedRow[];
}

export async function benchSearch(options: { workers?: number; durationS?: number; log?: (l: string) => void } = {}): Promise<SearchBench> {
  const log = options.log ?? (() => {});
  const size = options.workers ?? 10_000;
  log(`building a ${size}-worker synthetic catalog...`);
  const catalog = await buildCatalog(size);
  try {
    const queries = agentQueries(26_000);
    log('new queries in process (search service alone)...');
    const { app, ctx } = await buildApp(loadConfig({ REGISTRY_DATA_DIR: catalog.dataDir, REGISTRY_SEED: '0', LOG_LEVEL: 'warn', REGISTRY_READ_RATE_LIMIT: '0' }));
    let inProcess: InProcessResult;
    try {
      inProcess = await measureInProcess((q) => ctx.search.hits(q), queries.slice(1000, 6000), queries.slice(0, 1000));
    } finally {
      await app.close();
    }
    log('new queries over HTTP, one connection...');
    const registry = await startRegistryProcess({ dataDir: catalog.dataDir, apiKey: catalog.apiKey, timeoutMs: 30_000, pollMs: 5,
      env: { REGISTRY_SEED: '0', REGISTRY_READ_RATE_LIMIT: '0', LOG_LEVEL: 'warn' } });
    const rows: TargetedRow[] = [{
      name: 'new queries, in process (search service)', p50_ms: inProcess.p50_ms, p99_ms: inProcess.p99_ms, cpu_us_per_req: inProcess.cpu_us_per_query,
      target: `CPU < ${NEW_QUERY_CPU_TARGET_US} µs`, met: inProcess.cpu_us_per_query < NEW_QUERY_CPU_TARGET_US,
      note: `${inProcess.queries} agent-like queries, none repeated; CPU ${inProcess.cpu_us_per_query} µs/query`,
    }];
    try {
      const durationS = options.durationS ?? 5;
      const http = async (name: string, requests: ReturnType<typeof agentSearchRequests>) => {
        await warm({ url: registry.url, requests: requests.slice(-2000), connections: 1, durationS: 1 });
        const r = await load({ url: registry.url, requests: requests.slice(0, -2000), connections: 1, durationS, serverPid: registry.pid });
        rows.push({ name, rps: r.rps, p50_ms: r.p50_ms, p99_ms: r.p99_ms, cpu_us_per_req: r.cpu_us_per_req,
          target: `p99 < ${NEW_QUERY_P99_TARGET_MS} ms, CPU < ${NEW_QUERY_CPU_TARGET_US} µs`,
          met: r.p99_ms < NEW_QUERY_P99_TARGET_MS && (r.cpu_us_per_req ?? Infinity) < NEW_QUERY_CPU_TARGET_US,
          note: `${r.requests} requests; server CPU ${r.cpu_us_per_req} µs/req; peak RSS ${memoryOf(registry.pid).peak_rss_mb} MB` });
      };
      await http('new agent-like queries, HTTP 1 conn', agentSearchRequests(26_000).slice(6000));
      await http('new two-word queries, HTTP 1 conn', distinctSearchRequests(12_000));
    } finally {
      await registry.stop(10_000);
    }
    return { workers: catalog.names.length, in_process: inProcess, rows };
  } finally {
    catalog.remove();
  }
}
