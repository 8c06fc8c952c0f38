// The Grafana dashboard against a real Prometheus: a real k6 v0.49 run of
// dist/smoke.js that went to Prometheus with -o experimental-prometheus-rw
// (test/fixtures/prometheus/README.md) is backfilled with promtool into a
// fresh Prometheus; every panel's query runs with its variables filled in and
// returns data, and the report's per-route classes, success % per spacing and
// per-scenario p95 equal the summary.json k6 wrote for the same run.
// Skipped, with the reason, where Prometheus is not installed (.ci/run installs it).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ScenarioResult, SummaryModel } from '../lib/summary/model.ts';

const repo = new URL('..', import.meta.url).pathname;
const TESTID = 'smoke-rw-2';
const om = gunzipSync(readFileSync(join(repo, 'test/fixtures/prometheus/smoke.om.gz'))).toString('utf8');
const summary = JSON.parse(readFileSync(join(repo, 'test/fixtures/prometheus/smoke.summary.json'), 'utf8')) as SummaryModel;
const dashboard = JSON.parse(readFileSync(join(repo, 'grafana/party-perf.dashboard.json'), 'utf8')) as Dashboard;

interface Target { expr?: string; refId: string; instant?: boolean; range?: boolean; format?: string }
interface Panel { id: number; title: string; type: string; targets?: Target[]; panels?: Panel[] }
interface Dashboard { panels: Panel[] }
interface Sample { metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }

const have = (bin: string): boolean => spawnSync(bin, ['--version'], { encoding: 'utf8' }).status === 0;
const missing = ['prometheus', 'promtool'].filter((b) => !have(b));
const skip = missing.length ? `${missing.join(' and ')} not installed (apt-get install prometheus; .ci/run does)` : false;

// The run's span, from the samples themselves (OpenMetrics timestamps are seconds).
const times = om.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => Number(l.slice(l.lastIndexOf(' ') + 1)));
const start = Math.min(...times);
const end = Math.max(...times);

/** Grafana's variables as a user picks the recorded run, all routes. */
function fill(expr: string): string {
  return expr
    .replace(/\$\{testid\}|\$testid\b/g, TESTID)
    .replace(/\$\{route(?::[a-z]+)?\}|\$route\b/g, '.*')
    .replace(/\$\{__range\}|\$__range\b/g, `${Math.ceil(end - start) + 60}s`)
    .replace(/\$\{__rate_interval\}|\$__rate_interval\b/g, '15s')
    .replace(/\$\{__interval\}|\$__interval\b/g, '5s');
}

function panelsOf(ps: Panel[]): Panel[] {
  return ps.flatMap((p) => [p, ...panelsOf(p.panels ?? [])]);
}

const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const a = s.address();
    s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
  });
});

describe('the Grafana dashboard against a real Prometheus holding a real k6 run', { skip }, () => {
  let dir = '';
  let prom: ChildProcess | undefined;
  let base = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'party-prom-'));
    writeFileSync(join(dir, 'run.om'), om);
    const bf = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'run.om'), join(dir, 'data')], { encoding: 'utf8' });
    assert.equal(bf.status, 0, bf.stderr);
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\n');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    prom = spawn('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=100y', '--log.level=warn',
    ], { stdio: 'ignore' });
    for (let i = 0; i < 120; i++) {
      try {
        if ((await fetch(`${base}/-/ready`)).ok) return;
      } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('Prometheus did not become ready in 30 s');
  });

  after(() => {
    prom?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  async function query(expr: string): Promise<Sample[]> {
    const u = new URL('/api/v1/query', base);
    u.searchParams.set('query', fill(expr));
    u.searchParams.set('time', String(end));
    const r = (await (await fetch(u)).json()) as { status: string; error?: string; data: { result: Sample[] } };
    assert.equal(r.status, 'success', `${fill(expr)}: ${r.error}`);
    return r.data.result;
  }

  async function queryRange(expr: string): Promise<Sample[]> {
    const u = new URL('/api/v1/query_range', base);
    u.searchParams.set('query', fill(expr));
    u.searchParams.set('start', String(start));
    u.searchParams.set('end', String(end));
    u.searchParams.set('step', '5');
    const r = (await (await fetch(u)).json()) as { status: string; error?: string; data: { result: Sample[] } };
    assert.equal(r.status, 'success', `${fill(expr)}: ${r.error}`);
    return r.data.result;
  }

  const targets = panelsOf(dashboard.panels).flatMap((p) => (p.targets ?? []).filter((t) => t.expr).map((t) => ({ panel: p, target: t })));
  const byRef = (title: string): Map<string, string> => {
    const p = panelsOf(dashboard.panels).find((x) => x.title === title);
    assert.ok(p, `the dashboard has a panel "${title}"`);
    return new Map((p.targets ?? []).map((t) => [t.refId, t.expr ?? '']));
  };
  const perRoute = (rows: Sample[]): Map<string, number> => new Map(rows.map((r) => [r.metric.route ?? '', Number(r.value![1])]));
  const sum = (xs: ScenarioResult[], f: (s: ScenarioResult) => number): number => xs.reduce((a, s) => a + f(s), 0);

  test('every query of every panel runs and returns data for the recorded run', async () => {
    assert.ok(targets.length >= 10, `${targets.length} queries`);
    for (const { panel, target } of targets) {
      const instant = await query(target.expr!);
      const range = instant.length ? instant : await queryRange(target.expr!);
      assert.ok(range.length > 0, `panel "${panel.title}" ${target.refId}: no data for ${fill(target.expr!)}`);
    }
  });

  test('classes per route equal the report\'s (summary.json of the same run), zero classes included', async () => {
    const refs = byRef('Report: classes per route');
    const routes = [...new Set(summary.scenarios.map((s) => s.route))];
    const expected: Record<string, (xs: ScenarioResult[]) => number> = {
      sent: (xs) => sum(xs, (s) => s.sent),
      success: (xs) => sum(xs, (s) => s.classes.success),
      no_response: (xs) => sum(xs, (s) => s.classes.no_response),
      not_found: (xs) => sum(xs, (s) => s.classes.not_found),
      server_error: (xs) => sum(xs, (s) => s.classes.server_error),
      other: (xs) => sum(xs, (s) => s.classes.other),
      not_sent: (xs) => sum(xs, (s) => s.notSent),
    };
    // The recorded run: no response and 404 present, 500 and other absent (so their queries must read 0).
    assert.ok(summary.totals.classes.no_response > 0 && summary.totals.classes.not_found > 0 && summary.totals.classes.server_error === 0);
    for (const [ref, f] of Object.entries(expected)) {
      assert.ok(refs.has(ref), `refId ${ref}`);
      const got = perRoute(await query(refs.get(ref)!));
      for (const route of routes) {
        assert.equal(got.get(route), f(summary.scenarios.filter((s) => s.route === route)), `${ref} of ${route}`);
      }
    }
  });

  test('success % per route and spacing equals the report\'s', async () => {
    const rows = await query(byRef('Report: success % per route and spacing').get('success_pct')!);
    assert.equal(rows.length, new Set(summary.scenarios.map((s) => `${s.route} ${s.offset}`)).size);
    for (const r of rows) {
      const cells = summary.scenarios.filter((s) => s.route === r.metric.route && String(s.offset) === r.metric.offset);
      const want = (100 * sum(cells, (s) => s.classes.success)) / sum(cells, (s) => s.sent + s.notSent);
      assert.ok(Math.abs(Number(r.value![1]) - want) < 1e-9, `${r.metric.route} ${r.metric.offset}: ${r.value![1]} vs ${want}`);
    }
  });

  test('p95 of successful answers per scenario equals k6\'s own (ms)', async () => {
    const refs = byRef('Latency of successful answers per scenario (ms)');
    const rows = await query(refs.get('p95')!);
    const answered = summary.scenarios.filter((s) => s.latency);
    assert.ok(answered.length > 0);
    for (const s of answered) {
      const r = rows.find((x) => x.metric.scenario === s.name);
      assert.ok(r, `p95 of ${s.name}`);
      assert.ok(Math.abs(Number(r.value![1]) - s.latency!.p95!) < 1e-6 * s.latency!.p95!, `${s.name}: ${r.value![1]} vs ${s.latency!.p95}`);
    }
  });
});
