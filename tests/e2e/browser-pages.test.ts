import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hasChromium, launchChromium, watchPage, type RunningRegistry, shot, startRegistry } from './browser-harness';

if (!hasChromium) console.warn('browser suite skipped: /usr/bin/chromium is absent (apt-get install -y chromium; CI installs it)');

/**
 * A person's path through the pages in real Chromium against the real registry process: search from the index,
 * open a seed worker, switch every tab, follow a dependency, copy the install command, then a phone-width check.
 * The steps share one page on purpose (each continues from where the last one left off).
 */
describe.skipIf(!hasChromium)('web pages in Chromium (needs /usr/bin/chromium)', () => {
  let registry: RunningRegistry;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    registry = await startRegistry();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: registry.url });
    page = await context.newPage();
    watchPage(page, registry.url, problems, foreignRequests);
  });

  afterAll(async () => {
    await browser?.close();
    await registry?.stop();
  });

  it('finds a seed worker with the search box on the index', async () => {
    await page.goto(`${registry.url}/`);
    await page.getByLabel('Search workers').fill('resize images');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/workers\?search=resize\+images/);
    const first = page.locator('ol.results > li').first().locator('h2 a');
    expect(await first.textContent()).toBe('image-resize');
    await page.screenshot({ path: shot('01-search-results'), fullPage: true });
  });

  it('opens the worker page with its header, install command, config and README', async () => {
    await page.locator('ol.results > li').first().locator('h2 a').click();
    await page.waitForURL(/\/workers\/image-resize$/);
    expect(await page.locator('h1 .worker-name').textContent()).toBe('image-resize');
    const version = (await page.locator('#worker-version').textContent()) ?? '';
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(await page.getByLabel('Install command').inputValue()).toBe(`iii worker add image-resize@${version}`);
    expect(await page.locator('.config-keys dt').allTextContents()).toContain('width');
    expect(await page.locator('.readme .markdown').isVisible()).toBe(true);
    await page.screenshot({ path: shot('02-worker-overview'), fullPage: true });
  });

  it('copies the install command with the copy button', async () => {
    const command = await page.getByLabel('Install command').inputValue();
    const button = page.getByRole('button', { name: 'Copy' });
    expect(await button.isVisible()).toBe(true); // revealed by /assets/site.js
    await button.click();
    await page.locator('.copy-status', { hasText: 'Copied to clipboard' }).waitFor({ timeout: 5000 });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command);
    // and the command is selected, so a keyboard copy would take the same text
    const selected = await page.getByLabel('Install command').evaluate((el: HTMLInputElement) => el.value.slice(el.selectionStart ?? 0, el.selectionEnd ?? 0));
    expect(selected).toBe(command);
  });

  const tabs: { name: string; check: (p: Page) => Promise<void> }[] = [
    {
      name: 'API',
      check: async (p) => {
        expect(await p.locator('#functions-title').textContent()).toMatch(/^Functions \(\d+\)$/);
        expect(await p.locator('.api-entry h3 code').allTextContents()).toContain('image_resize::resize');
        expect(await p.locator('.schema-tree .req').count()).toBeGreaterThan(0);
      },
    },
    {
      name: 'Skills',
      check: async (p) => {
        expect(await p.locator('.skill-list a').count()).toBeGreaterThan(0);
        expect(await p.locator('article.skill .markdown').isVisible()).toBe(true);
      },
    },
    {
      name: 'Versions',
      check: async (p) => {
        const rows = await p.locator('table.versions tbody tr th a').allTextContents();
        expect(rows).toEqual(expect.arrayContaining(['0.1.2', '0.1.1', '0.1.0']));
        expect(await p.locator('table.versions .chip', { hasText: 'latest' }).count()).toBe(1);
      },
    },
    {
      name: 'Agent context',
      check: async (p) => {
        expect(await p.locator('pre.agent-context').textContent()).toContain('image-resize');
        const href = await p.locator('a[href^="/workers/image-resize.md"]').first().getAttribute('href');
        const res = await p.request.get(`${registry.url}${href}`);
        expect(res.status()).toBe(200);
        expect(res.headers()['content-type']).toContain('text/markdown');
      },
    },
    {
      name: 'Overview',
      check: async (p) => {
        expect(await p.locator('#install-title').isVisible()).toBe(true);
      },
    },
  ];

  it.each(tabs.map((t) => [t.name, t] as const))('switches to the %s tab', async (_name, tab) => {
    await page.getByRole('navigation', { name: 'Worker sections' }).getByRole('link', { name: tab.name, exact: true }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('nav.tabs a[aria-current="page"]').textContent()).toBe(tab.name);
    await tab.check(page);
    await page.screenshot({ path: shot(`03-tab-${tab.name.toLowerCase().replace(/\s+/g, '-')}`), fullPage: true });
  });

  it('follows a dependency link to the dependency page', async () => {
    await page.locator('ul.deps a', { hasText: 'configuration' }).click();
    await page.waitForURL(/\/workers\/configuration$/);
    expect(await page.locator('h1 .worker-name').textContent()).toBe('configuration');
    await page.screenshot({ path: shot('04-dependency'), fullPage: true });
  });

  it('fits a phone-width screen without horizontal scrolling', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 360, height: 740 });
    for (const [name, url] of [['index', '/'], ['worker', '/workers/image-resize'], ['api', '/workers/image-resize?tab=api'], ['versions', '/workers/image-resize?tab=versions']]) {
      await phone.goto(`${registry.url}${url}`);
      const { scroll, client } = await phone.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      expect({ page: name, scroll }).toEqual({ page: name, scroll: client });
      await phone.screenshot({ path: shot(`05-phone-${name}`), fullPage: true });
    }
    await phone.close();
  });

  it('works without JavaScript: search and tabs are plain forms and links', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const p = await noJs.newPage();
    await p.goto(`${registry.url}/`);
    await p.getByLabel('Search workers').fill('email');
    await p.getByLabel('Search workers').press('Enter');
    await p.waitForURL(/search=email/);
    expect(await p.locator('ol.results > li').count()).toBeGreaterThan(0);
    await p.goto(`${registry.url}/workers/image-resize`);
    expect(await p.getByRole('button', { name: 'Copy' }).isVisible()).toBe(false); // hidden until the script reveals it
    await p.getByRole('link', { name: 'Versions', exact: true }).click();
    expect(await p.locator('nav.tabs a[aria-current="page"]').textContent()).toBe('Versions');
    await noJs.close();
  });

  it('raised no console errors, CSP violations or requests to other hosts', () => {
    expect(problems).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });
});
