// report.html in a real headless Chromium: the tables and the chart render,
// nothing is fetched, and it fits a laptop screen. Screenshot for a human:
// test-results/summary.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handleSummary } from '../lib/summary/entry.ts';
import { parseConfig } from '../lib/config.ts';
import { INVALID_CHECK_PREFIX } from '../lib/plan.ts';
import { syntheticData } from './helpers/summary-data.ts';
import { browserSkip, launchChromium, openOffline, overflowAt, SCREEN_WIDTHS } from './helpers/browser.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const skip = browserSkip;
if (skip) console.log(`# skipping report.html browser test: ${skip}`);

test('report.html renders its tables and chart in Chromium, offline, on a laptop screen', { skip }, async () => {
  const env = { LABEL: 'baseline', GATE_P95: '150', GATE_NOT_SENT: '100' };
  const html = Object.entries(handleSummary(syntheticData(parseConfig(env, 'report').plan), {
    env, profile: 'report', seed: 42, now: Date.UTC(2024, 0, 31, 9, 45, 1),
  })).find(([k]) => k.endsWith('report.html'))![1];
  const profileDir = mkdtempSync(join(tmpdir(), 'party-perf-chromium-'));
  const browser = await launchChromium(profileDir);
  try {
    const { page, requests } = await openOffline(browser, html);
    assert.deepEqual(requests, [], 'a self-contained page fetches nothing');

    const status = page.locator('#status');
    assert.ok(await status.isVisible());
    // checks, p95, dropped and the lag gate (late starts).
    assert.match(await status.innerText(), /^FAIL: 1 of 4 thresholds failed/);
    const statusBox = (await status.boundingBox())!;
    assert.ok(statusBox.y < 100, 'the gate status is at the top');
    // Can this run be trusted? Right under it, before any table.
    const verdict = page.locator('#verdict');
    assert.match(await verdict.innerText(), /^Can this run be trusted\? Trustworthy: k6 kept its schedule/);
    const verdictBox = (await verdict.boundingBox())!;
    const firstTable = (await page.locator('table').first().boundingBox())!;
    assert.ok(verdictBox.y > statusBox.y && verdictBox.y + verdictBox.height <= firstTable.y, JSON.stringify({ verdictBox, firstTable }));

    for (const title of ['Request Count: 100', 'Request Count: 200', 'Request Count: 500', 'Overall', 'Per-route']) {
      const table = page.locator('section', { has: page.locator('h3', { hasText: new RegExp(`^${title}$`) }) }).locator('table');
      assert.ok(await table.isVisible(), title);
      assert.equal(await table.locator('th').first().innerText(), title === 'Per-route' ? 'Route' : 'Offset');
    }
    assert.ok(await page.getByRole('cell', { name: 'All Routes Combined' }).first().isVisible());
    assert.ok(await page.getByRole('cell', { name: '/businesses?id=' }).first().isVisible());

    const chart = page.locator('svg.chart');
    assert.ok(await chart.isVisible());
    assert.equal(await chart.locator('path').count(), 3, 'one line per request count');
    const box = (await chart.boundingBox())!;
    assert.ok(box.width > 300 && box.height > 150, JSON.stringify(box));

    mkdirSync(join(root, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(root, 'test-results/summary.png'), fullPage: true });
    for (const width of SCREEN_WIDTHS) {
      const overflow = await overflowAt(page, width);
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than a ${width}px screen`);
    }
  } finally {
    await browser.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
});

test('report.html fits 1366 and 1024 px screens with a long target URL, a long label and long problems', { skip }, async () => {
  // BASE_URL may carry a path (a service behind a reverse proxy); LABEL's longest form has no space to break at.
  // No hyphen or space in it: nothing a browser would break a line at.
  const target = `http://127.0.0.1:8081/${'reverseproxyprefix/'.repeat(9)}party`;
  const env = { LABEL: 'baseline-with-gunicorn-workers-and-a-pool-of-one-hundred-connect', BASE_URL: target, GATE_P95: '150' };
  assert.equal(env.LABEL.length, 64);
  const data = syntheticData(parseConfig(env, 'report').plan);
  // A schema problem as long as the ones a real body gives (first 160 characters of it reach the check name).
  const problem = `/attributes/${'sampleUnitRefWithAVeryLongAttributeNameThatNeverBreaks'.repeat(3)}: must be string`.slice(0, 160);
  (data as { root_group: { checks: unknown[] } }).root_group.checks.push({ name: `${INVALID_CHECK_PREFIX}/businesses/ref/ | ${problem}`, path: '::x', id: 'x', passes: 0, fails: 3 });
  const html = Object.entries(handleSummary(data, { env, profile: 'report', seed: 42, now: Date.UTC(2024, 0, 31, 9, 45, 1) })).find(([k]) => k.endsWith('report.html'))![1];
  const profileDir = mkdtempSync(join(tmpdir(), 'party-perf-chromium-'));
  const browser = await launchChromium(profileDir);
  try {
    const { page } = await openOffline(browser, html);
    assert.equal(await page.locator('.meta code').first().innerText(), target);
    assert.ok((await page.locator('td', { hasText: problem.slice(0, 40) }).count()) > 0, 'the long problem is shown');
    mkdirSync(join(root, 'test-results'), { recursive: true });
    for (const width of SCREEN_WIDTHS) {
      const overflow = await overflowAt(page, width, join(root, `test-results/summary-long-${width}.png`));
      assert.ok(overflow <= 0, `with a long target, label and problem the page is ${overflow}px wider than a ${width}px screen`);
    }
  } finally {
    await browser.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
});
