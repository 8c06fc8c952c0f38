// The `npm start` runner with a fake k6 (K6_BIN): a node script that records
// its argv and env, checks the target answers, writes summary.json into
// SUMMARY_DIR and exits with FAKE_K6_EXIT.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { k6Release, metricTotals, timestamp } from '../tools/run.ts';
import { ENV_NAMES } from '../lib/config.ts';
import { runTool, type ChildResult } from './helpers/child.ts';


const FAKE_K6 = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
if (args[0] === 'version') { console.log('k6 v0.49.0 (fake)'); process.exit(0); }
const vars = {};
for (let i = 0; i < args.length; i++) if (args[i] === '-e') { const [k, ...v] = args[++i].split('='); vars[k] = v.join('='); }
(async () => {
  let info = null;
  try { const r = await fetch(vars.BASE_URL + '/info'); info = r.status; } catch (e) { info = 'error ' + e.message; }
  // Two reads of the first seeded business, as k6 would send them.
  let sent = 0;
  if (vars.DATA_FILE && fs.existsSync(vars.DATA_FILE)) {
    const id = fs.readFileSync(vars.DATA_FILE, 'utf8').split('\\n')[1].split(',')[0];
    const auth = 'Basic ' + Buffer.from('admin:secret').toString('base64');
    for (let i = 0; i < 2; i++) if ((await fetch(vars.BASE_URL + '/party-api/v1/businesses/id/' + id, { headers: { Authorization: auth } })).status === 200) sent++;
  }
  fs.writeFileSync(process.env.FAKE_K6_RECORD, JSON.stringify({ args, vars, info, csvTime: process.env.K6_CSV_TIME_FORMAT }));
  // What k6 prints: its tables on stdout (handleSummary), its logs on stderr.
  console.log('party-perf results: fake tables');
  console.error('time="x" level=info msg="a k6 log line"');
  if (vars.SUMMARY_DIR) {
    fs.writeFileSync(path.join(vars.SUMMARY_DIR, 'summary.json'), JSON.stringify({ version: 1, label: vars.LABEL, scenarios: [{ route: 'id', sent }] }));
    fs.writeFileSync(path.join(vars.SUMMARY_DIR, 'report.md'), '# report\\n');
  }
  process.exit(Number(process.env.FAKE_K6_EXIT || 0));
})();
`;

interface Record_ {
  args: string[];
  vars: Record<string, string>;
  info: unknown;
  csvTime: string;
}

function runner(args: string[], env: NodeJS.ProcessEnv): Promise<ChildResult> {
  const clean = { ...process.env };
  for (const k of ENV_NAMES) delete clean[k];
  return runTool('tools/run.ts', args, { ...clean, ...env }, 90_000);
}

describe('k6Release: the release in `k6 version`', () => {
  it('reads v0.49 and v1/v2 lines, whatever the executable is called', () => {
    assert.equal(k6Release('k6 v0.49.0 (go1.19.8, linux/amd64)'), 'v0.49.0');
    assert.equal(k6Release('k6 v1.3.0 (commit/abc1234, go1.23.7, linux/amd64)'), 'v1.3.0');
    // k6 v1+ prints its executable's name first: a renamed K6_BIN.
    assert.equal(k6Release('k6-v2.2.0 v2.2.0 (commit/devel, go1.25.12, linux/amd64)'), 'v2.2.0');
    assert.equal(k6Release('k6 v0.50.0-rc1 (go1.21, linux/amd64)'), 'v0.50.0-rc1');
    assert.equal(k6Release('not k6 at all'), null);
  });
});

describe('npm start (tools/run.ts) with a fake k6', () => {
  let dir: string;
  let fake: string;
  let script: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'party-run-test-'));
    fake = path.join(dir, 'fake-k6.cjs');
    await writeFile(fake, FAKE_K6);
    await chmod(fake, 0o755);
    script = path.join(dir, 'bundle.js');
    await writeFile(script, 'export default function () {}\n');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('without k6: a clear message with install ways, exit code 2, nothing started', async () => {
    const results = path.join(dir, 'results-missing');
    const r = await runner(['--script', script, '--results-dir', results], { K6_BIN: path.join(dir, 'no-such-k6') });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /k6 is not installed/);
    assert.match(r.stderr, /https:\/\/grafana\.com\/docs\/k6\/latest\/set-up\/install-k6\//);
    assert.match(r.stderr, /brew install k6/);
    assert.match(r.stderr, /grafana\/k6/);
    assert.match(r.stderr, /winget/);
    assert.equal(existsSync(results), false);
  });

  it('a mistyped --scenario is named with the scenarios there are, before any build or target', async () => {
    const results = path.join(dir, 'results-typo');
    const r = await runner(['--scenario', 'smok', '--results-dir', results], { K6_BIN: fake });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--scenario smok: no such scenario; use one of capacity, mixed, report, single-route, smoke, writes/);
    assert.doesNotMatch(r.stdout, /building the k6 bundles/);
    assert.equal(existsSync(results), false);
  });

  it('starts and seeds the reference target, prepares the folder, passes the args, stops the target', async () => {
    const results = path.join(dir, 'results-local');
    const record = path.join(dir, 'record-local.json');
    const r = await runner(['--script', script, '--results-dir', results, '--count', '12', '--label', 'ci'], { K6_BIN: fake, FAKE_K6_RECORD: record, ROUTES: 'id' });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const folders = await readdir(results);
    assert.equal(folders.length, 1);
    assert.match(folders[0]!, /^ci-\d{8}-\d{6}$/);
    const folder = path.join(results, folders[0]!);
    const rec = JSON.parse(await readFile(record, 'utf8')) as Record_;
    assert.equal(rec.args[0], 'run');
    assert.equal(rec.args.at(-1), script);
    // Not a terminal (a pipe here, as in CI): k6's progress is off, and its
    // tables come last, after the runner's own lines, before where the report is.
    assert.equal(rec.args[1], '--quiet');
    // The Grafana dashboard's run picker: the results folder's name.
    assert.equal(rec.args[rec.args.indexOf('--tag') + 1], `testid=${folders[0]}`);
    const out = r.stdout.trim().split('\n');
    assert.equal(out.at(-2), 'party-perf results: fake tables');
    assert.match(out.at(-1)!, /^\[run\] report: /);
    assert.ok(out.indexOf('party-perf results: fake tables') > out.findIndex((l) => l.startsWith('[run] k6 exited')));
    assert.ok(rec.args.includes(`csv=${path.join(folder, 'raw.csv.gz')}`));
    assert.equal(rec.args[rec.args.indexOf(`csv=${path.join(folder, 'raw.csv.gz')}`) - 1], '--out');
    assert.equal(rec.csvTime, 'unix_milli');
    assert.match(rec.vars.BASE_URL!, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(rec.vars.PROFILE, 'quick');
    assert.equal(rec.vars.SUMMARY_DIR, folder);
    assert.equal(rec.vars.LABEL, 'ci');
    assert.equal(rec.vars.ROUTES, 'id');
    assert.equal(rec.vars.DATA_FILE, path.join(folder, 'businesses.csv'));
    assert.equal(rec.info, 200, 'the target answered while k6 ran');
    const csv = (await readFile(path.join(folder, 'businesses.csv'), 'utf8')).trim().split('\n');
    assert.equal(csv.length, 13);
    assert.ok(existsSync(path.join(folder, 'summary.json')));
    const metrics = metricTotals(await readFile(path.join(folder, 'target-metrics.txt'), 'utf8'));
    assert.equal(metrics.get('party_target_route_hits_total'), 15, '12 POSTs, one link PUT, and the fake k6\'s 2 reads');
    // The report's table: k6's requests beside the target's counters for the run only (not the seeding).
    assert.match(await readFile(path.join(folder, 'report.md'), 'utf8'), /\| \/businesses\/id\/ \| 2 \| 2 \| 2 \| 2 \|/);
    // The target is stopped: its port refuses connections.
    await assert.rejects(fetch(rec.vars.BASE_URL + '/info'));
  });

  it('with BASE_URL: runs against it without seeding and passes k6\'s exit code through', async () => {
    const results = path.join(dir, 'results-remote');
    const record = path.join(dir, 'record-remote.json');
    const r = await runner(['--script', script, '--results-dir', results, '--scenario', 'smoke', '--k6-out', 'experimental-prometheus-rw', '--k6-out', 'json=x.json'], {
      K6_BIN: fake,
      FAKE_K6_RECORD: record,
      FAKE_K6_EXIT: '99',
      BASE_URL: 'http://127.0.0.1:9',
      PROFILE: 'smoke',
      PARTY_PASSWORD: 'pw',
    });
    assert.equal(r.code, 99);
    const rec = JSON.parse(await readFile(record, 'utf8')) as Record_;
    assert.equal(rec.vars.BASE_URL, 'http://127.0.0.1:9');
    assert.equal(rec.vars.PROFILE, 'smoke');
    assert.equal(rec.vars.PARTY_PASSWORD, 'pw');
    assert.equal(rec.vars.DATA_FILE, undefined);
    // --k6-out adds outputs beside the raw CSV, each its own --out.
    const outs = rec.args.flatMap((a, i) => (rec.args[i - 1] === '--out' ? [a] : []));
    assert.deepEqual(outs.slice(1), ['experimental-prometheus-rw', 'json=x.json']);
    assert.match(outs[0]!, /^csv=.*raw\.csv\.gz$/);
    const folders = await readdir(results);
    assert.match(folders[0]!, /^smoke-\d{8}-\d{6}$/);
    assert.match(r.stdout, /PARTY_PASSWORD=\*\*\*/, 'the printed command hides the password');
  });

  it('bad env stops the run before the target starts or anything is seeded', async () => {
    const results = path.join(dir, 'results-bad-env');
    const record = path.join(dir, 'record-bad-env.json');
    const r = await runner(['--script', script, '--results-dir', results], { K6_BIN: fake, FAKE_K6_RECORD: record, COUNTS: 'lots', TIMEOUT: 'soon' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid configuration, nothing was sent/);
    assert.match(r.stderr, /COUNTS="lots"/);
    assert.match(r.stderr, /TIMEOUT="soon"/);
    assert.equal(existsSync(results), false, 'no results folder');
    assert.equal(existsSync(record), false, 'k6 never ran');
    assert.doesNotMatch(r.stdout, /seeded/);
  });

  it('timestamp is YYYYMMDD-HHMMSS in UTC', () => {
    assert.equal(timestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5))), '20260102-030405');
  });
});
