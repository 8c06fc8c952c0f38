// Bad input refused before any load, and a refused run reported as such:
// a missing results folder or data file, a BASE_URL no target answers, a
// gate that could never pass, a misspelt variable, and a run whose setup
// refused it (real k6 v0.49 and v2.2 data of a 401 preflight).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleSummary } from '../lib/summary/entry.ts';
import { folderState, resultsFolder, resultsFolderProblem } from '../lib/summary/paths.ts';
import { verdictOf, type ThresholdRow } from '../lib/summary/tables.ts';
import { baseUrlProblems, ConfigError, nearMisses, parseConfig } from '../lib/config.ts';
import { k6Thresholds } from '../lib/plan.ts';
import type { SummaryModel } from '../lib/summary/model.ts';
import { loadBundle } from './helpers/k6.ts';

const fixture = (dir: string, name: string): object => JSON.parse(readFileSync(new URL(`fixtures/${dir}/${name}`, import.meta.url), 'utf8'));
const REFUSED_ENV = { ROUTES: 'id,ref', COUNTS: '100', OFFSETS: '20,50', TIMEOUT: '2s', SEED: '1', BASE_URL: 'http://127.0.0.1:18090', SUMMARY_DIR: 'out' };

for (const [dir, name] of [['k6-v0.49', 'suite-handle-summary-data-refused.json'], ['k6-v2.2', 'handle-summary-data-machine-refused.json']] as const) {
  test(`a run setup refused is NOT RUN in every format, with setup's reason (${dir})`, () => {
    const out = handleSummary(fixture(dir, name), { env: REFUSED_ENV, profile: 'report', seed: 1, now: Date.UTC(2026, 11, 3) });
    const model = JSON.parse(out['out/summary.json']!) as SummaryModel;
    assert.equal(model.totals.sent, 0);
    assert.equal(model.totals.notRun, 400);
    assert.match(model.setupProblem ?? '', /credentials were rejected \(401\)\. Set PARTY_USER and PARTY_PASSWORD/);
    assert.match(out['out/report.md']!, /^# party-perf results: report\n\n\*\*NOT RUN\*\*: no planned request was sent: setup refused the run: .*\(401\)/);
    assert.doesNotMatch(out['out/report.md']!, /\*\*PASS\*\*/);
    assert.match(out['out/report.html']!, /<title>party-perf: report NOT RUN<\/title>/);
    assert.match(out['out/report.html']!, /class="status fail" id="status">NOT RUN: /);
    assert.match(out['out/junit.xml']!, /<failure message="no planned request was sent: setup refused the run: [^"]*401[^"]*" type="not-run">/);
    assert.doesNotMatch(out['out/junit.xml']!, /failures="0"/);
    assert.match(out.stdout!, /NOT RUN: no planned request was sent/);
    assert.doesNotMatch(out.stdout!, /all gates passed/);
  });
}

test('the verdict: PASS and FAIL by the gates, NO GATES without any, NOT RUN when nothing was sent', () => {
  const row = (ok: boolean): ThresholdRow => ({ name: 'checks rate>=0.99', ok, observed: '', gate: true });
  const totals = (sent: number, notSent: number) => ({ totals: { planned: 10, sent, notSent } as SummaryModel['totals'] });
  assert.equal(verdictOf(totals(10, 0), [row(true)]).word, 'PASS');
  assert.equal(verdictOf(totals(10, 0), [row(true), row(false)]).line, '1 of 2 thresholds failed');
  assert.equal(verdictOf(totals(10, 0), []).word, 'NO GATES');
  // Dropped, all of it: nothing was sent, whatever the gates say (the not-sent gate may be off).
  assert.deepEqual(verdictOf(totals(0, 10), [row(true)]), { word: 'NOT RUN', ok: false, line: 'no planned request was sent: k6 dropped 10 (no VU was free)' });
  assert.match(verdictOf(totals(0, 4), [row(true)]).line, /k6 dropped 4 \(no VU was free\) and the run stopped before the rest$/);
  assert.equal(verdictOf(totals(1, 9), [row(true)]).word, 'PASS');
  const stopped = verdictOf(totals(0, 0), [row(true)]);
  assert.deepEqual([stopped.word, stopped.ok], ['NOT RUN', false]);
  assert.match(stopped.line, /stopped before its first one/);
  assert.match(verdictOf({ ...totals(0, 0), setupProblem: 'target down' }, []).line, /setup refused the run: target down$/);
});

test('the results folder: where k6 will write, probed as k6 open() answers', () => {
  assert.deepEqual(resultsFolder({ SUMMARY_DIR: '/srv/out/', PWD: '/x' }), { path: '/srv/out', named: true, relative: false });
  assert.deepEqual(resultsFolder({ SUMMARY_DIR: 'results', PWD: '/home/u/' }), { path: '/home/u/results', named: true, relative: true });
  assert.deepEqual(resultsFolder({ SUMMARY_DIR: '.', PWD: '/home/u' }), { path: '/home/u', named: true, relative: true });
  assert.deepEqual(resultsFolder({ PWD: '/home/u' }), { path: '/home/u/summaries', named: false, relative: true });
  assert.deepEqual(resultsFolder({ SUMMARY_DIR: 'C:\\perf\\out', PWD: 'C:\\Users\\u' }), { path: 'C:\\perf\\out', named: true, relative: false });
  // Not probed: without PWD (k6 archive, k6 inspect and k6 cloud's local step
  // hand a script no system environment, and write no results), and in k6 cloud.
  assert.equal(resultsFolder({ SUMMARY_DIR: '/srv/out' }), null);
  assert.equal(resultsFolder({ SUMMARY_DIR: 'results' }), null);
  assert.equal(resultsFolder({ SUMMARY_DIR: '/srv/out', PWD: '/x', K6_CLOUDRUN_INSTANCE_ID: '0' }), null);
  // Real k6 messages (v0.49.0 and v2.2.0 print the same).
  assert.equal(folderState('open() can\'t be used with directories, path: "/tmp/exp/sub"'), 'folder');
  assert.equal(folderState('stat /tmp/exp/nope: no such file or directory'), 'missing');
  assert.equal(folderState(null), 'file');
  assert.equal(folderState('permission denied'), 'unknown');
  const abs = { path: '/srv/out', named: true, relative: false };
  assert.equal(resultsFolderProblem(abs, 'folder'), null);
  assert.equal(resultsFolderProblem(abs, 'unknown'), null);
  assert.match(resultsFolderProblem(abs, 'missing')!, /^SUMMARY_DIR=\/srv\/out: no such folder.*mkdir -p \/srv\/out/);
  assert.match(resultsFolderProblem(abs, 'file')!, /a file, not a folder/);
  assert.match(resultsFolderProblem({ ...abs, relative: true }, 'missing')!, /^SUMMARY_DIR=\/srv\/out \(resolved against PWD\): no such folder/);
});

test('a missing absolute SUMMARY_DIR stops the run in its first init context, before any request; a relative one only warns', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'party-perf-cwd-'));
  await assert.rejects(loadBundle('smoke', { env: { PWD: cwd, SUMMARY_DIR: join(cwd, 'no-such-folder') } }), /SUMMARY_DIR=.*no such folder, and k6 cannot create folders for the results: create it first \(mkdir -p /);
  // PWD may be stale (a program started k6 in another folder): a guess never refuses a run.
  const { mod } = await loadBundle('smoke', { env: { PWD: cwd, SUMMARY_DIR: 'no-such-folder' } });
  assert.equal(typeof mod.handleSummary, 'function');
  // Without PWD (k6 archive, k6 inspect): nothing probed, nothing refused.
  await loadBundle('smoke', { env: { SUMMARY_DIR: join(cwd, 'no-such-folder') } });
});

test('no summaries/ folder where k6 runs: the results go into that folder itself', async () => {
  const bare = mkdtempSync(join(tmpdir(), 'party-perf-cwd-'));
  const { mod } = await loadBundle('smoke', { env: { PWD: bare, PROFILE: 'smoke' } });
  const out = mod.handleSummary(fixture('k6-v0.49', 'handle-summary-data.json')) as Record<string, string>;
  const files = Object.keys(out).filter((k) => k !== 'stdout');
  assert.equal(files.length, 5);
  for (const f of files) assert.match(f, /^smoke-\d{8}-\d{6}\.[a-z.]+$/);

  const withFolder = mkdtempSync(join(tmpdir(), 'party-perf-cwd-'));
  mkdirSync(join(withFolder, 'summaries'));
  const again = await loadBundle('smoke', { env: { PWD: withFolder, PROFILE: 'smoke' } });
  const out2 = again.mod.handleSummary(fixture('k6-v0.49', 'handle-summary-data.json')) as Record<string, string>;
  for (const f of Object.keys(out2).filter((k) => k !== 'stdout')) assert.match(f, /^summaries\/smoke-/);
});

test('a missing DATA_FILE is named with its fix, not as a bare Go error', async () => {
  await assert.rejects(loadBundle('report', { env: { DATA_FILE: 'no-such.csv' } }), /DATA_FILE="no-such\.csv": k6 cannot open it \(stat .*no such file or directory\)\..*npm run seed/);
});

test('BASE_URL: the API prefix and a port out of range are refused, a proxy path is not', () => {
  assert.match(baseUrlProblems('http://127.0.0.1:8081/party-api/v1')[0]!, /drop \/party-api\/v1: .*the service's root \(here http:\/\/127\.0\.0\.1:8081\)/);
  assert.match(baseUrlProblems('https://h.example/proxy/party-api')[0]!, /\(here https:\/\/h\.example\/proxy\)/);
  assert.match(baseUrlProblems('http://127.0.0.1:99999')[0]!, /port 99999 is not a TCP port/);
  assert.match(baseUrlProblems('http://localhost:8O81')[0]!, /port 8O81 is not a TCP port/);
  assert.deepEqual(baseUrlProblems('https://h.example/proxy'), []);
  assert.deepEqual(baseUrlProblems('http://[::1]:8081'), []);
  assert.throws(() => parseConfig({ BASE_URL: 'http://127.0.0.1:8081/party-api/v1' }, 'smoke'), (e: unknown) => e instanceof ConfigError && /drop \/party-api\/v1/.test(e.message));
});

test('GATE_P95=0 is refused: no answer takes 0 ms', () => {
  assert.throws(() => parseConfig({ GATE_P95: '0' }, 'smoke'), (e: unknown) => e instanceof ConfigError && /GATE_P95=0: .*above 0, or off/.test(e.message));
  assert.equal(parseConfig({ GATE_P95: '250' }, 'smoke').plan.gates.p95Ms, 250);
});

test('a variable that looks like one of ours is named; the system environment is not', () => {
  assert.deepEqual(nearMisses({ COUNT: '31', TIMEOUTS: '2s', offsets: '50', BASE_UR: 'x', PATH: '/bin', HOME: '/root', USER: 'u', SHELL: 'bash', COUNTS: '5' }), [
    'COUNT is not a party-perf variable (ignored): did you mean COUNTS?',
    'TIMEOUTS is not a party-perf variable (ignored): did you mean TIMEOUT?',
    'offsets is not a party-perf variable (ignored): did you mean OFFSETS?',
    'BASE_UR is not a party-perf variable (ignored): did you mean BASE_URL?',
  ]);
});

test('not sent is a gate by default (0), except for stress, whose top rates may outrun one generator', () => {
  for (const profile of ['report', 'quick', 'smoke', 'single-route', 'writes', 'mixed', 'capacity']) {
    const c = parseConfig({ PROFILE: profile }, profile);
    assert.deepEqual(k6Thresholds(c.plan).dropped_iterations, ['count<=0'], profile);
  }
  assert.deepEqual(k6Thresholds(parseConfig({ PROFILE: 'stress' }, 'stress').plan).dropped_iterations, ['count>=0']);
  assert.deepEqual(k6Thresholds(parseConfig({ PROFILE: 'quick', GATE_NOT_SENT: 'off' }, 'report').plan).dropped_iterations, ['count>=0']);
});

test('a data file with fewer rows than a scenario sends is warned about, with the fix', async () => {
  const { prepare, repeatsWarning } = await import('../lib/cold/init.ts');
  assert.equal(prepare({ PROFILE: 'report', ROUTES: 'id', COUNTS: '100,500', OFFSETS: '50' }, 'report', 1).runtime.largestRead, 500);
  // Write scenarios read no data file.
  assert.equal(prepare({ PROFILE: 'writes' }, 'writes', 1).runtime.largestRead, 0);
  assert.match(repeatsWarning(1, 500, 'one.csv')!, /DATA_FILE=one\.csv has 1 row\(s\) and a scenario sends 500 requests, so each business is asked for about 500 times.*npm run seed -- --count N/);
  assert.equal(repeatsWarning(500, 500, 'f.csv'), null);
  assert.equal(repeatsWarning(0, 500, 'f.csv'), null);
});
