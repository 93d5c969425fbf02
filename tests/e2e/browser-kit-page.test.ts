import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium, watchPage, type RunningRegistry, shot, startRegistry } from './browser-harness';
import { binary } from '../registry-server/helpers';
import { kitBody } from '../registry-server/kit-fixtures';

/**
 * A person's path through the kit pages in real Chromium against the real registry process: search kits, open
 * one, walk every tab, compare two versions, copy the install call; no console error, CSP report or foreign request.
 */
describe.skipIf(!hasChromium)('kit pages in Chromium (needs /usr/bin/chromium)', () => {
  let registry: RunningRegistry;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const foreignRequests: string[] = [];

  const post = async (url: string, body: unknown) => {
    const res = await fetch(`${registry.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': registry.apiKey }, body: JSON.stringify(body) });
    expect(res.status, await res.text()).toBe(200);
  };
  const fn = (name: string) => ({ name, description: `${name} does it`, request_schema: { type: 'object' }, response_schema: { type: 'object' }, metadata: {} });

  beforeAll(async () => {
    registry = await startRegistry();
    await post('/publish', binary('kanban', '1.6.1', { functions: [fn('kanban::create'), fn('kanban::move')] }));
    await post('/publish', binary('mailer', '0.2.3', { functions: [fn('mailer::send')] }));
    await post('/k/acme/kanban-team', kitBody('1.0.0'));
    await post('/k/acme/kanban-team', kitBody('1.1.0', { workers: { kanban: '^1.6', mailer: '~0.2.0' } }));
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: registry.url });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    watchPage(page, registry.url, problems, foreignRequests);
  });

  afterAll(async () => {
    await browser?.close();
    await registry?.stop();
  });

  it('finds the kit with the search box on /kits and opens its page', async () => {
    await page.goto(`${registry.url}/kits`);
    await page.getByLabel('Search kits').fill('kanban');
    await page.getByLabel('Search kits').press('Enter');
    await page.waitForURL(/\/kits\?search=kanban/);
    await page.locator('ol.results > li').first().locator('h2 a').click();
    await page.waitForURL(/\/kits\/acme\/kanban-team$/);
    expect(await page.locator('#kit-id').textContent()).toBe('acme/kanban-team');
    expect(await page.locator('#kit-version').textContent()).toBe('1.1.0');
    expect(await page.locator('.kit-agent h2').allTextContents()).toEqual(['🗂 Planner planner', 'Reviewer reviewer']);
    await page.screenshot({ path: shot('kit-01-agents'), fullPage: true });
  });

  it('copies the install call', async () => {
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.locator('.copy-status', { hasText: 'Copied to clipboard' }).waitFor({ timeout: 5000 });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('directory::download-kit {"kit": "acme/kanban-team@1.1.0"}');
  });

  it('walks the workers, skills, versions (with compare) and readme tabs', async () => {
    await page.getByRole('link', { name: 'Workers', exact: true }).click();
    await page.waitForURL(/tab=workers/);
    const row = page.locator('table.kit-workers tbody tr').first();
    expect(await row.locator('td').first().textContent()).toBe('^1.6');
    expect(await row.locator('td').nth(1).textContent()).toBe('1.6.1');
    expect(await row.locator('td').nth(2).textContent()).toContain('kanban::create');
    await page.getByRole('link', { name: 'Skills', exact: true }).click();
    await page.waitForURL(/tab=skills/);
    expect(await page.locator('table.kit-skills').textContent()).toContain('acme/kanban-team/tickets/flow');
    await page.getByRole('link', { name: 'Versions', exact: true }).click();
    await page.waitForURL(/tab=versions/);
    await page.getByRole('link', { name: 'vs 1.0.0' }).click();
    await page.waitForURL(/compare=1\.0\.0/);
    expect(await page.locator('#compare-title').textContent()).toBe('1.1.0 vs 1.0.0');
    await page.screenshot({ path: shot('kit-02-compare'), fullPage: true });
    await page.getByRole('link', { name: 'Readme', exact: true }).click();
    await page.waitForURL(/tab=readme/);
    expect(await page.locator('.readme .markdown').textContent()).toContain('Install with directory::download-kit.');
  });

  it('fits a phone screen and saw no error, CSP violation or foreign request', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${registry.url}/kits/acme/kanban-team?tab=workers`);
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(scroll).toBeLessThanOrEqual(client + 1);
    expect(problems).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });
});
