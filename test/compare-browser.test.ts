// compare.html in a real headless Chromium: the report's story (docker ->
// gunicorn -> SimpleCache) side by side, tables visible, regressions marked,
// nothing fetched. Screenshot for a human: test-results/compare.png.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../tools/compare/run.ts';
import { FIXTURES } from './helpers/compare-fixtures.ts';
import { repo } from './helpers/k6.ts';
import { browserSkip, launchChromium, openOffline } from './helpers/browser.ts';

const skip = browserSkip;
if (skip) console.log(`# skipping compare.html browser test: ${skip}`);

test('compare.html shows the side-by-side tables in Chromium, offline', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'party-perf-compare-'));
  const htmlPath = join(dir, 'compare.html');
  const out: string[] = [];
  const code = run([
    ...['docker', 'gunicorn', 'simplecache'].map((f) => join(FIXTURES, `${f}.summary.json`)),
    '--html', htmlPath, '--fail-on', 'success-rate-drop>1', '--fail-on', 'p95-increase>20%',
  ], { out: (s) => out.push(s), err: (s) => out.push(s) });
  // gunicorn's 100 requests @ 50 ms are worse than docker's (as in the report), but no route is.
  assert.equal(code, 0, out.join(''));
  const html = readFileSync(htmlPath, 'utf8');

  const profileDir = mkdtempSync(join(tmpdir(), 'party-perf-chromium-'));
  const browser = await launchChromium(profileDir);
  try {
    const { page, requests } = await openOffline(browser, html);
    assert.deepEqual(requests, [], 'a self-contained page fetches nothing');

    assert.match(await page.locator('#status').innerText(), /1 regression beyond the tolerance.*All 2 gates passed/);
    for (const id of ['per-route', 'overall', 'count-100', 'count-200', 'count-500', 'no-response', 'causes', 'latency-median', 'latency-p95', 'latency-max']) {
      const t = page.locator(`#t-${id}`);
      assert.ok(await t.isVisible(), id);
      assert.deepEqual(await t.locator('thead th').allInnerTexts(), [id.startsWith('count') || id === 'overall' ? 'Offset' : id === 'causes' ? 'Cause' : 'Route', 'docker (baseline)', 'gunicorn', 'simplecache'], id);
    }
    const perRoute = page.locator('#t-per-route tbody tr');
    assert.equal(await perRoute.count(), 4);
    assert.match(await perRoute.last().innerText(), /^All Routes Combined\s+56\.84\s+67\.17\s*▲ \+10\.33\s+97\.13\s*▲ \+40\.29$/);

    // The one regression: red, with ▼.
    const reg = page.locator('#t-count-100 td.regression');
    assert.equal(await reg.count(), 1);
    assert.match(await reg.innerText(), /28\.33\s*▼ -11\.00/);
    // No DOM lib in tsconfig: reach the page's getComputedStyle through globalThis.
    type Styles = { getComputedStyle(e: unknown): { backgroundColor: string } };
    const bg = await reg.evaluate((el) => (globalThis as unknown as Styles).getComputedStyle(el).backgroundColor);
    assert.equal(bg, 'rgb(251, 228, 228)');

    assert.equal(await page.locator('svg.chart path').count(), 3, 'one line per run');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than a 1366px screen`);

    mkdirSync(join(repo, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(repo, 'test-results/compare.png'), fullPage: true });
  } finally {
    await browser.close();
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
