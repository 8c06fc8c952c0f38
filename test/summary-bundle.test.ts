// The summary as k6 runs it: build.mjs's embedded IIFE text, compiled with
// `new Function` (as lib/k6/load.ts does), fed the real fixture data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type * as Summary from '../lib/summary/entry.ts';
import { core, fixtureData } from './helpers/summary-data.ts';
import { build } from '../build.mjs';

const { sources } = await build({ quiet: true, write: false });
const src = sources.summary!;

test('the embedded summary compiles with new Function and renders the fixture', () => {
  const mod = new Function(`${src}\nreturn __cold;`)() as typeof Summary;
  const env = { PROFILE: 'quick', ROUTES: 'query,id,ref', COUNTS: '20,40', OFFSETS: '100,200', LABEL: 'bundle', SUMMARY_DIR: 'summaries/bundle-x' };
  const out = mod.handleSummary(fixtureData('handle-summary-data.json'), { env, profile: 'report', seed: 1, now: Date.UTC(2024, 0, 1) });
  assert.deepEqual(Object.keys(out).sort(), ['stdout', 'summaries/bundle-x/junit.xml', 'summaries/bundle-x/report.html', 'summaries/bundle-x/report.md', 'summaries/bundle-x/summary.json', 'summaries/bundle-x/tables.csv']);
  const json = JSON.parse(out['summaries/bundle-x/summary.json']!);
  assert.equal(json.version, 4);
  assert.deepEqual(core(json.scenarios.find((s: { name: string }) => s.name === 'id_c20_o100').classes), { success: 13, no_response: 4, not_found: 2, server_error: 2, other: 0 });
  assert.match(out.stdout!, /Request Count: 20/);
  assert.ok(!/Summary problems/.test(out.stdout!), out.stdout);
  assert.match(out['summaries/bundle-x/tables.csv']!, /^label,scenario,route/);
});

test("the embedded summary reads k6 v1+'s machine-readable summary (real k6 v2.2.0 data)", () => {
  const mod = new Function(`${src}\nreturn __cold;`)() as typeof Summary;
  const data = JSON.parse(readFileSync(new URL('fixtures/k6-v2.2/handle-summary-data-machine.json', import.meta.url), 'utf8'));
  const env = { ROUTES: 'id,ref', COUNTS: '100', OFFSETS: '20,50', TIMEOUT: '2s', PREFLIGHT: 'false', SUMMARY_DIR: 'out' };
  const out = mod.handleSummary(data, { env, profile: 'report', seed: 1, now: Date.UTC(2026, 11, 3) });
  const json = JSON.parse(out['out/summary.json']!);
  // The target's own tally of that run: 385 x 200, 8 x 404, 4 x 500, 3 x 405.
  assert.deepEqual(core(json.totals.classes), { success: 385, no_response: 0, not_found: 8, server_error: 4, other: 3 });
  assert.deepEqual(json.thresholds.filter((t: { gate: boolean }) => t.gate).map((t: { expression: string; ok: boolean }) => [t.expression, t.ok]), [['rate>=0.99', false], ['count<=0', true], ['count<=4', true]]);
  assert.match(out.stdout!, /machine-readable summary/);
});

test('the embedded summary uses nothing k6 lacks', () => {
  assert.ok(!/\bIntl\./.test(src), 'Intl');
  assert.ok(!/\bprocess\./.test(src), 'process');
  assert.ok(!/\bBuffer\b/.test(src), 'Buffer');
  assert.ok(!/toLocale(String|DateString|TimeString)\(/.test(src), 'locale formatting');
  assert.ok(!/\bnew Text(En|De)coder\b/.test(src), 'TextEncoder');
  assert.ok(!/\bstructuredClone\(/.test(src), 'structuredClone');
  // The only `require(` is text inside ajv's standalone validator source string, never a call.
  for (const m of src.matchAll(/require\(/g)) assert.match(src.slice(m.index! - 1, m.index!), /["'`]/, src.slice(m.index! - 40, m.index! + 40));
  // papaparse keeps one setTimeout on its streaming path, which unparse never reaches.
  assert.ok((src.match(/setTimeout\(/g) ?? []).length <= 1);
});
