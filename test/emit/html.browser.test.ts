/**
 * The HTML reference of spec/ in a real browser (Debian's `chromium`, headless, driven over the DevTools
 * protocol): screenshots of the index and a command page, no console errors anywhere, every internal link
 * followed, the search box used as a reader uses it, a 375 px wide screen, and accessibility basics (headings in
 * order, a labelled search, visible focus, text contrast of at least 4.5:1 from computed styles). Without
 * chromium the tests say so in one line and skip; under CI they fail.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSpecDir } from '../../src/parse/loadSpec.js';
import { Browser, findChromium, LAUNCH_MS } from '../helpers/chromium.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { tempDir } from '../helpers/fixtures.js';
import { generateInto } from '../helpers/generate.js';
import { EVIL, hostileSpec } from '../helpers/hostile.js';
import { missingTool } from '../helpers/optionalTools.js';

const CHROMIUM = findChromium();
const INSTALL = 'apt-get install -y chromium';
/** Where the screenshots go: SAC_SCREENSHOTS (the README's come from there), else a temporary directory. */
const SHOTS = process.env['SAC_SCREENSHOTS'] ?? tempDir('sac-shots-');

let browser: Browser;
let site: string;
let hostile: string;
const url = (root: string, rel: string) => pathToFileURL(path.join(root, 'html', rel)).href;

beforeAll(async () => {
  if (!CHROMIUM) return;
  const [spec, evil] = await Promise.all([
    generateInto(readSpecDir(path.join(REPO_ROOT, 'spec')).input, ['docs-html']),
    generateInto({ texts: hostileSpec(), files: { COMMANDS: 'COMMANDS.md', TYPES: 'TYPES.md', EVENTS: 'EVENTS.md' } }, ['docs-html']),
  ]);
  site = spec.dir;
  hostile = evil.dir;
  browser = await Browser.launch(CHROMIUM);
}, LAUNCH_MS + 60_000); // the sites are generated first

afterAll(async () => {
  await browser?.close();
});

/** The test's chromium, or a one-line skip (a failure under CI). */
function needChromium(ctx: { skip(note?: string): void }): void {
  if (!CHROMIUM) missingTool(ctx, 'chromium', INSTALL);
}

/** PNG width and height, from its IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const CONTRAST = `(() => {
  const rgba = (c) => { const p = c.match(/[\\d.]+/g).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const background = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor); if (c[3] > 0) return c; } return [255, 255, 255, 1]; };
  let worst = { ratio: 99, texts: 0 };
  let texts = 0;
  for (const el of document.querySelectorAll('body *')) {
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    if (!el.checkVisibility()) continue;
    texts++;
    const style = getComputedStyle(el);
    const bg = background(el);
    const fg = rgba(style.color);
    const shown = [0, 1, 2].map((i) => fg[i] * fg[3] + bg[i] * (1 - fg[3]));
    const a = lum(shown), b = lum(bg);
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < worst.ratio) worst = { ratio, tag: el.tagName, cls: String(el.className), text: el.textContent.trim().slice(0, 40), color: style.color, background: bg.join(',') };
  }
  return { ...worst, texts };
})()`;

const HEADINGS = `(() => {
  const levels = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1]));
  const problems = [];
  if (levels[0] !== 1) problems.push('the first heading is h' + levels[0]);
  if (levels.filter((l) => l === 1).length !== 1) problems.push(levels.filter((l) => l === 1).length + ' h1');
  levels.forEach((l, i) => { if (i > 0 && l > levels[i - 1] + 1) problems.push('h' + levels[i - 1] + ' then h' + l + ' at heading ' + i); });
  return { count: levels.length, problems };
})()`;

const FOCUSED = `(() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  return { tag: el.tagName, text: (el.textContent || el.id).trim().slice(0, 30), focusVisible: el.matches(':focus-visible'), outline: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor };
})()`;

describe('the HTML reference in Chromium', () => {
  it('index and a command page: screenshots, and no console errors', async (ctx) => {
    needChromium(ctx);
    mkdirSync(SHOTS, { recursive: true });
    await browser.viewport(1200, 900);
    await browser.open(url(site, 'index.html'));
    const index = await browser.screenshot();
    expect(pngSize(index)).toEqual({ width: 1200, height: 900 });
    writeFileSync(path.join(SHOTS, 'html-reference-index.png'), index);
    expect(await browser.evaluate<string>('document.title')).toBe('SimpleX Chat bot API · SimpleX Chat bot API');
    await browser.open(url(site, 'commands/APISendMessages.html'));
    const command = await browser.screenshot();
    expect(pngSize(command)).toEqual({ width: 1200, height: 900 });
    writeFileSync(path.join(SHOTS, 'html-reference-command.png'), command);
    expect(await browser.evaluate<string>(`document.querySelector('h1').textContent`)).toBe('APISendMessages');
    expect(await browser.evaluate<string>(`document.querySelector('pre.command-example').textContent`)).toMatch(/^\/_send /);
    expect(browser.errors).toEqual([]);
  });

  it('every internal link is followed: 0 broken', async (ctx) => {
    needChromium(ctx);
    const root = pathToFileURL(path.join(site, 'html') + path.sep).href;
    const pages = new Map<string, { ids: Set<string>; links: string[] }>();
    const queue = [root + 'index.html'];
    const broken: string[] = [];
    while (queue.length) {
      const page = queue.shift()!;
      if (pages.has(page)) continue;
      try {
        await browser.open(page);
      } catch (e) {
        broken.push(`${page}: ${(e as Error).message}`);
        pages.set(page, { ids: new Set(), links: [] });
        continue;
      }
      const found = await browser.evaluate<{ ids: string[]; links: string[]; title: string }>(
        `({ ids: [...document.querySelectorAll('[id]')].map((e) => e.id), links: [...document.querySelectorAll('a[href]')].map((a) => a.href), title: document.title })`,
      );
      // A missing file loads Chromium's error page: no title of ours.
      if (!found.title.endsWith('SimpleX Chat bot API')) broken.push(`${page}: not a page of the reference (${found.title})`);
      pages.set(page, { ids: new Set(found.ids), links: found.links });
      for (const link of found.links) {
        const target = link.split('#')[0]!;
        if (target.startsWith(root) && !pages.has(target)) queue.push(target);
      }
    }
    let internal = 0;
    let external = 0;
    for (const [page, { links }] of pages)
      for (const link of links) {
        if (!link.startsWith(root)) {
          external++;
          expect(link, `${page} links outside the site`).toMatch(/^(https?:|mailto:)/);
          continue;
        }
        internal++;
        const [target, anchor] = link.split('#') as [string, string | undefined];
        const at = pages.get(target);
        if (!at) broken.push(`${page} → ${link}: no page`);
        else if (anchor && !at.ids.has(decodeURIComponent(anchor))) broken.push(`${page} → ${link}: no #${anchor}`);
      }
    console.log(`links: ${pages.size} pages, ${internal} internal links followed, ${external} external, ${broken.length} broken`);
    expect(broken).toEqual([]);
    expect(pages.size).toBeGreaterThan(60);
    expect(browser.errors).toEqual([]);
  });

  it('search: a command name typed into the box lists its page; other pages search from the index', async (ctx) => {
    needChromium(ctx);
    await browser.viewport(1200, 900);
    await browser.open(url(site, 'index.html'));
    expect(await browser.evaluate<boolean>(`document.getElementById('results').hidden`)).toBe(true);
    await browser.evaluate(`document.getElementById('q').focus()`);
    await browser.type('APISendMessages');
    const results = await browser.evaluate<{ hidden: boolean; hrefs: string[]; status: string }>(
      `({ hidden: document.getElementById('results').hidden, hrefs: [...document.querySelectorAll('#results li a')].map((a) => a.getAttribute('href')), status: document.querySelector('#results .status').textContent })`,
    );
    expect(results.hidden).toBe(false);
    expect(results.hrefs[0]).toBe('commands/APISendMessages.html');
    expect(results.status).toMatch(/^\d+ match/);
    // From a command page: the query goes to the index, whose results show the event's entry.
    await browser.open(url(site, 'commands/APIDeleteChat.html'));
    await browser.evaluate(`document.getElementById('q').focus()`);
    await browser.type('newchatitems');
    const loaded = browser.waitFor('Page.loadEventFired');
    await browser.press('Enter');
    await loaded;
    const after = await browser.evaluate<{ path: string; hrefs: string[] }>(
      `({ path: location.pathname + location.search, hrefs: [...document.querySelectorAll('#results li a')].map((a) => a.getAttribute('href')) })`,
    );
    expect(after.path).toMatch(/\/html\/index\.html\?q=newchatitems$/);
    expect(after.hrefs[0]).toBe('events.html#NewChatItems');
    // A search by a word of the descriptions, not of a name.
    await browser.evaluate(`(() => { const q = document.getElementById('q'); q.value = ''; q.focus(); })()`);
    await browser.type('reaction');
    expect(await browser.evaluate<number>(`document.querySelectorAll('#results li').length`)).toBeGreaterThan(1);
    expect(browser.errors).toEqual([]);
  });

  it('375 px wide: no page scrolls sideways, the search box fits, text stays readable', async (ctx) => {
    needChromium(ctx);
    await browser.viewport(375, 740, true);
    try {
      for (const page of ['index.html', 'commands/APISendMessages.html', 'events.html', 'types.html']) {
        await browser.open(url(site, page));
        const m = await browser.evaluate<{ scrollWidth: number; input: { left: number; right: number; width: number }; font: number }>(
          `(() => { const r = document.getElementById('q').getBoundingClientRect(); return { scrollWidth: document.documentElement.scrollWidth, input: { left: r.left, right: r.right, width: r.width }, font: parseFloat(getComputedStyle(document.body).fontSize) }; })()`,
        );
        expect(m.scrollWidth, page).toBeLessThanOrEqual(375);
        expect(m.input.left, page).toBeGreaterThanOrEqual(0);
        expect(m.input.right, page).toBeLessThanOrEqual(375);
        expect(m.input.width, page).toBeGreaterThan(120);
        expect(m.font, page).toBeGreaterThanOrEqual(16);
      }
      await browser.open(url(site, 'commands/APISendMessages.html'));
      writeFileSync(path.join(SHOTS, 'html-reference-375.png'), await browser.screenshot());
    } finally {
      await browser.viewport(1200, 900);
    }
    expect(browser.errors).toEqual([]);
  });

  it('accessibility basics: headings in order, a labelled search, visible focus, contrast ≥ 4.5:1', async (ctx) => {
    needChromium(ctx);
    const report: string[] = [];
    for (const page of ['index.html', 'commands/APISendMessages.html', 'commands/APIDeleteChat.html', 'events.html', 'types.html']) {
      await browser.open(url(site, page));
      const headings = await browser.evaluate<{ count: number; problems: string[] }>(HEADINGS);
      expect(headings.problems, page).toEqual([]);
      const label = await browser.evaluate<{ labels: string[]; role: string | null }>(
        `({ labels: [...document.getElementById('q').labels].map((l) => l.textContent.trim()), role: document.getElementById('q').form.getAttribute('role') })`,
      );
      expect(label).toEqual({ labels: ['Search'], role: 'search' });
      // A keyboard user's first stops: each shows where the focus is.
      for (let i = 0; i < 6; i++) {
        await browser.press('Tab');
        const f = await browser.evaluate<{ tag: string; text: string; focusVisible: boolean; outline: string; width: number }>(FOCUSED);
        expect(f.focusVisible, `${page} stop ${i}: ${f.tag} ${f.text}`).toBe(true);
        expect(f.outline, `${page} stop ${i}: ${f.tag} ${f.text}`).not.toBe('none');
        expect(f.width, `${page} stop ${i}`).toBeGreaterThanOrEqual(2);
      }
      const contrast = await browser.evaluate<{ ratio: number; texts: number; tag?: string; text?: string }>(CONTRAST);
      expect(contrast.ratio, `${page}: ${JSON.stringify(contrast)}`).toBeGreaterThanOrEqual(4.5);
      report.push(`${page}: ${headings.count} headings, ${contrast.texts} text elements, lowest contrast ${contrast.ratio.toFixed(2)}:1`);
    }
    console.log(report.join('\n'));
    expect(browser.errors).toEqual([]);
  });

  it('hostile text in the spec shows as text: no element, script or console error comes from it', async (ctx) => {
    needChromium(ctx);
    await browser.open(url(hostile, 'commands/APISendMessages.html'));
    const page = await browser.evaluate<{ scripts: number; desc: string; items: number }>(
      `({ scripts: document.scripts.length, desc: document.querySelector('.desc').textContent, items: document.querySelectorAll('.desc li').length })`,
    );
    expect(page.scripts).toBe(1);
    expect(page.items).toBe(1);
    expect(page.desc).toContain(`*/ ' " \\ \${x} {{y}} {{{z}}} </script> 日本語 \\u202e é`);
    await browser.open(url(hostile, 'index.html'));
    expect(await browser.evaluate<number>('document.scripts.length')).toBe(2);
    await browser.evaluate(`document.getElementById('q').focus()`);
    await browser.type('Send');
    expect(await browser.evaluate<string>(`document.querySelector('#results li').textContent`)).toContain('</script>');
    expect(EVIL).toContain('</script>');
    expect(browser.errors).toEqual([]);
  });
});
