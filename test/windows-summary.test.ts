// A soak's and a spike's summary end to end, from k6-shaped data: the
// windows section in the model and the schema, every format, and merge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../lib/config.ts';
import type { Plan } from '../lib/plan.ts';
import { buildSummary } from '../lib/summary/build.ts';
import { renderHtml } from '../lib/summary/html.ts';
import { renderJunit } from '../lib/summary/junit.ts';
import { renderMarkdown } from '../lib/summary/markdown.ts';
import { buildTables } from '../lib/summary/tables.ts';
import { renderText } from '../lib/summary/text.ts';
import { checkSummary } from '../tools/compare/load.ts';
import { mergeSummaries } from '../tools/merge/combine.ts';
import { syntheticData } from './helpers/summary-data.ts';

const healthy = (s: Plan['scenarios'][number]) => ({
  classes: { success: s.count }, causes: { refused: 0, reset: 0, closed: 0, timeout: 0, other: 0 }, notSent: 0,
});

/** k6's data for `plan`, each window's p95 (and p50) set by `p95(window)`. */
function data(plan: Plan, p95: (window: number) => number): Record<string, any> {
  const d = syntheticData(plan, { outcome: healthy });
  for (const s of plan.scenarios) {
    const v = d.metrics[`http_req_duration{scenario:${s.name},expected_response:true}`].values;
    v['p(95)'] = p95(s.window!);
    v.med = p95(s.window!) / 2;
  }
  return d;
}

const run = (plan: Plan) => ({ plan, label: plan.profile, profile: plan.profile, target: 'http://127.0.0.1:8081', seed: 1, k6Version: 'v0.49.0' });

test('a soak whose p95 climbs in its last third reads degrading in every format, and the file is valid v4', () => {
  const plan = parseConfig({ PROFILE: 'soak' }, 'report').plan;
  const m = buildSummary(data(plan, (w) => (w < 20 ? 30 : 90)), run(plan), Date.UTC(2026, 11, 7));
  assert.equal(m.version, 4);
  assert.ok(m.windows && m.windows.kind === 'soak');
  assert.equal(m.windows.rows.length, 90);
  assert.equal(m.windows.windowMs, 60_000);
  assert.equal(m.windows.drift.status, 'degrading');
  assert.deepEqual(m.windows.drift.routes.map((r) => [r.p95.early, r.p95.late]), [[30, 90], [30, 90], [30, 90]]);
  // Every planned request is in one window.
  assert.equal(m.windows.rows.reduce((a, r) => a + r.planned, 0), plan.requests);
  assert.doesNotThrow(() => checkSummary(JSON.parse(JSON.stringify(m)), 'soak.json'));

  const t = buildTables(m);
  assert.equal(t.latencyByScenario.length, 0, 'the windows table replaces 30 rows per route of "300 @ 200 ms"');
  const md = renderMarkdown(m, t);
  assert.match(md, /## Soak: drift\n\n\*\*Degrading: /);
  assert.match(md, /## Windows \(1 min each\)\n\n\| From \| Route \| Rate \| Planned \| Success % \|/);
  assert.match(md, /\| 29:00 \| [^|]+ \| 5\/s \| 300 \| 100\.00 % \| 0 \| 0 \| 0 \| 0 \| 0 \| 45\.00 \| 90\.00 \|/);
  assert.match(renderHtml(m, t), /<h2 id="windows">Soak: drift<\/h2>\s*<p><b>Degrading: /);
  const text = renderText(m, t, { color: false, written: [], failures: [] });
  assert.match(text, /Soak: drift\n  Degrading: /);
  assert.ok(!text.includes('29:00'), 'the terminal shows the finding, not 90 window rows');
  const junit = renderJunit(m, t);
  assert.match(junit, /<testcase classname="party-perf\.soak\.windows" name="soak: no drift" time="0">\n\s+<failure message="Degrading: /);

  // Five windows are too few to judge a drift: the JUnit case is skipped, not passed.
  const five = parseConfig({ PROFILE: 'soak', SOAK_DURATION: '5m' }, 'report').plan;
  const short = buildSummary(data(five, () => 30), run(five), Date.UTC(2026, 11, 7));
  assert.equal(short.windows?.kind === 'soak' && short.windows.drift.status, 'too-short');
  assert.match(renderJunit(short, buildTables(short)), /skipped="1"[\s\S]*name="soak: no drift" time="0">\n\s+<skipped message="Too short to judge a drift: 5 window\(s\)/);

  const flat = buildSummary(data(plan, () => 30), run(plan), Date.UTC(2026, 11, 7));
  assert.equal(flat.windows?.kind === 'soak' && flat.windows.drift.status, 'stable');
  assert.match(renderJunit(flat, buildTables(flat)), /name="soak: no drift" time="0"><\/testcase>/);
});

test('a spike summary times the recovery, and merge judges the summed windows again', () => {
  const plan = parseConfig({ PROFILE: 'spike' }, 'report').plan;
  // Base 20 ms, the spike and the two windows after it 4 s, then 20 ms again.
  const m = buildSummary(data(plan, (w) => (w >= 6 && w <= 8 ? 4000 : 20)), run(plan), Date.UTC(2026, 11, 7));
  assert.ok(m.windows && m.windows.kind === 'spike');
  assert.deepEqual([...new Set(m.windows.rows.map((r) => r.phase))], ['base', 'spike', 'after']);
  assert.equal(m.windows.spike.recoveredAfterMs, 30_000, 'back from the third window after the spike, at its end');
  assert.match(m.windows.spike.headline, /^Recovered within 30 s of the spike's end \(50\/s per route for 10 s/);
  assert.doesNotThrow(() => checkSummary(JSON.parse(JSON.stringify(m)), 'spike.json'));
  assert.match(renderMarkdown(m, buildTables(m)), /\| Phase \| Route \|/);
  assert.match(renderJunit(m, buildTables(m)), /name="spike: recovered after the spike" time="0"><\/testcase>/);

  // Two halves of the run (execution segments), each with half the requests.
  const half = (seg: string) => {
    const h = buildSummary(data(plan, (w) => (w >= 6 && w <= 8 ? 4000 : 20)), run(plan), Date.UTC(2026, 11, 7));
    for (const s of h.scenarios) s.planned = seg === '0:1/2' ? Math.floor(s.count / 2) : Math.ceil(s.count / 2);
    h.segment = { segment: seg, sequence: '0,1/2,1' };
    return h;
  };
  const merged = mergeSummaries([{ file: 'a.json', model: half('0:1/2') }, { file: 'b.json', model: half('1/2:1') }], null);
  assert.ok(merged.windows && merged.windows.kind === 'spike');
  assert.equal(merged.windows.rows.length, m.windows.rows.length);
  assert.equal(merged.windows.rows[0]!.planned, plan.scenarios[0]!.count);
});
