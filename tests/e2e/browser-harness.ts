import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { REPO_ROOT as ROOT, startRegistryProcess } from '../../registry-server/src/child-process';

export const ARTIFACTS = path.join(ROOT, 'tests/artifacts/browser');
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);

export interface RunningRegistry {
  url: string;
  apiKey: string;
  stop(): Promise<void>;
}

/** The real registry process on a free port with a fresh data dir; the seed catalog loads on first start. */
export async function startRegistry(): Promise<RunningRegistry> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-e2e-'));
  const remove = () => fs.rmSync(dataDir, { recursive: true, force: true });
  const proc = await startRegistryProcess({ dataDir, apiKey: `e2e-${crypto.randomBytes(16).toString('hex')}`, timeoutMs: 45_000,
    env: { REGISTRY_READ_RATE_LIMIT: '0', LOG_LEVEL: 'warn' } }).catch((err: unknown) => {
    remove();
    throw err;
  });
  return {
    url: proc.url,
    apiKey: proc.apiKey,
    async stop() {
      await proc.stop();
      remove();
    },
  };
}

export function launchChromium(): Promise<Browser> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 30_000,
  });
}

export const shot = (name: string) => path.join(ARTIFACTS, `${name}.png`);

/** Records what a page must never do: console errors, uncaught errors, HTTP errors, requests to another host. */
export function watchPage(page: Page, origin: string, problems: string[], foreignRequests: string[]): void {
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(origin)) foreignRequests.push(r.url());
  });
}
