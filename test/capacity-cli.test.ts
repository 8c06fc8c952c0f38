// `npm run capacity` end to end with a fake k6 (K6_BIN): a node script that
// answers `version`, and for `run` writes the summary.json a probe of a
// target serving FAKE_CAPACITY req/s would produce; from FAKE_BEHIND req/s up
// its verdict says the load generator fell behind (every run, or with
// FAKE_BEHIND_ONCE only a rate's first). Argument errors and an unreachable
// target must stop it before any load (exit 2).
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { spawn } from 'node:child_process';
import { runTool } from './helpers/child.ts';
import { repo } from './helpers/k6.ts';
import type { CapacityReport } from '../tools/capacity/model.ts';

const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
const schema = JSON.parse(await readFile(new URL('../data/schemas/capacity.schema.json', import.meta.url), 'utf8'));
const validate = addFormats(new Ajv({ allErrors: true })).compile(schema);

const FAKE_K6 = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
if (args[0] === 'version') { console.log('k6 v0.49.0 (fake)'); process.exit(0); }
const e = process.env;
(() => {
fs.appendFileSync(e.FAKE_K6_RECORD, JSON.stringify({ args, RATE: e.RATE, ROUTES: e.ROUTES, STEP: e.STEP, PROFILE: e.PROFILE }) + '\\n');
if (e.FAKE_K6_HANG && Number(e.RATE) >= Number(e.FAKE_K6_HANG)) {
  // A probe still running at Ctrl-C: k6 stops, writes what ran, exits.
  fs.writeFileSync(path.join(path.dirname(e.FAKE_K6_RECORD), 'hanging'), e.RATE);
  process.on('SIGINT', () => {
    fs.writeFileSync(path.join(e.SUMMARY_DIR, 'summary.json'), JSON.stringify({ version: 1, scenarios: [] }));
    process.exit(0);
  });
  setInterval(() => {}, 1000);
  return;
}
const rate = Number(e.RATE), cap = Number(e.FAKE_CAPACITY), planned = Math.round(rate * parseFloat(e.STEP));
const over = rate > cap;
const scenarios = e.ROUTES.split(',').map((route) => {
  const success = over ? Math.floor(planned * 0.8) : planned;
  return { name: route, route, planned, sent: planned, notSent: 0, notRun: 0,
    classes: { success, no_response: planned - success, not_found: 0, server_error: 0, other: 0, invalid: 0 },
    causes: { refused: 0, reset: 0, closed: 0, timeout: planned - success, other: 0 },
    latency: { count: success, mean: over ? 900 : 5, p95: over ? 1900 : 12 } };
});
const summary = { version: 1, scenarios };
if (e.FAKE_BEHIND && rate >= Number(e.FAKE_BEHIND)) {
  const seen = path.join(path.dirname(e.FAKE_K6_RECORD), 'behind-' + rate);
  if (!(e.FAKE_BEHIND_ONCE && fs.existsSync(seen))) {
    fs.writeFileSync(seen, '');
    const sent = planned * scenarios.length, late = Math.ceil(sent * 0.05);
    summary.generator = { toleranceMs: 25, late, lateShare: late / sent, maxLagMs: 140, notSent: 0, notScheduled: 0, droppedWithFreeVUs: 0, vusBusyMax: null, vusAllocated: null };
    summary.verdict = { status: 'generator-behind', headline: 'The load generator fell behind: 5.00 % of requests started over 25 ms late (worst 140 ms).', reasons: [], meaning: '', advice: '' };
    fs.writeFileSync(path.join(e.SUMMARY_DIR, 'summary.json'), JSON.stringify(summary));
    process.exit(99);
  }
}
summary.generator = { toleranceMs: 25, late: 0, lateShare: 0, maxLagMs: 3, notSent: 0, notScheduled: 0, droppedWithFreeVUs: 0, vusBusyMax: null, vusAllocated: null };
summary.verdict = { status: 'trustworthy', headline: 'Trustworthy: k6 kept its schedule (0.00 % of requests started over 25 ms late, worst 3 ms).', reasons: [], meaning: '', advice: '' };
fs.writeFileSync(path.join(e.SUMMARY_DIR, 'summary.json'), JSON.stringify(summary));
process.exit(over ? 99 : 0);
})();
`;

let dir: string;
let fakeK6: string;
let record: string;
let dataFile: string;
let server: Server;
let baseUrl: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'capacity-cli-'));
  fakeK6 = path.join(dir, 'k6');
  record = path.join(dir, 'k6-calls.ndjson');
  await writeFile(fakeK6, FAKE_K6);
  await chmod(fakeK6, 0o755);
  dataFile = path.join(dir, 'businesses.csv');
  await writeFile(dataFile, 'id,sampleUnitRef\n11111111-1111-4111-8111-111111111111,49900000001\n');
  // The preflight's one authenticated GET of the first business.
  server = createServer((req, res) => {
    const ok = req.url === '/party-api/v1/businesses/id/11111111-1111-4111-8111-111111111111' && req.headers.authorization === `Basic ${Buffer.from('admin:secret').toString('base64')}`;
    res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' }).end(ok ? '{}' : '{"errors":["not found"]}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

const env = (over: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH, HOME: process.env.HOME, K6_BIN: fakeK6, FAKE_K6_RECORD: record, BASE_URL: baseUrl, DATA_FILE: dataFile, ...over,
});
const capacity = (args: string[], e: NodeJS.ProcessEnv) => runTool('tools/capacity/cli.ts', args, e, 60_000);
const k6Runs = async (): Promise<Array<{ RATE: string; ROUTES: string; PROFILE: string }>> =>
  existsSync(record) ? (await readFile(record, 'utf8')).trim().split('\n').map((l) => JSON.parse(l)) : [];

describe('npm run capacity: bad input stops before any load (exit 2)', () => {
  const cases: Array<[string, string[], NodeJS.ProcessEnv, RegExp]> = [
    ['an unknown flag', ['--rate', '5'], {}, /Unknown option '--rate'/],
    ['an unknown route', ['--routes', 'id,foo'], {}, /unknown route "foo": use any of query, id, ref, or all/],
    ['a gate above 100', ['--gate', '120'], {}, /--gate "120": use a number from 0 to 100/],
    ['a start above the max', ['--start-rate', '500', '--max-rate', '100'], {}, /--start-rate 500 is above --max-rate 100/],
    ['a precision of zero', ['--precision', '0'], {}, /--precision "0"/],
    ['too many retries', ['--retries', '9'], {}, /--retries "9": use a whole number from 0 to 5/],
    ['an unknown preset', ['--preset', 'fast'], {}, /--preset "fast": use one of baseline/],
    ['a host that is not loopback', [], { BASE_URL: 'http://party.example.com' }, /ALLOW_HOSTS=party.example.com/],
    ['a target that does not answer', [], { BASE_URL: 'http://127.0.0.1:1' }, /does not answer .*Start it/],
    ['a target without the data', [], { DATA_FILE: path.join(tmpdir(), 'none-such-capacity.csv') }, /no data file .*npm run seed/],
    ['no k6', [], { K6_BIN: path.join(tmpdir(), 'no-such-k6') }, /k6 is not installed[\s\S]*run npm run capacity again[\s\S]*brew install k6/],
  ];
  for (const [what, args, over, message] of cases) {
    it(what, async () => {
      await rm(record, { force: true });
      const r = await capacity([...args, '--out', path.join(dir, 'never')], env(over));
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /nothing was sent/);
      assert.deepEqual(await k6Runs(), [], 'no probe ran');
      assert.equal(existsSync(path.join(dir, 'never')), false);
    });
  }
  it('a bad number shows the usage too', async () => {
    const r = await capacity(['--step-seconds', 'ten'], env());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--step-seconds "ten": use a number from 2 to 3600[\s\S]*Usage: npm run capacity/);
  });
});

describe('npm run capacity: the search with probes through k6', () => {
  it('finds a target serving 37 req/s to within 5 %, one probe line each, and writes the three files', async () => {
    await rm(record, { force: true });
    const out = path.join(dir, 'found');
    const r = await capacity(['--routes', 'id,all', '--step-seconds', '2', '--pause-seconds', '0', '--out', out], env({ FAKE_CAPACITY: '37' }));
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const report = JSON.parse(await readFile(path.join(out, 'capacity.json'), 'utf8')) as CapacityReport;
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.deepEqual(report.results.map((x) => x.route), ['id', 'all']);
    for (const res of report.results) {
      assert.ok(res.capacity !== null && res.upper !== null && res.capacity <= 37 && res.upper > 37, `${res.capacity} .. ${res.upper}`);
      assert.ok(res.upper / res.capacity <= 1.05);
      assert.equal(res.limitedBy, 'target');
      assert.match(res.note, /failed on the target's answers \(.*success [\d.]+ % < gate 99\.00 %.*p95 1900\.0 ms > 1000 ms/);
    }
    assert.deepEqual(report.results[1]!.routes, ['query', 'id', 'ref']);
    assert.equal(report.results[1]!.totalRate, 3 * report.results[1]!.capacity!);
    const runs = await k6Runs();
    const probes = report.results.flatMap((x) => x.probes);
    assert.equal(runs.length, probes.length);
    assert.ok(runs.every((x) => x.PROFILE === 'capacity'));
    assert.deepEqual(runs.map((x) => Number(x.RATE)), probes.map((p) => p.rate));
    assert.equal(runs.at(-1)!.ROUTES, 'query,id,ref');
    assert.equal(r.stdout.match(/^\[capacity\] (id|all) probe \d+:/gm)?.length, probes.length);
    assert.match(r.stdout, /Limited by/);
    for (const f of ['capacity.md', 'capacity.html']) assert.ok(existsSync(path.join(out, f)), f);
    for (const p of probes) assert.ok(existsSync(path.join(out, p.folder, 'summary.json')), p.folder);
  });

  it('a rate whose runs fall behind is retried twice, not counted, then the search stops, limited by the load generator (exit 0)', async () => {
    await rm(record, { force: true });
    const out = path.join(dir, 'behind');
    const r = await capacity(['--step-seconds', '2', '--pause-seconds', '0', '--out', out], env({ FAKE_CAPACITY: '1000', FAKE_BEHIND: '40' }));
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const report = JSON.parse(await readFile(path.join(out, 'capacity.json'), 'utf8')) as CapacityReport;
    assert.ok(validate(report), JSON.stringify(validate.errors));
    const res = report.results[0]!;
    assert.deepEqual(res.probes.map((p) => [p.rate, p.attempt, p.counted, p.verdict?.status]), [
      [10, 1, true, 'trustworthy'], [20, 1, true, 'trustworthy'],
      [40, 1, false, 'generator-behind'], [40, 2, false, 'generator-behind'], [40, 3, false, 'generator-behind'],
    ]);
    assert.equal(res.probes[2]!.lateShare, 0.05);
    assert.equal(res.probes[2]!.maxLagMs, 140);
    assert.equal(res.capacity, 20);
    assert.equal(res.upper, null);
    assert.equal(res.limitedBy, 'load generator');
    assert.equal(res.lowerBound, true);
    assert.deepEqual(res.untrusted, { rate: 40, tries: 3, status: 'generator-behind', headline: 'The load generator fell behind: 5.00 % of requests started over 25 ms late (worst 140 ms).' });
    assert.equal(report.settings.retries, 2);
    assert.deepEqual(res.probes.map((p) => p.folder), ['probes/01-id-10', 'probes/02-id-20', 'probes/03-id-40', 'probes/04-id-40-retry1', 'probes/05-id-40-retry2']);
    assert.equal((await k6Runs()).length, 5);
    assert.match(r.stdout, /does not count: its rate is run again, up to 2 more times, then the search stops there, limited by the load generator/);
    assert.match(r.stdout, /id probe 3: 40 req\/s .*-> not counted, run not trustworthy: The load generator fell behind: .* Trying 40 req\/s again \(retry 1 of 2\)/);
    assert.match(r.stdout, /id probe 5 \(retry 2\): 40 req\/s .*None of 3 runs at 40 req\/s was trustworthy: the search stops here, limited by the load generator/);
    assert.match(r.stdout, /^\s+id\s+>= 20\s+>= 20\s+20\s+-\s+load generator\s+5$/m);
    assert.match(await readFile(path.join(out, 'capacity.md'), 'utf8'), /\| 4 \(retry 1\) \| 40 \| not counted \| generator-behind \| 5\.00 \| 140 \|/);
  });

  it('a run behind once is retried and its trustworthy retry counts: the search finds the target\'s capacity', async () => {
    await rm(record, { force: true });
    for (const f of ['behind-40', 'behind-80']) await rm(path.join(dir, f), { force: true });
    const out = path.join(dir, 'behind-once');
    const r = await capacity(['--step-seconds', '2', '--pause-seconds', '0', '--out', out], env({ FAKE_CAPACITY: '37', FAKE_BEHIND: '40', FAKE_BEHIND_ONCE: '1' }));
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const report = JSON.parse(await readFile(path.join(out, 'capacity.json'), 'utf8')) as CapacityReport;
    assert.ok(validate(report), JSON.stringify(validate.errors));
    const res = report.results[0]!;
    assert.ok(res.capacity !== null && res.capacity <= 37 && res.upper! > 37, `${res.capacity} .. ${res.upper}`);
    assert.equal(res.limitedBy, 'target', 'the trustworthy failure at 40 counts against the target');
    assert.equal(res.untrusted, null);
    assert.deepEqual(res.probes.slice(2, 4).map((p) => [p.rate, p.attempt, p.counted, p.holds]), [[40, 1, false, false], [40, 2, true, false]]);
    assert.match(res.note, /failed on the target's answers .* 1 run was not trustworthy .*not counted and retried\./);
  });

  it('exits 3 when no run at the first rate is trustworthy: no capacity, and the load generator, not the target, said so', async () => {
    await rm(record, { force: true });
    const out = path.join(dir, 'behind-first');
    const r = await capacity(['--step-seconds', '2', '--pause-seconds', '0', '--retries', '1', '--out', out], env({ FAKE_CAPACITY: '1000', FAKE_BEHIND: '1' }));
    assert.equal(r.code, 3, r.stderr + r.stdout);
    const report = JSON.parse(await readFile(path.join(out, 'capacity.json'), 'utf8')) as CapacityReport;
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.deepEqual(report.results[0]!.probes.map((p) => p.rate), [10, 10]);
    assert.equal(report.results[0]!.capacity, null);
    assert.match(report.results[0]!.note, /^No capacity found, limited by the load generator: at 10 req\/s no run of 2 was trustworthy/);
    assert.match(r.stdout, /up to 1 more time, then/);
    assert.match(r.stdout, /exit 3: no trustworthy run could judge some search/);
  });

  it('exits 1 when even the lowest probe fails, and the table says so', async () => {
    const out = path.join(dir, 'none');
    const r = await capacity(['--start-rate', '4', '--step-seconds', '2', '--pause-seconds', '0', '--out', out], env({ FAKE_CAPACITY: '0' }));
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(await readFile(path.join(out, 'capacity.json'), 'utf8')) as CapacityReport;
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.equal(report.results[0]!.capacity, null);
    assert.deepEqual(report.results[0]!.probes.map((p) => p.rate), [4, 2, 1]);
    assert.match(r.stdout, /id\s+none/);
    assert.match(r.stdout, /No capacity: even 1 req\/s failed/);
  });

  it('Ctrl-C stops the probe in flight, writes what was found so far and exits 130', async () => {
    const out = path.join(dir, 'interrupted');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'tools/capacity/cli.ts'), '--step-seconds', '2', '--pause-seconds', '0', '--out', out],
      { env: env({ FAKE_CAPACITY: '1000', FAKE_K6_HANG: '40' }) });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    const code = new Promise<number | null>((resolve) => child.on('close', resolve));
    const hanging = path.join(dir, 'hanging');
    await rm(hanging, { force: true });
    for (let i = 0; i < 300 && !existsSync(hanging); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(existsSync(hanging), 'the probe at 40 req/s started');
    child.kill('SIGINT');
    assert.equal(await code, 130, stdout);
    const report = JSON.parse(await readFile(path.join(out, 'capacity.json'), 'utf8')) as CapacityReport;
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.equal(report.interrupted, true);
    const r = report.results[0]!;
    assert.equal(r.capacity, 20);
    assert.equal(r.stopped, 'interrupted (Ctrl-C)');
    assert.deepEqual(r.probes.map((p) => [p.rate, p.holds]), [[10, true], [20, true], [40, null]]);
    assert.match(stdout, /Interrupted \(Ctrl-C\): these are the figures found so far/);
  });
});
