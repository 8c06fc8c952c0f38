// The plot page in a real headless Chromium: one mark per request, labelled
// panels, nothing blank, no console errors. Leaves test-results/plot.png.

import assert from 'node:assert/strict';

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { plot } from '../tools/plot/index.ts';
import { writeSynth } from '../tools/plot/synth.ts';
import { CORE_CLASSES } from '../tools/plot/theme.ts';
import { browserSkip, launchChromium, longPathDir, overflowAt, SCREEN_WIDTHS } from './helpers/browser.ts';

const FIXTURES = new URL('fixtures/k6-v0.49/', import.meta.url).pathname;
const RESULTS = new URL('../test-results/', import.meta.url).pathname;
const skip = browserSkip;

describe('plot page in headless Chromium', { skip }, () => {
  let dir: string;
  let ctx: BrowserContext;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plot-browser-'));
    ctx = await launchChromium(join(dir, 'profile'), { width: 1280, height: 900 });
  });
  after(async () => {
    await ctx?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Opens a page, failing on console errors, page errors and any network request but the file itself. */
  async function open(htmlPath: string): Promise<{ page: Page; problems: string[] }> {
    const page = await ctx.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    const url = pathToFileURL(htmlPath).href;
    page.on('request', (r) => {
      if (r.url() !== url) problems.push(`request: ${r.url()}`);
    });
    await page.goto(url, { waitUntil: 'load' });
    return { page, problems };
  }

  /** Share of pixels of a PNG that are not (near) white, measured in the page itself. */
  async function inkShare(page: Page, png: Buffer): Promise<number> {
    // Runs in the page; a string so this file needs no DOM typings.
    return page.evaluate(`(async (b64) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const px = g.getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let k = 0; k < px.length; k += 4) if (px[k] < 235 || px[k + 1] < 235 || px[k + 2] < 235) ink++;
      return ink / (px.length / 4);
    })(${JSON.stringify(png.toString('base64'))})`) as Promise<number>;
  }

  test('real k6 run: one mark per request per class, a labelled panel per route, nothing blank', async () => {
    const r = await plot([join(FIXTURES, 'raw.csv.gz')], { out: join(dir, 'fixture.html') });
    const { page, problems } = await open(r.htmlPath);
    assert.match(await page.title(), /Response times vs time into test: raw\.csv\.gz/);

    assert.equal(await page.locator('.panel svg circle[data-class]').count(), r.requests);
    for (const [cls, n] of Object.entries(r.byClass)) {
      assert.equal(await page.locator(`.panel svg circle[data-class="${cls}"]`).count(), n, cls);
    }
    // A panel per route, headed by its name and path, with scenario labels.
    const headings = await page.locator('.panel h2').allTextContents();
    assert.deepEqual(headings.map((h) => h.split(/\s+/).slice(0, 2).join(' ')), ['Route query', 'Route id', 'Route ref']);
    assert.match(headings[0]!, /\/businesses\?id=/);
    assert.match((await page.locator('.panel').first().locator('text.scn').allTextContents()).join('|'), /count 20, offset 50 ms/);
    for (const label of ['Response time (log scale)', 'Requests/s', 'Class mix', 'Time into test (s)']) {
      assert.ok((await page.getByText(label).count()) > 0, `axis label ${label}`);
    }
    assert.match(await page.locator('.legend').textContent() ?? '', /Success \(200\): 220.*No Response: 72.*404: 36.*500: 36.*Other: 0/);

    const svgs = page.locator('.panel svg');
    assert.equal(await svgs.count(), 3);
    for (let k = 0; k < 3; k++) {
      const box = await svgs.nth(k).boundingBox();
      assert.ok(box && box.width > 600 && box.height > 300, `panel ${k} size ${JSON.stringify(box)}`);
      const ink = await inkShare(page, await svgs.nth(k).screenshot());
      assert.ok(ink > 0.03, `panel ${k} has ink (${(ink * 100).toFixed(1)}% non-white)`);
    }
    // The median line is drawn.
    assert.ok(((await page.locator('path.median').first().getAttribute('d')) ?? '').length > 20);

    await mkdir(RESULTS, { recursive: true });
    await page.screenshot({ path: join(RESULTS, 'plot.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('small synthetic input with every class: each request is a mark, tooltips name it', async () => {
    const input = join(dir, 'small.csv');
    await writeSynth(input, { requests: 2000, format: 'csv', gzip: false, routes: ['query', 'ref'] });
    const r = await plot([input]);
    assert.ok(CORE_CLASSES.every((c) => r.byClass[c] > 0), JSON.stringify(r.byClass));
    const { page, problems } = await open(r.htmlPath);
    assert.equal(await page.locator('.panel svg circle[data-class]').count(), 2000);
    assert.equal(await page.locator('.panel svg circle[data-class="other"]').count(), r.byClass.other);
    assert.match((await page.locator('.panel svg circle title').first().textContent()) ?? '', /s: .*ms, .*query_c/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('an input under a long path with a long name: the page fits 1366 and 1024 px screens', async () => {
    const { root, dir: long } = longPathDir(140);
    try {
      const input = join(long, 'raw-output-of-the-quarterly-load-test-against-the-party-service-baseline.csv');
      await writeSynth(input, { requests: 1500, format: 'csv', gzip: false, routes: ['id'] });
      const r = await plot([input]);
      const { page, problems } = await open(r.htmlPath);
      // The file name on the page, its full path in the tooltip.
      const file = page.locator('h1 .file');
      assert.equal(await file.innerText(), 'raw-output-of-the-quarterly-load-test-against-the-party-service-baseline.csv');
      assert.equal(await file.getAttribute('title'), input);
      await mkdir(RESULTS, { recursive: true });
      for (const width of SCREEN_WIDTHS) {
        const overflow = await overflowAt(page, width, join(RESULTS, `plot-long-${width}.png`));
        assert.ok(overflow <= 0, `the plot page is ${overflow}px wider than a ${width}px screen`);
      }
      assert.deepEqual(problems, []);
      await page.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test('a decimated large input still renders every class without errors', async () => {
    const input = join(dir, 'large.csv.gz');
    await writeSynth(input, { requests: 60_000, format: 'csv', gzip: true });
    const r = await plot([input], { marks: { fullLimit: 1000 } });
    const { page, problems } = await open(r.htmlPath);
    const decimated = await page.locator('.panel svg[data-decimated="true"]').count();
    assert.equal(decimated, 3);
    for (const cls of CORE_CLASSES) {
      assert.ok((await page.locator(`.panel svg path.dots[data-class="${cls}"]`).count()) > 0, cls);
    }
    const ink = await inkShare(page, await page.locator('.panel svg').first().screenshot());
    assert.ok(ink > 0.05, `ink ${ink}`);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
