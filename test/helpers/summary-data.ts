// Synthetic handleSummary data in the shape k6 v0.49 produces (see
// test/fixtures/k6-v0.49/handle-summary-data.json): one sub-metric per
// threshold that lib/plan.ts k6Thresholds names, plus k6's own totals.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CAUSES, CLASSES, type NoResponseCause, type ResponseClass } from '../../lib/classify.ts';
import {
  LAG_METRIC, LATE_METRIC,
  COMBINED_LATENCY_METRIC, gateThresholds, k6Thresholds, RESPONSES_METRIC, routeLatencyMetric, scenarioRequests, statusCheckName, TREND_STATS, type Plan, type PlannedScenario,
} from '../../lib/plan.ts';
import { buildPlan } from '../../lib/plan.ts';
import { PROFILES, type Profile } from '../../lib/profiles.ts';
import { mulberry32 } from '../../lib/rng.ts';
import { parseExpression } from '../../lib/summary/thresholds.ts';

/** The report's five classes of a class count (newer classes, e.g. invalid, are 0 in the fixtures). */
export function core(c: Record<string, number>): Record<string, number> {
  return { success: c.success!, no_response: c.no_response!, not_found: c.not_found!, server_error: c.server_error!, other: c.other! };
}

export const FIXTURES = fileURLToPath(new URL('../fixtures/k6-v0.49', import.meta.url));

/** A fixture with the suite's counter name (the fixture script called it `responses`). */
export function fixtureData(file: 'handle-summary-data.json' | 'handle-summary-data-target-down.json'): Record<string, any> {
  const raw = readFileSync(`${FIXTURES}/${file}`, 'utf8');
  return JSON.parse(raw.split('"responses{').join(`"${RESPONSES_METRIC}{`));
}

/** The fixture's matrix as a Plan (buildPlan rejects 20 requests at 50 ms: under 1 s). */
export function fixturePlan(counts = [20, 40], offsets = [50, 100]): Plan {
  const scenarios: PlannedScenario[] = [];
  let t = 0;
  for (const route of ['query', 'id', 'ref']) for (const count of counts) for (const offset of offsets) {
    scenarios.push({ name: `${route}_c${count}_o${offset}`, route, count, offset, startMs: t, durationMs: count * offset, gracefulStopMs: 2000, vus: 2 });
    t += count * offset + 2000;
  }
  return {
    profile: 'fixture', order: 'sequential', timeoutMs: 1000,
    gates: { successRate: 0.99, p95Ms: null, maxNotSent: null, maxLateShare: 0.01 }, validate: false,
    scenarios, requests: scenarios.reduce((n, s) => n + s.count, 0), peakVUs: 40, totalMs: t,
  };
}

export interface CellOutcome {
  /** Classes left out count 0. */
  classes: Partial<Record<ResponseClass, number>>;
  causes: Record<NoResponseCause, number>;
  notSent: number;
  /** Answers per status other than the expected one, as the glue's failed checks count them. */
  statuses?: Record<string, number>;
  /** Requests started late and the worst lag (ms), as lib/k6/vu.ts records them; default none late. */
  late?: number;
  maxLagMs?: number;
}

/** Report-like outcomes: success falls as the rate rises; deterministic. */
export function reportLikeOutcome(s: PlannedScenario): CellOutcome {
  const rnd = mulberry32(s.count * 7919 + s.offset * 31 + s.route.length);
  const okShare = Math.min(0.995, 0.2 + 0.8 * Math.min(1, s.offset / 2000) + rnd() * 0.05);
  const notSent = s.offset <= 50 ? Math.floor(s.count * 0.01) : 0;
  const n = s.count - notSent;
  const success = Math.round(n * okShare);
  const server_error = Math.min(n - success, Math.round(n * 0.003 + rnd()));
  const other = Math.min(n - success - server_error, s.offset === 100 ? 1 : 0);
  const no_response = n - success - server_error - other;
  const refused = Math.floor(no_response / 3);
  const reset = Math.floor(no_response / 4);
  return {
    classes: { success, no_response, not_found: 0, server_error, other },
    causes: { refused, reset, closed: no_response - refused - reset, timeout: 0, other: 0 },
    notSent,
  };
}

export interface SyntheticOptions {
  outcome?: (s: PlannedScenario) => CellOutcome;
  /** Trend stats k6 reports (--summary-trend-stats); default the suite's. */
  trendStats?: string[];
  /** Drop these sub-metrics, as if the user replaced the thresholds. */
  omit?: (key: string) => boolean;
  testRunDurationMs?: number;
  /**
   * Requests setup and teardown made (preflight, cleanup), answered with the
   * expected status: k6 puts them in http_req_duration{expected_response:true}
   * (slow ones: 900 ms), not in any scenario's or route's sub-metric.
   */
  setupRequests?: number;
}

type Metric = { type: string; contains: string; values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> };

function trendValues(n: number, base: number, stats: string[]): Record<string, number> {
  const all: Record<string, number> = n === 0
    ? { min: 0, max: 0, avg: 0, med: 0, 'p(90)': 0, 'p(95)': 0, 'p(99)': 0, count: 0 }
    : { min: base * 0.4, max: base * 9, avg: base * 1.2, med: base, 'p(90)': base * 2, 'p(95)': base * 3, 'p(99)': base * 6, count: n };
  const out: Record<string, number> = {};
  for (const s of stats) if (s in all) out[s] = all[s]!;
  return out;
}

/** k6's handleSummary data for a run of `plan` with the given outcomes. */
export function syntheticData(plan: Plan, o: SyntheticOptions = {}): Record<string, any> {
  const outcome = o.outcome ?? reportLikeOutcome;
  const stats = o.trendStats ?? TREND_STATS;
  const dur = o.testRunDurationMs ?? plan.totalMs;
  const metrics: Record<string, Metric> = {};
  const counter = (n: number): Metric => ({ type: 'counter', contains: 'default', values: { count: n, rate: n / (dur / 1000) } });
  const trend = (n: number, base: number): Metric => ({ type: 'trend', contains: 'time', values: trendValues(n, base, stats) });

  let success = 0, sent = 0, dropped = 0, lateAll = 0;
  const routeOk = new Map<string, number>();
  const checks: Array<{ name: string; path: string; id: string; passes: number; fails: number }> = [];
  for (const s of plan.scenarios) {
    const r = outcome(s);
    for (const [status, n] of Object.entries(r.statuses ?? {})) {
      checks.push({ name: statusCheckName(s.name, Number(status)), path: `::${statusCheckName(s.name, Number(status))}`, id: String(checks.length), passes: 0, fails: n });
    }
    // As the bundles record them: k6 counts every request, the Counter every answer but a success.
    metrics[scenarioRequests(s.name)] = counter(CLASSES.reduce((a, c) => a + (r.classes[c] ?? 0), 0));
    for (const c of CLASSES) if (c !== 'success') metrics[`${RESPONSES_METRIC}{scenario:${s.name},class:${c}}`] = counter(r.classes[c] ?? 0);
    for (const c of CAUSES) metrics[`${RESPONSES_METRIC}{scenario:${s.name},cause:${c}}`] = counter(r.causes[c]);
    metrics[`dropped_iterations{scenario:${s.name}}`] = counter(r.notSent);
    const late = r.late ?? 0;
    metrics[`${LATE_METRIC}{scenario:${s.name}}`] = counter(late);
    metrics[`${LAG_METRIC}{scenario:${s.name}}`] = { type: 'gauge', contains: 'default', values: late > 0 ? { value: 26, min: 26, max: r.maxLagMs ?? 26 } : { value: 0, min: 0, max: 0 } };
    lateAll += late;
    metrics[`http_req_duration{scenario:${s.name},expected_response:true}`] = trend(r.classes.success ?? 0, 20 + 2000 / s.offset);
    success += r.classes.success ?? 0;
    sent += CLASSES.reduce((a, c) => a + (r.classes[c] ?? 0), 0);
    dropped += r.notSent;
    routeOk.set(s.route, (routeOk.get(s.route) ?? 0) + (r.classes.success ?? 0));
  }
  // As k6 does: a sub-metric only where a threshold names it (a route of one
  // scenario, or the combined latency of one route, has none).
  const named = k6Thresholds(plan);
  for (const [route, n] of routeOk) if (routeLatencyMetric(route) in named) metrics[routeLatencyMetric(route)] = trend(n, 25);
  metrics.checks = { type: 'rate', contains: 'default', values: { rate: sent ? success / sent : 0, passes: success, fails: sent - success } };
  const setup = o.setupRequests ?? 0;
  if (COMBINED_LATENCY_METRIC in named) metrics[COMBINED_LATENCY_METRIC] = trend(success, 30);
  // With setup's requests: more answers, and a slower max than any planned one.
  metrics['http_req_duration{expected_response:true}'] = setup > 0 ? { ...trend(success + setup, 30), values: { ...trend(success + setup, 30).values, max: 900 } } : trend(success, 30);
  metrics.dropped_iterations = counter(dropped);
  metrics.http_req_duration = trend(sent, 40);
  metrics[RESPONSES_METRIC] = counter(sent - success);
  metrics.http_reqs = counter(sent);
  metrics[LATE_METRIC] = counter(lateAll);
  metrics.iterations = counter(sent);
  metrics.vus = { type: 'gauge', contains: 'default', values: { value: 0, min: 0, max: plan.peakVUs } };

  // Thresholds as k6 evaluates them; the gates really are checked.
  const gates = gateThresholds(plan.gates, plan.validate, plan.requests);
  for (const [key, exprs] of Object.entries(k6Thresholds(plan))) {
    const m = metrics[key];
    if (!m) continue;
    m.thresholds = {};
    for (const e of exprs) m.thresholds[e] = { ok: key in gates ? holds(m, e) : true };
  }
  if (o.omit) for (const k of Object.keys(metrics)) if (o.omit(k)) delete metrics[k];
  return {
    root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: [], checks },
    options: { summaryTrendStats: stats, summaryTimeUnit: '', noColor: false },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: dur },
    metrics,
  };
}

function holds(m: Metric, expr: string): boolean {
  const p = parseExpression(expr);
  if (!p) return true;
  const v = m.values[p.stat] ?? NaN;
  switch (p.op) {
    case '<': return v < p.limit;
    case '<=': return v <= p.limit;
    case '>': return v > p.limit;
    case '>=': return v >= p.limit;
    default: return v === p.limit;
  }
}

export function planFor(name: string, patch: Partial<Profile> = {}): Plan {
  return buildPlan({ ...PROFILES[name]!, ...patch });
}
