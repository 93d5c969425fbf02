import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { HOSTILE_README } from '../web/web-app';
import { hasChromium, launchChromium, type RunningRegistry, shot, startRegistry } from './browser-harness';

if (!hasChromium) console.warn('browser suite skipped: /usr/bin/chromium is absent (apt-get install -y chromium; CI installs it)');

/**
 * A README and a skill that try every usual trick (script, onerror, javascript: links, iframe, form, style) are
 * published through the real POST /publish and opened in Chromium: nothing may run, nothing may load from
 * another host, and the prose around the tricks still reads.
 */
describe.skipIf(!hasChromium)('hostile README in Chromium (needs /usr/bin/chromium)', () => {
  let registry: RunningRegistry;
  let browser: Browser;

  beforeAll(async () => {
    registry = await startRegistry();
    browser = await launchChromium();
    const post = (path: string, body: unknown) =>
      fetch(`${registry.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': registry.apiKey }, body: JSON.stringify(body) });
    const published = await post('/publish', {
      worker_name: 'hostile-readme',
      version: '1.0.0',
      type: 'engine',
      description: '<img src=x onerror=alert(9)> description',
      readme: HOSTILE_README,
      repo: 'javascript:alert(10)',
    });
    expect(published.status).toBe(200);
    const skills = await post('/w/hostile-readme/skills', { version: '1.0.0', skills: { 'SKILL.md': HOSTILE_README } });
    expect(skills.status).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await registry?.stop();
  });

  it.each([
    ['overview', '/workers/hostile-readme'],
    ['skills', '/workers/hostile-readme?tab=skills'],
    ['agent-context', '/workers/hostile-readme?tab=agent-context'],
  ])('%s: shows the text, runs no script, loads nothing from elsewhere', async (name, path) => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    const errors: string[] = [];
    const foreign: string[] = [];
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith(registry.url)) foreign.push(r.url());
    });
    const res = await page.goto(`${registry.url}${path}`, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");

    const text = await page.locator('main').innerText();
    expect(text).toContain('Totally normal worker');
    if (name !== 'agent-context') {
      expect(text).toContain('Intro text stays visible.');
      expect(text).toContain('Outro text stays visible.');
      // only our own deferred script, no iframe, form or inline handler made it into the DOM
      expect(await page.evaluate(() => Array.from(document.scripts).map((s) => new URL(s.src).pathname))).toEqual(['/assets/site.js']);
      expect(await page.locator('main iframe, main form, main object, main embed').count()).toBe(0);
      expect(await page.locator('main [onerror], main [onclick], main [style]').count()).toBe(0);
      const hrefs = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      expect(hrefs.filter((h) => /^\s*(javascript|data|vbscript):/i.test(h))).toEqual([]);
    }
    // clicking the would-be javascript: links must do nothing either
    for (const label of ['raw link', 'click me']) {
      const link = page.locator('main a', { hasText: label });
      if ((await link.count()) > 0) await link.first().click();
    }
    expect(await page.evaluate(() => document.title)).toContain('hostile-readme');
    await page.screenshot({ path: shot(`06-hostile-${name}`), fullPage: true });
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });
});
