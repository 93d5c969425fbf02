import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { RegistryServices } from '../../registry-server/src/services/types';
import { ADMIN, buildWebApp, HOSTILE_README, seedWorkers } from './web-app';

let app: FastifyInstance;
let services: RegistryServices;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, services, close } = await buildWebApp());
  await seedWorkers(services);
  for (let i = 0; i < 23; i++) {
    await services.publish(ADMIN, { worker_name: `filler-${String(i).padStart(2, '0')}`, version: '1.0.0', type: 'engine', description: `Filler worker ${i}` });
  }
  // one download puts image-resize first on the unsearched index (ordered by downloads)
  await services.download('image-resize', undefined, false);
  await services.publish(ADMIN, { worker_name: 'hostile', version: '1.0.0', type: 'engine', description: '<b>bold</b> "quoted"', readme: HOSTILE_README });
});
afterAll(() => close());

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

describe('every HTML response', () => {
  it.each(['/', '/workers?search=resize', '/workers/image-resize', '/workers/image-resize?tab=api', '/workers/nope'])('%s has a CSP without inline script', async (url) => {
    const res = await get(url);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // no inline script or style, nothing loaded from another host
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc="\/assets\/)/);
    expect(res.body).not.toMatch(/<style|\sstyle=/);
    expect(res.body).not.toMatch(/(src|href)="(https?:)?\/\/(?!github\.com|registry\.test)/);
  });
});

describe('index', () => {
  it('lists workers by downloads with name, description, version, type, platforms, downloads and tags', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<label for="search-input">Search workers</label>');
    expect(res.body).toMatch(/<h2><a href="\/workers\/image-resize">image-resize<\/a> <span class="version">0\.1\.2<\/span><\/h2>/);
    expect(res.body).toContain('Resize images through channel I/O');
    expect(res.body).toContain('<dd>aarch64-apple-darwin, x86_64-unknown-linux-gnu</dd>');
    expect(res.body).toContain('<a href="/workers?tag=resize">resize</a>');
    expect(res.body).toContain('<dt>downloads</dt><dd><data value="1">1</data></dd>');
    expect(res.body).toMatch(/<ol class="results">\s*<li class="result">\s*<h2><a href="\/workers\/image-resize">/);
  });

  it('pages through every worker exactly once with plain links', async () => {
    const seen: string[] = [];
    let url: string | null = '/workers';
    for (let i = 0; url && i < 10; i++) {
      const res = await get(url);
      seen.push(...[...res.body.matchAll(/<h2><a href="\/workers\/([a-z0-9_-]+)">/g)].map((m) => m[1]));
      const next = /<a rel="next" href="([^"]+)">/.exec(res.body);
      url = next ? next[1].replace(/&amp;/g, '&') : null;
      if (i > 0) expect(res.body).toContain('<a href="/workers">First page</a>');
    }
    expect(seen.length).toBe(26);
    expect(new Set(seen).size).toBe(26);
  });

  it('searches with the ranked search and keeps the query in the box', async () => {
    const res = await get('/workers?search=resize%20a%20jpeg');
    expect(res.body).toContain('value="resize a jpeg"');
    expect(res.body).toMatch(/<ol class="results">\s*<li class="result">\s*<h2><a href="\/workers\/image-resize">/);
    const none = await get('/workers?search=zzqqxxnothing');
    expect(none.body).toContain('No workers match “zzqqxxnothing”');
  });

  it('filters by type and tag', async () => {
    const engines = await get('/workers?type=engine');
    expect(engines.body).toContain('href="/workers/configuration"');
    expect(engines.body).not.toContain('href="/workers/image-resize"');
    expect(engines.body).toContain('<option value="engine" selected>engine</option>');
    const tagged = await get('/workers?tag=config');
    expect(tagged.body).toContain('href="/workers/configuration"');
    expect(tagged.body).not.toContain('href="/workers/filler-00"');
  });

  it('answers a broken cursor with a readable 400 page, not a JSON error', async () => {
    const res = await get('/workers?cursor=not-a-cursor');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('role="alert"');
  });

  it('escapes worker text in listings', async () => {
    const res = await get('/workers?search=hostile');
    expect(res.body).toContain('&lt;b&gt;bold&lt;/b&gt; &quot;quoted&quot;');
  });
});

describe('worker page', () => {
  it('shows header facts, the install command, config keys as YAML, dependency links and the README', async () => {
    const res = await get('/workers/image-resize');
    expect(res.statusCode).toBe(200);
    const b = res.body;
    expect(b).toContain('<title>image-resize 0.1.2 · iii workers</title>');
    expect(b).toContain('<span class="version" id="worker-version">0.1.2</span>');
    expect(b).toContain('<dt>license</dt><dd>Apache-2.0</dd>');
    expect(b).toContain('<a href="https://github.com/iii-hq/workers" rel="nofollow noopener noreferrer">');
    expect(b).toContain('<dt>platforms</dt><dd>aarch64-apple-darwin, x86_64-unknown-linux-gnu</dd>');
    expect(b).toContain('value="iii worker add image-resize@0.1.2"');
    expect(b).toContain('<label for="install-command" class="visually-hidden">Install command</label>');
    expect(b).toContain('<dt><code>strategy</code></dt><dd>string · default <code>&quot;scale-to-fit&quot;</code></dd>');
    expect(b).toContain('<dt><code>output.format</code></dt>');
    expect(b).toContain('<pre class="yaml"><code>width: 200\nheight: 200\nstrategy: scale-to-fit\noutput:\n  format: jpeg\n</code></pre>');
    expect(b).toContain('<li><a href="/workers/configuration">configuration</a> <code>^0.21.6</code></li>');
    expect(b).toContain('<h2>image-resize</h2>');
    expect(b).toContain('Resize <strong>JPEG</strong>');
    expect(b).toMatch(/<a href="\/workers\/image-resize\?tab=api">API<\/a>/);
  });

  it('shows a deprecated version with its message and a way back to latest', async () => {
    const res = await get('/workers/image-resize?version=0.1.1');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<strong>Deprecated: image-resize 0.1.1.</strong> Use 0.1.2: fixes EXIF rotation.');
    expect(res.body).toContain('value="iii worker add image-resize@0.1.1"');
    expect(res.body).toContain('<a href="/workers/image-resize">See the latest version</a>');
    // tab links keep the version the reader picked
    expect(res.body).toContain('href="/workers/image-resize?version=0.1.1&amp;tab=versions"');
  });

  it('api tab draws request and response fields from the JSON Schemas', async () => {
    const b = (await get('/workers/image-resize?tab=api')).body;
    expect(b).toContain('<h2 id="functions-title">Functions (1)</h2>');
    expect(b).toContain('<h3><code>image_resize::resize</code></h3>');
    expect(b).toMatch(/<code class="field">input<\/code>\s*<span class="type"><a class="ref" href="#fn-0-0-def-ChannelRef">ChannelRef<\/a><\/span> <abbr class="req"/);
    expect(b).toContain('<h2 id="triggers-title">Trigger types (1)</h2>');
    expect(b).toContain('<code>image_resize::on-done</code>');
  });

  it('skills tab lists skills, renders the chosen one (frontmatter shown, script removed)', async () => {
    const b = (await get('/workers/image-resize?tab=skills')).body;
    expect(b).toContain('<h2>Skills (2)</h2>');
    expect(b).toContain('<span class="desc">How to resize and crop</span>');
    expect(b).toContain('<h3 id="skill-title"><code>SKILL.md</code> · Resizing</h3>');
    const crop = (await get('/workers/image-resize?tab=skills&skill=skills/crop.md')).body;
    expect(crop).toContain('<h3 id="skill-title"><code>skills/crop.md</code></h3>');
    expect(crop).toContain('aria-current="page"><code>skills/crop.md</code>');
    expect(crop).not.toContain('<script>alert');
    expect((await get('/workers/configuration?tab=skills')).body).toContain('No skills are published for this version.');
  });

  it('versions tab lists every version with tags, date and status', async () => {
    const b = (await get('/workers/image-resize?tab=versions')).body;
    expect(b).toMatch(/<a href="\/workers\/image-resize\?version=0\.1\.2" aria-current="page">0\.1\.2<\/a><\/th>\s*<td><span class="chip">latest<\/span>/);
    expect(b).toMatch(/0\.1\.1<\/a><\/th>[\s\S]*?<span class="status-deprecated">deprecated<\/span> <span class="muted">Use 0\.1\.2/);
    expect(b).toMatch(/<time datetime="\d{4}-\d{2}-\d{2}T[^"]+">\d{4}-\d{2}-\d{2}<\/time>/);
  });

  it('agent-context tab previews the document and links the .md URL', async () => {
    const b = (await get('/workers/image-resize?tab=agent-context')).body;
    const doc = await services.agentContext('image-resize', '0.1.2');
    expect(b).toContain('<a href="/workers/image-resize.md?version=0.1.2">');
    expect(b).toContain(doc.body.split('\n')[0].replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  });

  it('renders a hostile README safely', async () => {
    const b = (await get('/workers/hostile')).body;
    expect(b).toContain('Intro text stays visible.');
    expect(b).not.toMatch(/<script>alert|<iframe|onerror=|onclick=|href="javascript:/i);
  });

  it('unknown worker, bad name and unknown version are HTML 404 pages that help', async () => {
    const res = await get('/workers/image-resiz');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('No worker named “image-resiz” is published here.');
    expect(res.body).toContain('<input id="search-input" type="search" name="search" value="image resiz"');
    expect((await get('/workers/Bad%20Name%3Cx%3E')).statusCode).toBe(404);
    const v = await get('/workers/image-resize?version=9.9.9');
    expect(v.statusCode).toBe(404);
    expect(v.body).toContain('<a href="/workers/image-resize?version=0.1.1">0.1.1</a>');
  });

  it('sends an ETag and answers 304 to a matching If-None-Match', async () => {
    const first = await get('/workers/image-resize?tab=api');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get('/workers/image-resize?tab=api', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect((await get('/workers/image-resize?tab=api', { 'if-none-match': '"other"' })).statusCode).toBe(200);
  });
});

describe('assets', () => {
  it('serves the stylesheet and script with long caching when the hash matches', async () => {
    const page = (await get('/')).body;
    const css = /<link rel="stylesheet" href="([^"]+)">/.exec(page)?.[1] ?? '';
    const js = /<script src="([^"]+)" defer>/.exec(page)?.[1] ?? '';
    const cssRes = await get(css);
    expect(cssRes.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(cssRes.headers['cache-control']).toContain('immutable');
    expect(cssRes.body).toContain('.schema-tree');
    const jsRes = await get(js);
    expect(jsRes.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(jsRes.body).toContain('data-copy-target');
    expect((await get('/assets/../../etc/passwd')).statusCode).toBe(404);
    expect((await get('/assets/nope.css')).statusCode).toBe(404);
  });
});
