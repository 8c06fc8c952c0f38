// How long handleSummary takes for the full `report` profile (45 scenarios,
// ~600 sub-metrics): model, tables and all five files. Prints the figures;
// the budget (100 ms) is a target to watch, not a test assertion.
// Run: npx tsx bench/summary.bench.ts
import { handleSummary } from '../lib/summary/entry.ts';
import { buildSummary } from '../lib/summary/build.ts';
import { buildTables } from '../lib/summary/tables.ts';
import { parseConfig } from '../lib/config.ts';
import { syntheticData } from '../test/helpers/summary-data.ts';

const env = { LABEL: 'bench' };
const config = parseConfig(env, 'report');
const data = syntheticData(config.plan);
const ctx = { env, profile: 'report', seed: 1, now: Date.now() };
const subMetrics = Object.keys(data.metrics).filter((k) => k.includes('{')).length;

const time = (f: () => unknown, n: number): { first: number; median: number } => {
  const t0 = performance.now();
  f();
  const first = performance.now() - t0;
  const runs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    f();
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  return { first, median: runs[Math.floor(n / 2)]! };
};

const run = { plan: config.plan, label: 'bench', profile: 'report', target: config.baseUrl, seed: 1, k6Version: null };
const all = time(() => handleSummary(data, ctx), 50);
const model = time(() => buildSummary(data, run, Date.now()), 50);
const m = buildSummary(data, run, Date.now());
const tables = time(() => buildTables(m), 50);
const out = handleSummary(data, ctx);
const bytes = Object.values(out).reduce((n, s) => n + s.length, 0);

console.log(`summary bench: report profile, ${config.plan.scenarios.length} scenarios, ${subMetrics} sub-metrics, ${Object.keys(out).length} outputs, ${(bytes / 1024).toFixed(1)} KB`);
console.log(`  handleSummary (everything): first ${all.first.toFixed(1)} ms, median ${all.median.toFixed(2)} ms  (budget 100 ms)`);
console.log(`  buildSummary (model):       first ${model.first.toFixed(1)} ms, median ${model.median.toFixed(2)} ms`);
console.log(`  buildTables:                first ${tables.first.toFixed(1)} ms, median ${tables.median.toFixed(2)} ms`);
