// compare.html in a real headless Chromium: the report's story (docker ->
// gunicorn -> SimpleCache) side by side, tables visible, regressions marked,
// nothing fetched. Screenshot for a human: test-results/compare.png.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { run } from '../tools/compare/run.ts';
import { shortPath } from '../tools/html/file-path.ts';
import { FIXTURES } from './helpers/compare-fixtures.ts';
import { repo } from './helpers/k6.ts';
import { fromReport, makeModel, REPORT_CACHE, REPORT_GUNICORN } from './helpers/compare-models.ts';
import { browserSkip, launchChromium, longPathDir, openOffline, overflowAt, SCREEN_WIDTHS } from './helpers/browser.ts';

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
    // Each input relative to the current folder, its full path in the tooltip.
    const file = page.locator('#t-runs tbody tr').first().locator('code.file');
    assert.equal(await file.getAttribute('title'), join(FIXTURES, 'docker.summary.json'));
    // From the repository root (npm test): test/fixtures/compare/docker.summary.json, whatever the clone's path.
    assert.equal(await file.innerText(), shortPath(join(FIXTURES, 'docker.summary.json')));
    assert.ok(!(await file.innerText()).startsWith('/'));

    mkdirSync(join(repo, 'test-results'), { recursive: true });
    for (const width of SCREEN_WIDTHS) {
      const overflow = await overflowAt(page, width, join(repo, `test-results/compare-${width}.png`));
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than a ${width}px screen`);
    }
  } finally {
    await browser.close();
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compare.html fits 1366 and 1024 px screens with inputs under a long path and long labels', { skip }, async () => {
  const { root, dir } = longPathDir(140);
  after(() => rmSync(root, { recursive: true, force: true }));
  // Summaries as this version writes them (the report's story), under a long
  // path, each with LABEL's longest form: 64 characters without a space.
  const label = (s: string) => `${s}-with-gunicorn-workers-and-a-pool-of-one-hundred-connections`.slice(0, 64);
  const models = [
    makeModel({ label: label('docker') }),
    makeModel({ label: label('gunicorn'), success: fromReport(REPORT_GUNICORN), slow: 0.8 }),
    makeModel({ label: label('simplecache'), success: fromReport(REPORT_CACHE), slow: 0.1 }),
  ];
  const inputs = models.map((m, i) => {
    const file = join(dir, `run-${i}-of-the-party-service-before-and-after-gunicorn-and-the-cache.summary.json`);
    writeFileSync(file, JSON.stringify(m));
    return file;
  });
  assert.ok(inputs[0]!.length > 200, inputs[0]);
  const htmlPath = join(dir, 'compare.html');
  const out: string[] = [];
  const code = run([...inputs, '--html', htmlPath], { out: (s) => out.push(s), err: (s) => out.push(s) });
  assert.equal(code, 0, out.join(''));
  const profileDir = mkdtempSync(join(tmpdir(), 'party-perf-chromium-'));
  const browser = await launchChromium(profileDir);
  try {
    const { page, requests } = await openOffline(browser, readFileSync(htmlPath, 'utf8'));
    assert.deepEqual(requests, []);
    // Outside the current folder: the file name, the full path in the tooltip.
    const file = page.locator('#t-runs tbody tr').first().locator('code.file');
    assert.equal(await file.innerText(), 'run-0-of-the-party-service-before-and-after-gunicorn-and-the-cache.summary.json');
    assert.equal(await file.getAttribute('title'), inputs[0]);
    mkdirSync(join(repo, 'test-results'), { recursive: true });
    for (const width of SCREEN_WIDTHS) {
      const overflow = await overflowAt(page, width, join(repo, `test-results/compare-long-${width}.png`));
      assert.ok(overflow <= 0, `with long paths and labels the page is ${overflow}px wider than a ${width}px screen`);
      // Every table is there, none wider than the page.
      for (const id of ['runs', 'per-route', 'overall', 'latency-p95']) {
        const box = (await page.locator(`#t-${id}`).boundingBox())!;
        assert.ok(box.width > 100 && box.x + box.width <= width, `#t-${id} at ${width}px: ${JSON.stringify(box)}`);
      }
    }
  } finally {
    await browser.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
});

test('compare.html says first which run can be trusted, and beside the differences when one cannot', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'party-perf-compare-'));
  const htmlPath = join(dir, 'compare.html');
  const out: string[] = [];
  // The committed v2 docker run against the committed v3 one whose load generator fell behind.
  const code = run([join(FIXTURES, 'docker.summary.json'), join(FIXTURES, 'behind.summary.json'), '--html', htmlPath, '--fail-on', 'success-rate-drop>1'],
    { out: (s) => out.push(s), err: (s) => out.push(s) });
  assert.equal(code, 3, out.join(''));
  const profileDir = mkdtempSync(join(tmpdir(), 'party-perf-chromium-'));
  const browser = await launchChromium(profileDir);
  try {
    const { page, requests } = await openOffline(browser, readFileSync(htmlPath, 'utf8'));
    assert.deepEqual(requests, []);
    const verdicts = page.locator('#t-verdicts tbody tr');
    assert.equal(await verdicts.count(), 2);
    assert.match(await verdicts.first().innerText(), /^baseline\s+docker\s+trustworthy\s+Trustworthy as far as k6's data tells/);
    assert.match(await verdicts.last().innerText(), /^run 1\s+behind\s+⚠ generator-behind\s+The load generator fell behind/);
    assert.ok(await page.locator('#trust-note').isVisible());
    assert.match(await page.locator('#trust-note').innerText(), /Not like for like: docker \(baseline\) is trustworthy, behind \(run 1\) is not/);
    assert.match(await page.locator('#status').innerText(), /1 of 1 gates not judged/);
    // The reminder sits above the per-route table, and the run's column carries ⚠.
    const reminder = (await page.locator('p.trust').first().boundingBox())!;
    const table = (await page.locator('#t-per-route').boundingBox())!;
    assert.ok(reminder.y < table.y, 'the note is above the differences');
    assert.deepEqual(await page.locator('#t-per-route thead th').allInnerTexts(), ['Route', 'docker (baseline)', 'behind ⚠']);
    mkdirSync(join(repo, 'test-results'), { recursive: true });
    for (const width of SCREEN_WIDTHS) {
      const overflow = await overflowAt(page, width, join(repo, `test-results/compare-untrusted-${width}.png`));
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than a ${width}px screen`);
    }
  } finally {
    await browser.close();
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
