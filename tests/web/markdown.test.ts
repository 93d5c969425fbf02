import { describe, expect, it } from 'vitest';
import { html, raw } from '../../registry-server/src/web/html';
import { renderMarkdown } from '../../registry-server/src/web/markdown';
import { HOSTILE_README } from './web-app';

describe('html tagged template', () => {
  it('escapes interpolations and keeps raw() and nested fragments as markup', () => {
    const evil = '<img src=x onerror="alert(1)">&\'';
    const out = html`<p title="${evil}">${evil}${raw('<b>ok</b>')}${html`<i>${'<x>'}</i>`}${null}${false}${[1, '<2>']}</p>`.value;
    expect(out).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;<b>ok</b><i>&lt;x&gt;</i>1&lt;2&gt;</p>',
    );
  });
});

describe('renderMarkdown (untrusted READMEs and skills)', () => {
  const out = renderMarkdown(HOSTILE_README).value;

  it('drops scripts, iframes, forms, event handlers and style attributes', () => {
    expect(out).not.toMatch(/<script/i);
    expect(out).not.toMatch(/<iframe/i);
    expect(out).not.toMatch(/<form|<input/i);
    expect(out).not.toMatch(/\son\w+=/i);
    expect(out).not.toMatch(/style=/i);
    expect(out).not.toContain('alert(1)');
  });

  it('removes javascript: hrefs but keeps http(s) links with rel nofollow noopener', () => {
    expect(out).not.toMatch(/href="\s*javascript:/i);
    expect(out).toContain('<a>raw link</a>');
    expect(out).toContain('<a href="https://example.com/ok" rel="nofollow noopener noreferrer">fine link</a>');
  });

  it('keeps the prose around the hostile parts', () => {
    expect(out).toContain('Intro text stays visible.');
    expect(out).toContain('Outro text stays visible.');
    expect(out).toContain('styled paragraph');
    // markdown-it refuses the javascript: link target, so the source shows as text instead of a link
    expect(out).toContain('[click me](javascript:alert(3))');
  });

  it('turns images into links (no request to another host) and shifts headings below the page h1', () => {
    const md = renderMarkdown('# Top\n\n![logo](https://cdn.example/logo.png) ![local](docs/a.png) ![d](data:image/png;base64,AAAA)').value;
    expect(md).toContain('<h2>Top</h2>');
    expect(md).not.toMatch(/<img/i);
    expect(md).toContain('<a href="https://cdn.example/logo.png" rel="nofollow noopener noreferrer">[image: logo]</a>');
    expect(md).toContain('<span class="md-image">[image: local]</span>');
    expect(md).not.toContain('data:');
  });

  it('refuses data:, vbscript: and protocol-relative links, keeps fragments and mailto', () => {
    const md = renderMarkdown(
      '<a href="data:text/html,x">a</a> <a href="vbscript:x">b</a> <a href="//evil.example">c</a> <a href="#usage">d</a> <a href="mailto:a@b.c">e</a> <a href=" JaVaScRiPt:alert(1)">f</a>',
    ).value;
    expect(md).toContain('<a>a</a> <a>b</a> <a>c</a> <a href="#usage">d</a> <a href="mailto:a@b.c" rel="nofollow noopener noreferrer">e</a> <a>f</a>');
  });

  it('keeps ordinary README structure: code with language class, tables, details, align', () => {
    const md = renderMarkdown('```ts\nconst a = 1 < 2;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<details><summary>More</summary>\n\nbody\n\n</details>\n\n<p align="center" id="main">c</p>').value;
    expect(md).toContain('<code class="language-ts">const a = 1 &lt; 2;');
    expect(md).toContain('<td>1</td>');
    expect(md).toContain('<summary>More</summary>');
    expect(md).toContain('<p align="center">c</p>');
  });

  it('does not let SVG or MathML smuggle script', () => {
    const md = renderMarkdown('<svg><script>alert(1)</script><a xlink:href="javascript:alert(2)">x</a></svg>\n\n<math><mi href="javascript:alert(3)">m</mi></math>').value;
    expect(md).not.toMatch(/<svg|<math|<script|javascript:/i);
  });
});

describe('createMarkdownRenderer', () => {
  it('returns the same sanitized output from its cache and evicts past its bound', async () => {
    const { createMarkdownRenderer } = await import('../../registry-server/src/web/markdown');
    const render = createMarkdownRenderer(2);
    const a = render('# a <script>x</script>');
    expect(render('# a <script>x</script>')).toBe(a); // same object: served from the cache
    expect(a.value).not.toContain('<script');
    render('b');
    render('c');
    expect(render('# a <script>x</script>')).not.toBe(a); // evicted, rendered again
    expect(render('# a <script>x</script>').value).toBe(a.value);
  });
});
