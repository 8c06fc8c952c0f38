// The parts embedded as text run in k6's JavaScript runtime, which has no
// Node or browser globals. Here each one runs in a bare V8 realm (node:vm)
// with Intl removed as well: a part that reached for process, Buffer,
// setTimeout, TextEncoder, Intl, structuredClone or global would throw
// (console stays: k6 has one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { build } from '../build.mjs';
import { repo } from './helpers/k6.ts';
import { fixtureData } from './helpers/summary-data.ts';
import type * as Init from '../lib/cold/init.ts';
import type * as Summary from '../lib/summary/entry.ts';
import type * as Validate from '../lib/cold/validate.ts';

const { sources } = await build({ quiet: true, write: false });

/** Compile a cold part as lib/k6/load.ts does, but in a realm with only the language's own globals. */
function load<T>(name: string): T {
  const realm = vm.createContext({});
  vm.runInContext('delete globalThis.Intl; delete globalThis.SharedArrayBuffer; delete globalThis.WebAssembly;', realm);
  assert.equal(vm.runInContext('typeof process + typeof Buffer + typeof setTimeout + typeof TextEncoder + typeof Intl + typeof structuredClone', realm), 'undefined'.repeat(6));
  return vm.runInContext(`(function () {\n${sources[name]}\nreturn __cold;\n})()`, realm) as T;
}

test('init: config, plan, options, CSV chunks, preflight and the write template run without host globals', () => {
  const init = load<typeof Init>('init');
  const p = init.prepare({ PROFILE: 'quick', SEED: '7' }, 'report', 1, 0.5, false);
  assert.equal(Object.keys(p.options.scenarios).length, 24);
  assert.equal(p.runtime.seed, 7);
  const w = init.prepare({}, 'writes', 1, 0.25, true);
  assert.ok(w.runtime.bodies && w.runtime.bodies.flat.length > 0);
  assert.throws(() => init.prepare({ COUNTS: 'x' }, 'report', 1), /COUNTS="x"/);
  const csv = readFileSync(join(repo, 'data/businesses.csv'), 'utf8');
  const b = init.businessChunks(csv, 'data/businesses.csv');
  const lines = csv.trim().split('\n').slice(1);
  assert.equal(b.count, lines.length);
  assert.equal(b.chunks.length, Math.ceil(lines.length / 16));
  assert.deepEqual(JSON.parse(`["${b.chunks[0]}"]`).slice(0, 2), lines[0]!.trim().split(','));
  assert.throws(() => init.businessChunks('id,sampleUnitRef\nx,1\n', 'f.csv'), /line 2/);
  assert.match(init.preflightProblem({ status: 401, error: '', body: '' }, 'http://127.0.0.1:1', 'f.csv')!, /credentials/);
});

test('summary: every file renders from real k6 data without host globals', () => {
  const summary = load<typeof Summary>('summary');
  const raw = JSON.stringify(fixtureData('handle-summary-data.json'));
  const out = summary.handleSummary(JSON.parse(raw), {
    env: { PROFILE: 'quick', ROUTES: 'query,id,ref', COUNTS: '25,50', OFFSETS: '50,100', SUMMARY_DIR: 'summaries/x' }, profile: 'report', seed: 1, now: Date.UTC(2026, 0, 1),
  });
  assert.deepEqual(Object.keys(out).sort(), ['stdout', 'summaries/x/junit.xml', 'summaries/x/report.html', 'summaries/x/report.md', 'summaries/x/summary.json', 'summaries/x/tables.csv']);
  assert.doesNotMatch(out.stdout!, /failed to render|renderer failed/i);
  assert.equal(JSON.parse(out['summaries/x/summary.json']!).version, 4);
});

test('validate: the generated validators run without host globals', () => {
  const v = load<typeof Validate>('validate');
  const body = readFileSync(join(repo, 'test/fixtures/party-api/responses.txt'), 'utf8').split('\n').find((l) => l.startsWith('{"associations":[],"id"'))!;
  assert.equal(v.bodyError('summary', body), null);
  assert.match(v.bodyError('summary', '[]')!, /must be object/);
});
