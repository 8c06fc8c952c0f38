// The graph in words (tools/plot/words.ts): onset, plateau and recovery read
// from synthetic shapes whose answer is known by construction, from real k6
// output, on the plot page, and added to a run's report.md / report.html.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLASSES } from '../lib/classify.ts';
import type { ResponseClass } from '../lib/classify.ts';
import { mulberry32 } from '../lib/rng.ts';
import { parseArgs } from '../tools/plot/cli.ts';
import { PlotError, load, plot } from '../tools/plot/index.ts';
import { CLASS_INDEX } from '../tools/plot/model.ts';
import type { Dataset, Group } from '../tools/plot/model.ts';
import { clock, minRequests, readGraph, reasonFor, readingHtml, readingMarkdown, sendOrder, windowSize } from '../tools/plot/words.ts';
import type { ReadOptions } from '../tools/plot/words.ts';
import { addReportSection, insertHtml } from '../tools/report-section.ts';

const GATES: ReadOptions = { sloMs: 1000, successRate: 0.99 };
const FIXTURES = new URL('fixtures/', import.meta.url).pathname;

interface Req {
  sentMs: number;
  ms: number;
  cls?: ResponseClass;
  group?: number;
}

/** A Dataset as the readers build one, from requests in the order given. */
function dataset(reqs: Req[], groups: Group[] = [{ scenario: 'id_c10000_o50', route: 'id', count: 10000, offset: 50 }]): Dataset {
  const n = reqs.length;
  const byClass = Object.fromEntries(CLASSES.map((c) => [c, 0])) as Record<ResponseClass, number>;
  for (const r of reqs) byClass[r.cls ?? 'success']++;
  return {
    n,
    sent: Float64Array.from(reqs, (r) => r.sentMs),
    durationMs: Float64Array.from(reqs, (r) => r.ms),
    cls: Uint8Array.from(reqs, (r) => CLASS_INDEX[r.cls ?? 'success']),
    group: Uint16Array.from(reqs, (r) => r.group ?? 0),
    groups,
    routes: [...new Set(groups.map((g) => g.route))],
    groupRoute: groups.map((g) => [...new Set(groups.map((x) => x.route))].indexOf(g.route)),
    byClass,
  };
}

/** n requests `spacing` ms apart from t = 0; latency by index, ±10 % seeded noise; class by index. */
function series(n: number, spacing: number, latency: (j: number) => number, cls: (j: number) => ResponseClass = () => 'success', seed = 7): Req[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, j) => ({ sentMs: 1_000_000 + j * spacing, ms: latency(j) * (0.9 + 0.2 * rand()), cls: cls(j) }));
}

/** 20 ms (± the noise of series()). */
const fast = () => 20;
const within = (got: number, want: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(got - want) <= tolerance, `${what}: ${got}, want ${want} ± ${tolerance}`);

describe('the graph in words: synthetic shapes', () => {
  test('window size is clamp(round(n / 50), 20, 200); a reading needs 3k - 1 requests', () => {
    assert.deepEqual([10, 1000, 1024, 5000, 10000, 10_026, 1e6].map(windowSize), [20, 20, 20, 100, 200, 200, 200]);
    assert.equal(minRequests(20), 59);
  });

  test('a step change: onset at its own request, plateau 16 s, recovery at the step back', () => {
    const n = 10_000;
    const reqs = series(n, 50, (j) => (j >= 1612 && j < 9430 ? 16_000 : 50));
    // Two isolated outliers long before the step must not move the onset.
    reqs[500]!.ms = 30_000;
    reqs[900]!.cls = 'no_response';
    const r = readGraph(dataset(reqs), GATES);
    assert.equal(r.window, 200);
    assert.ok(r.onset && r.plateau && r.recovery, r.line);
    within(r.onset.index, 1612, n * 0.01, 'onset');
    assert.equal(r.onset.index, 1612, 'a clean step is found exactly');
    assert.equal(r.onset.atMs, 1612 * 50);
    within(r.plateau.levelMs!, 16_000, 800, 'plateau level');
    assert.equal(r.plateau.fromIndex, 1612);
    assert.equal(r.plateau.toIndex, 9429);
    assert.equal(r.recovery.index, 9430);
    assert.equal(r.recovery.reason, 'at the same spacing (50 ms)');
    assert.equal(r.moreStretches, 0);
    // docs/results.md#the-graph-in-words quotes this line.
    assert.equal(r.line, 'graph: degraded from request 1,613 (at 1m 21s; p95 > 1000 ms), plateau 16 s for 6m 31s, recovered at request 9,431 (at 7m 52s): at the same spacing (50 ms)');
  });

  test('the same requests in another input order read the same (send order, stable on ties)', () => {
    const reqs = series(6000, 50, (j) => (j >= 2000 && j < 4000 ? 3000 : 40));
    const a = readGraph(dataset(reqs), GATES);
    const b = readGraph(dataset([...reqs].reverse()), GATES);
    assert.deepEqual({ ...b, line: '' }, { ...a, line: '' });
    assert.equal(b.line, a.line);
    // Ties: equal send times keep input order.
    const tied = dataset([{ sentMs: 5, ms: 1 }, { sentMs: 5, ms: 2 }, { sentMs: 1, ms: 3 }]);
    assert.deepEqual([...sendOrder(tied)], [2, 0, 1]);
  });

  test('a ramp: onset where latency crosses the SLO; the plateau leaves the rise out; no recovery', () => {
    const n = 6000;
    const slope = (10_000 - 50) / 4000;
    const reqs = series(n, 20, (j) => (j < 2000 ? 50 : 50 + (j - 2000) * slope));
    const crossing = 2000 + Math.ceil((1000 - 50) / slope);
    const r = readGraph(dataset(reqs), GATES);
    assert.ok(r.onset && r.plateau, r.line);
    within(r.onset.index, crossing, n * 0.01, 'onset');
    assert.ok(r.plateau.fromIndex > r.onset.index + n * 0.05, `plateau from ${r.plateau.fromIndex} leaves the rise from ${r.onset.index} out`);
    assert.ok(r.plateau.levelMs! > 3000 && r.plateau.levelMs! < 8000, `level ${r.plateau.levelMs}`);
    assert.equal(r.recovery, null);
    assert.match(r.line, /did not recover by the end of the run$/);
  });

  for (const [name, spoil] of [
    ['one slow request', (reqs: Req[]) => void (reqs[2500]!.ms = 60_000)],
    ['three slow requests in one window', (reqs: Req[]) => [1000, 1010, 1020].forEach((j) => (reqs[j]!.ms = 20_000))],
    ['a burst of k/2 slow requests', (reqs: Req[]) => { for (let j = 2000; j < 2050; j++) reqs[j]!.ms = 20_000; }],
    ['a burst of k requests with no response', (reqs: Req[]) => { for (let j = 3000; j < 3100; j++) Object.assign(reqs[j]!, { cls: 'no_response', ms: 60_000 }); }],
    ['one 500 and one no response', (reqs: Req[]) => { reqs[100]!.cls = 'server_error'; reqs[4000]!.cls = 'no_response'; }],
  ] as const) {
    test(`isolated outliers never make an onset: ${name}`, () => {
      const reqs = series(5000, 50, fast);
      spoil(reqs);
      const r = readGraph(dataset(reqs), GATES);
      assert.equal(r.window, 100);
      assert.equal(r.onset, null, r.line);
      assert.equal(r.plateau, null);
      assert.equal(r.recovery, null);
      assert.match(r.line, /^graph: no degradation \(rolling p95 stayed under 1000 ms, success at or above 99 %/);
    });
  }

  test('the bursts a clean run ignores are counted; a run without any says so plainly', () => {
    assert.equal(readGraph(dataset(series(5000, 50, fast)), GATES).line, 'graph: no degradation (rolling p95 stayed under 1000 ms, success at or above 99 %)');
    const reqs = series(5000, 50, fast);
    for (let j = 2000; j < 2050; j++) reqs[j]!.ms = 20_000;
    const r = readGraph(dataset(reqs), GATES);
    assert.equal(r.ignoredBursts, 1);
    assert.match(r.line, /; 1 burst too short to count ignored\)$/);
  });

  test('no response and 500s count as degraded however fast they fail', () => {
    const mixed = readGraph(dataset(series(3000, 50, () => 5, (j) => (j >= 1000 && j < 2000 ? (j % 2 ? 'no_response' : 'server_error') : 'success'))), GATES);
    assert.ok(mixed.onset && mixed.plateau && mixed.recovery, mixed.line);
    assert.equal(mixed.onset.index, 1000);
    // Two failures in a window of 60 already break 99 %; the p95 needs four.
    assert.equal(mixed.onset.cause, 'success < 99 %');
    assert.equal(mixed.recovery.index, 2000);
    assert.equal(mixed.plateau.levelMs, null);
    assert.equal(mixed.plateau.successShare, 0);
    assert.match(mixed.line, /plateau with no successful answers for /);
    // Half answered, fast: a plateau of failures, not of 5 ms.
    const half = readGraph(dataset(series(3000, 50, () => 5, (j) => (j >= 1000 && j < 2000 && j % 2 ? 'server_error' : 'success'))), GATES);
    assert.ok(half.onset && half.plateau, half.line);
    assert.equal(half.onset.index, 1001);
    assert.match(half.line, /plateau 5(\.\d+)? ms \(50 % success\)|plateau mostly failures \(/);
  });

  test('recovery when the spacing grows: two scenarios, 50 ms then 1000 ms', () => {
    const groups: Group[] = [
      { scenario: 'id_c3000_o50', route: 'id', count: 3000, offset: 50 },
      { scenario: 'id_c600_o1000', route: 'id', count: 600, offset: 1000 },
    ];
    const a = series(3000, 50, (j) => (j >= 500 ? 5000 : 30));
    const b = series(600, 1000, () => 30, undefined, 9).map((r) => ({ ...r, sentMs: r.sentMs + 3000 * 50, group: 1 }));
    const r = readGraph(dataset([...a, ...b], groups), GATES);
    assert.ok(r.onset && r.recovery, r.line);
    assert.equal(r.onset.index, 500);
    assert.equal(r.onset.scenario, 'id_c3000_o50');
    assert.equal(r.recovery.index, 3000);
    assert.equal(r.recovery.scenario, 'id_c600_o1000');
    assert.equal(r.recovery.reason, 'the spacing grew from 50 ms to 1000 ms');
    // docs/results.md#the-graph-in-words quotes this line.
    assert.equal(r.line, 'graph: degraded from request 501 (at 25s; p95 > 1000 ms), plateau 5 s for 2m 05s, recovered at request 3,001 (at 2m 30s): the spacing grew from 50 ms to 1000 ms');
  });

  test("recovery at the same spacing under the spike profile: 'the spike ended'", () => {
    const reqs = series(4000, 20, (j) => (j >= 1000 && j < 1500 ? 4000 : 25));
    const r = readGraph(dataset(reqs, [{ scenario: 'spike', route: 'id', count: NaN, offset: NaN }]), { ...GATES, profile: 'spike' });
    assert.ok(r.recovery, r.line);
    assert.equal(r.recovery.index, 1500);
    assert.equal(r.recovery.reason, 'the spike ended');
    assert.match(r.line, /: the spike ended$/);
  });

  test("a spike's recovery at the base's longer spacing names both", () => {
    assert.equal(reasonFor(20, 200, 'spike'), 'the spike ended (the spacing grew from 20 ms to 200 ms)');
    assert.equal(reasonFor(200, 200, 'spike'), 'at the same spacing (200 ms)');
    assert.equal(reasonFor(20, 200), 'the spacing grew from 20 ms to 200 ms');
  });

  test('never recovers: recovery null, and the line says so', () => {
    const r = readGraph(dataset(series(4000, 50, (j) => (j >= 3000 ? 9000 : 40))), GATES);
    assert.ok(r.onset, r.line);
    assert.equal(r.onset.index, 3000);
    assert.equal(r.recovery, null);
    assert.match(r.line, /, did not recover by the end of the run$/);
  });

  test('two degraded stretches: the first is read, the second counted', () => {
    const r = readGraph(dataset(series(6000, 50, (j) => ((j >= 1000 && j < 2000) || (j >= 4000 && j < 5000) ? 3000 : 40))), GATES);
    assert.ok(r.onset && r.recovery, r.line);
    assert.equal(r.onset.index, 1000);
    assert.equal(r.recovery.index, 2000);
    assert.equal(r.moreStretches, 1);
    assert.match(r.line, /; 1 more degraded stretch later$/);
  });

  test('too few requests to read', () => {
    const r = readGraph(dataset(series(30, 50, () => 5000)), GATES);
    assert.equal(r.tooFew, true);
    assert.equal(r.onset, null);
    assert.equal(r.line, 'graph: too few requests to read (30; a reading needs at least 59)');
    assert.equal(readGraph(dataset(series(58, 50, () => 5000)), GATES).tooFew, true);
    const enough = readGraph(dataset(series(59, 50, () => 5000)), GATES);
    assert.equal(enough.tooFew, false);
    assert.equal(enough.onset?.index, 0, 'all 59 slow: degraded from the first');
    assert.match(readingMarkdown(r), /^## The graph in words\n\nToo few requests to read \(30; /);
  });

  test('times read as the report wrote them', () => {
    assert.deepEqual([0, 4200, 42_000, 81_000, 482_000, 3_900_000].map(clock), ['0.0s', '4.2s', '42s', '1m 21s', '8m 02s', '1h 05m 00s']);
  });
});

describe('the graph in words: recorded k6 output', () => {
  test('k6 v0.49 raw CSV (server.mjs answered 6 in 10 with 200): degraded from the first 500, never recovered', async () => {
    const { ds } = await load([join(FIXTURES, 'k6-v0.49/raw.csv.gz')]);
    const r = readGraph(ds, GATES);
    // Read from the file: requests 1 and 2 (query_c20_o50) answered 200, the 3rd 500 ("1500" error code).
    assert.ok(r.onset && r.plateau, r.line);
    assert.equal(r.onset.index, 2);
    assert.equal(r.onset.scenario, 'query_c20_o50');
    assert.equal(r.recovery, null);
    assert.equal(r.moreStretches, 0);
    // Every window of 20 holds 55 to 65 % successes, far under 99 %.
    assert.ok(r.plateau.successShare > 0.5 && r.plateau.successShare < 0.7, String(r.plateau.successShare));
    assert.match(r.line, /^graph: degraded from request 3 \(at 0\.1s; p95 > 1000 ms, success < 99 %\), .*did not recover by the end of the run$/);
  });

  test('a smoke run whose connections were reset and closed at 50 ms spacing (merge/s1): degraded from the 4th request', async () => {
    const { ds } = await load([join(FIXTURES, 'merge/s1/raw.csv.gz')]);
    const r = readGraph(ds, GATES);
    // Read from the file: its first three requests (one per route) answered 200, the next ones were reset (1220) or closed (1000, EOF).
    assert.equal(r.onset?.index, 3);
    assert.match(r.line, /^graph: degraded from request 4 .*plateau mostly failures/);
  });
});

describe('the graph in words: on the plot page and in the reports', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'words-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** k6 --out csv lines (unix_milli) for requests of one scenario. */
  function k6Csv(reqs: Req[], scenario = 'id_c6000_o20'): string {
    const head = 'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata\n';
    return head + reqs.map((r) => {
      const tail = `,,,,${r.cls === 'server_error' ? 'false' : 'true'},,GET,id,HTTP/1.1,${scenario},,${r.cls === 'server_error' ? 500 : 200},,,id,route=id&count=6000&offset=20,\n`;
      // A real epoch in ms: the reader tells unix_milli from seconds by size.
      const ts = Math.round(1_795_785_011_714 + r.sentMs + r.ms);
      return `http_reqs,${ts},1.000000${tail}http_req_duration,${ts},${r.ms.toFixed(6)}${tail}`;
    }).join('');
  }

  test('plot() returns the reading and marks onset, plateau and recovery; gates come from summary.json beside the input', async () => {
    const sub = join(dir, 'run');
    await mkdir(sub);
    const input = join(sub, 'raw.csv');
    await writeFile(input, k6Csv(series(6000, 20, (j) => (j >= 2000 && j < 4000 ? 800 : 30))));
    // 800 ms is under the default 1000 ms: no degradation without the run's own gate.
    const plain = await plot([input], { out: join(dir, 'plain.html') });
    assert.match(plain.reading.line, /^graph: no degradation/);
    assert.equal(plain.reading.sloMs, 1000);

    await writeFile(join(sub, 'summary.json'), JSON.stringify({ profile: 'spike', gates: { p95Ms: 500, successRate: 0.95, maxNotSent: 0 } }));
    const r = await plot([input]);
    assert.equal(r.reading.sloMs, 500);
    assert.equal(r.reading.successRate, 0.95);
    assert.equal(r.reading.onset?.index, 2000);
    assert.equal(r.reading.recovery?.index, 4000);
    // The same spacing throughout: the recovery did not come with the spike's end.
    assert.equal(r.reading.recovery?.reason, 'at the same spacing (20 ms)');
    const html = await readFile(r.htmlPath, 'utf8');
    for (const mark of ['slo', 'onset', 'plateau', 'plateau-level', 'recovery']) assert.match(html, new RegExp(`data-mark="${mark}"`), mark);
    assert.match(html, /<h2>The graph in words<\/h2><p class="status warn" data-graph-line>Degraded from request 2,001 /);
    // The words come before the first chart.
    assert.ok(html.indexOf('The graph in words') < html.indexOf('class="panel"'));

    // --slo wins over summary.json.
    const cli = await plot([input], { ...parseArgs([input, '--slo', '2000']).options, out: join(dir, 'slo.html') });
    assert.equal(cli.reading.sloMs, 2000);
    assert.equal(cli.reading.onset, null);
  });

  test('--slo needs a positive number', () => {
    assert.equal(parseArgs(['raw.csv', '--slo=250']).options.sloMs, 250);
    for (const bad of [['raw.csv', '--slo'], ['raw.csv', '--slo', 'fast'], ['raw.csv', '--slo', '0']]) {
      assert.throws(() => parseArgs(bad), (e: unknown) => e instanceof PlotError && e.exitCode === 2 && /--slo needs a positive number/.test(e.message));
    }
  });

  test('markdown and HTML: the line, a row per mark, the rule, the plot linked; HTML escaped', () => {
    const reqs = series(6000, 50, (j) => (j >= 2000 && j < 4000 ? 3000 : 40));
    const r = readGraph(dataset(reqs, [{ scenario: 'a<b>_c1_o50', route: 'id', count: 1, offset: 50 }]), GATES);
    const md = readingMarkdown(r, 'raw.csv.gz.plot.html');
    assert.match(md, /^## The graph in words\n\nDegraded from request 2,001 /);
    assert.match(md, /\| Onset \| 2,001 \| 1m 40s \| p95 > 1000 ms/);
    assert.match(md, /\| Plateau \| 2,001 to 4,000 \|/);
    assert.match(md, /\| Recovery \| 4,001 \| 3m 20s \| at the same spacing \(50 ms\)/);
    assert.match(md, /windows of the last 120/);
    assert.match(md, /\[raw\.csv\.gz\.plot\.html\]\(raw\.csv\.gz\.plot\.html\)/);
    const html = readingHtml(r, 'raw.csv.gz.plot.html');
    assert.match(html, /^<section class="graph-words" id="the-graph-in-words"><h2>The graph in words<\/h2>/);
    assert.match(html, /a&lt;b&gt;_c1_o50/);
    assert.doesNotMatch(html, /a<b>/);
    assert.match(html, /<a href="raw\.csv\.gz\.plot\.html">/);
  });

  test("the run's report.md gets the section appended and report.html before </main>", async () => {
    const run = join(dir, 'reports');
    await mkdir(run);
    await writeFile(join(run, 'report.md'), '# report\n\n| a | b |\n');
    await writeFile(join(run, 'report.html'), '<!doctype html><html><body><main><h1>report</h1></main></body></html>\n');
    const r = readGraph(dataset(series(3000, 50, (j) => (j >= 1000 ? 4000 : 40))), GATES);
    const msg = await addReportSection(run, readingMarkdown(r), readingHtml(r), 'the graph in words');
    assert.match(msg, /^the graph in words added to .*report\.md and .*report\.html$/);
    const md = await readFile(join(run, 'report.md'), 'utf8');
    assert.match(md, /^# report\n\n\| a \| b \|\n\n## The graph in words\n\nDegraded from request 1,001 /);
    const html = await readFile(join(run, 'report.html'), 'utf8');
    assert.match(html, /<h1>report<\/h1><section class="graph-words"[^]*<\/section>\n<\/main><\/body><\/html>\n$/);
  });

  test("npm start's tryPlot: the plot, the line, the section in both reports; a failed plot adds nothing", async () => {
    // Imported here: run.ts loads the reference target's modules, which this file does not otherwise need.
    const { tryPlot } = await import('../tools/run.ts');
    const run = join(dir, 'npm-start');
    await mkdir(run);
    await writeFile(join(run, 'raw.csv.gz'), k6Csv(series(6000, 20, (j) => (j >= 2000 ? 3000 : 30))));
    await writeFile(join(run, 'summary.json'), JSON.stringify({ profile: 'quick', gates: { p95Ms: 1000, successRate: 0.99, maxNotSent: 0 } }));
    await writeFile(join(run, 'report.md'), '# report\n');
    await writeFile(join(run, 'report.html'), '<html><body><main><h1>report</h1></main></body></html>\n');
    const lines = await tryPlot(join(run, 'raw.csv.gz'));
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines[0]!, /^plot: .*raw\.csv\.gz\.plot\.html$/);
    assert.match(lines[1]!, /^graph: degraded from request 2,001 .*did not recover by the end of the run$/);
    assert.match(lines[2]!, /^the graph in words added to /);
    assert.match(await readFile(join(run, 'report.md'), 'utf8'), /## The graph in words\n\nDegraded from request 2,001 [^]*\[raw\.csv\.gz\.plot\.html\]\(raw\.csv\.gz\.plot\.html\)/);
    assert.match(await readFile(join(run, 'report.html'), 'utf8'), /<section class="graph-words"[^]*<\/section>\n<\/main>/);

    const broken = join(dir, 'broken');
    await mkdir(broken);
    await writeFile(join(broken, 'raw.csv.gz'), 'not k6 output\n');
    await writeFile(join(broken, 'report.md'), '# report\n');
    const failed = await tryPlot(join(broken, 'raw.csv.gz'));
    assert.equal(failed.length, 1);
    assert.match(failed[0]!, /^plot failed: /);
    assert.equal(await readFile(join(broken, 'report.md'), 'utf8'), '# report\n');
  });

  test('no reports, nothing created; a page without </main> takes the section before </body>, or at its end', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    assert.match(await addReportSection(empty, '## x\n', '<p>x</p>', 'the graph in words'), /no report\.md or report\.html/);
    assert.deepEqual(await readdir(empty), []);
    assert.equal(insertHtml('<body><p>a</p></body>', '<p>b</p>'), '<body><p>a</p><p>b</p>\n</body>');
    assert.equal(insertHtml('<p>a</p>', '<p>b</p>'), '<p>a</p>\n<p>b</p>\n');
  });
});
