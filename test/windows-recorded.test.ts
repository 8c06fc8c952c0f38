// A real spike, recorded under k6 v0.49 against the reference target's
// pool-100 preset (test/fixtures/k6-v0.49/windows/README.md): the summary's
// recovery from what k6 handed handleSummary, and the graph in words from
// the same run's raw output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../lib/config.ts';
import { buildSummary, runFromConfig } from '../lib/summary/build.ts';
import { load } from '../tools/plot/index.ts';
import { readGraph } from '../tools/plot/words.ts';

const at = (f: string): string => fileURLToPath(new URL(`fixtures/k6-v0.49/windows/${f}`, import.meta.url));
// As recorded: npm start sets BASE_URL, DATA_FILE and SUMMARY_DIR; these decide the plan.
const ENV = { PROFILE: 'spike', GATE_P95: '2000' };

test('recorded spike: base 5/s, 50/s for 10 s, then 5/s: every route recovered within 20 s of the spike', () => {
  const config = parseConfig(ENV, 'report');
  const m = buildSummary(JSON.parse(readFileSync(at('spike-pool-100.json'), 'utf8')), runFromConfig(config, 1, 'v0.49.0'), Date.UTC(2026, 11, 7, 4, 14));
  assert.equal(m.missingCells.count, 0, 'every window\'s sub-metrics were in k6\'s data');
  assert.ok(m.windows && m.windows.kind === 'spike');
  const w = m.windows;
  assert.equal(w.rows.reduce((a, r) => a + r.planned, 0), config.plan.requests, 'every planned request is in one window');
  assert.equal(m.totals.planned, m.totals.sent, 'all 4200 sent (none dropped: the spike\'s VUs were allocated up front)');
  for (const r of w.spike.routes) {
    assert.equal(r.base.successRate, 1, `${r.label}: the base all succeeded`);
    assert.ok(r.base.p95Median! > 1400 && r.base.p95Median! < 1600, `${r.label}: the pool holds each connection 1.5 s (${r.base.p95Median})`);
    assert.ok(r.spike.successRate! < 0.65, `${r.label}: 200 connections at most, the rest refused (${r.spike.successRate})`);
    assert.equal(r.leftBand, true);
    assert.equal(r.recoveredAfterMs, 20_000, `${r.label}: one window after the spike still lost a request`);
  }
  assert.equal(w.spike.recovered, true);
  assert.match(w.spike.headline, /^Recovered within 20 s of the spike's end/);
});

test("recorded spike, request by request: the onset is in the spike and the recovery after it, 'the spike ended'", async () => {
  const { ds } = await load([at('spike-pool-100.raw.csv.gz')]);
  assert.equal(ds.n, 4200);
  // 60 s of base at 3 x 5/s: the spike's first request is the 901st; the base resumes at the 2401st.
  const r = readGraph(ds, { sloMs: 2000, successRate: 0.99, profile: 'spike' });
  assert.ok(r.onset && r.recovery, r.line);
  assert.ok(r.onset.index >= 900 && r.onset.index < 1100, `onset at ${r.onset.index + 1}: within the spike's first 200 requests`);
  assert.match(r.onset.scenario, /_c500_o20_w06$/);
  assert.ok(r.recovery.index >= 2400 && r.recovery.index < 2500, `recovered at ${r.recovery.index + 1}: as the base resumed`);
  assert.equal(r.recovery.reason, 'the spike ended (the spacing grew from 20 ms to 200 ms)');
  // The SLO decides what degraded means: under the base's own 1.5 s, the whole run is degraded.
  const strict = readGraph(ds, { sloMs: 1000, successRate: 0.99, profile: 'spike' });
  assert.equal(strict.onset?.index, 0);
  assert.equal(strict.recovery, null);
});
