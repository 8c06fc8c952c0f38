// k6's handleSummary data + the plan -> the summary model. Pure and total:
// missing sub-metrics count as 0 and are listed, never thrown about.
import { CAUSES, CLASSES } from '../classify.ts';
import type { Config } from '../config.ts';
import { COMBINED_LATENCY_METRIC, gateThresholds, routeLatencyMetric, INVALID_CHECK_PREFIX, k6Thresholds, LAG_METRIC, LAG_TOLERANCE_MS, LATE_METRIC, parseScenarioName, RESPONSES_METRIC, scenarioRequests, SETUP_CHECK_PREFIX, type Plan } from '../plan.ts';
import { routeByKey } from '../routes.ts';
import { spansRates } from './axis.ts';
import { int, iso } from './format.ts';
import { count, readK6Data, value, type K6Metric } from './k6data.ts';
import type {
  BreakingPoint, CauseCounts, ClassCounts, GeneratorHealth, GeneratorLimit, Latency, RouteResult, Schedule, ScenarioResult,
  SummaryModel, ThresholdResult, Totals,
} from './model.ts';
import { judge } from './verdict.ts';
import { windowsResult } from './windows.ts';
import { SUMMARY_VERSION } from './model.ts';
import { stripUserinfo } from './redact.ts';
import { droppedWithFreeVUs, splitGap, wasInterrupted, type Window } from './shortfall.ts';
import { addStatuses, statusesByScenario } from './statuses.ts';
import { holds, isBookkeeping, parseExpression } from './thresholds.ts';
import type { SegmentShare } from '../segment.ts';

/** What the model needs besides k6's data. */
export interface RunInput {
  /** null: scenarios are recovered from the metric names (config could not be parsed). */
  plan: Plan | null;
  label: string;
  profile: string;
  target: string | null;
  seed: number | null;
  k6Version: string | null;
  /** This instance's share of a distributed test (lib/segment.ts); absent or null: the whole plan. */
  segment?: SegmentShare | null;
}

export function runFromConfig(c: Config, seed: number | null, k6Version: string | null): RunInput {
  return { plan: c.plan, label: c.label, profile: c.plan.profile, target: c.baseUrl, seed, k6Version };
}

interface Cell {
  name: string; route: string; count: number; offset: number; planned: number;
  /** From the plan; null when scenarios were recovered from metric names. */
  window: Window | null; vus: number | null;
}

const SCENARIO_TAG = new RegExp(`^${RESPONSES_METRIC}\\{scenario:([^,}]+),class:`);

/** Scenarios named in the data, for a run whose config cannot be parsed here. */
function cellsFromData(metrics: Record<string, K6Metric>): Cell[] {
  const seen = new Set<string>();
  const cells: Cell[] = [];
  for (const key of Object.keys(metrics)) {
    const name = SCENARIO_TAG.exec(key)?.[1];
    if (!name || seen.has(name)) continue;
    seen.add(name);
    const m = parseScenarioName(name);
    if (m) cells.push({ name, route: m.route, count: m.count, offset: m.offset, planned: m.count, window: null, vus: null });
  }
  return cells;
}

function zeroClasses(): ClassCounts {
  const c = {} as ClassCounts;
  for (const k of CLASSES) c[k] = 0;
  return c;
}
const zeroCauses = (): CauseCounts => ({ refused: 0, reset: 0, closed: 0, timeout: 0, other: 0 });

/** k6 trend -> Latency; null when the trend is absent or counted nothing. */
function latencyOf(m: K6Metric | undefined, successes: number): Latency | null {
  if (!m) return null;
  const n = value(m, 'count') ?? successes;
  if (!(n > 0)) return null;
  return {
    count: Math.round(n),
    min: value(m, 'min'), max: value(m, 'max'), mean: value(m, 'avg'), median: value(m, 'med'),
    p90: value(m, 'p(90)'), p95: value(m, 'p(95)'), p99: value(m, 'p(99)'),
  };
}

/** Several latencies as one: exact count/min/max/mean, percentiles unknowable (null). */
export function combineLatency(parts: Array<Latency | null>): Latency | null {
  const ls = parts.filter((l): l is Latency => l !== null && l.count > 0);
  if (ls.length === 0) return null;
  if (ls.length === 1) return { ...ls[0]! };
  const n = ls.reduce((a, l) => a + l.count, 0);
  const pick = (f: (l: Latency) => number | null, g: (a: number, b: number) => number): number | null => {
    let acc: number | null = null;
    for (const l of ls) {
      const v = f(l);
      if (v === null) return null;
      acc = acc === null ? v : g(acc, v);
    }
    return acc;
  };
  const sum = pick((l) => (l.mean === null ? null : l.mean * l.count), (a, b) => a + b);
  return {
    count: n, min: pick((l) => l.min, Math.min), max: pick((l) => l.max, Math.max),
    mean: sum === null ? null : sum / n, median: null, p90: null, p95: null, p99: null,
  };
}

/** Share of a scenario's accounted requests; the denominator every table uses. */
export const baseOf = (s: Pick<ScenarioResult, 'planned' | 'sent' | 'notSent' | 'notRun'> & { notScheduled?: number }): number =>
  Math.max(s.planned, s.sent + s.notSent + s.notRun + (s.notScheduled ?? 0));

/** Answers k6 timed as expected responses: successes, and invalid bodies (the expected status). */
const expectedAnswers = (c: ClassCounts): number => c.success + (c.invalid ?? 0);

interface RunClock { runMs: number | null; interrupted: boolean | null }

function readScenario(cell: Cell, metrics: Record<string, K6Metric>, missing: string[], clock: RunClock,
  statuses: Record<string, number>): ScenarioResult {
  const get = (key: string): K6Metric | undefined => {
    const m = metrics[key];
    if (m === undefined) missing.push(key);
    return m;
  };
  const classes = zeroClasses();
  for (const c of CLASSES) if (c !== 'success') classes[c] = count(get(`${RESPONSES_METRIC}{scenario:${cell.name},class:${c}}`)) ?? 0;
  // A scenario's successes are its requests less the other classes (lib/plan.ts
  // scenarioRequests); data from before that counted them in the Counter, and still reads.
  const legacy = metrics[`${RESPONSES_METRIC}{scenario:${cell.name},class:success}`];
  classes.success = legacy !== undefined && metrics[scenarioRequests(cell.name)] === undefined
    ? count(legacy) ?? 0
    : Math.max(0, (count(get(scenarioRequests(cell.name))) ?? 0) - CLASSES.reduce((a, c) => a + classes[c], 0));
  const causes = zeroCauses();
  let anyCause = false;
  for (const c of CAUSES) {
    const n = count(get(`${RESPONSES_METRIC}{scenario:${cell.name},cause:${c}}`));
    if (n !== null) anyCause = true;
    causes[c] = n ?? 0;
  }
  const notSent = count(get(`dropped_iterations{scenario:${cell.name}}`)) ?? 0;
  const answers = expectedAnswers(classes);
  const latency = latencyOf(get(`http_req_duration{scenario:${cell.name},expected_response:true}`), answers);
  const sent = CLASSES.reduce((a, c) => a + classes[c], 0);
  const accounted = sent + notSent;
  const { notRun, notScheduled } = splitGap(cell.planned - accounted, cell.window, clock.runMs, clock.interrupted);
  // Absent (not 0) in data from bundles before the lag was measured: then unknown.
  const lateM = metrics[`${LATE_METRIC}{scenario:${cell.name}}`];
  const late = count(lateM);
  const schedule: Schedule | null = late === null ? null
    : { late, maxLagMs: late > 0 ? value(metrics[`${LAG_METRIC}{scenario:${cell.name}}`], 'max') : null };
  return {
    name: cell.name, route: cell.route, routeLabel: routeByKey(cell.route)?.label ?? cell.route,
    count: cell.count, offset: cell.offset, planned: cell.planned, sent, notSent,
    notRun, notScheduled, extra: Math.max(0, accounted - cell.planned),
    classes, causes: anyCause ? causes : null,
    latency: answers > 0 ? latency : null,
    statuses,
    schedule,
  };
}

/**
 * The plan's thresholds judged from k6's values, for data that carries no
 * threshold results (k6's machine-readable summary). A metric without
 * samples counts as 0, as k6 judges an empty sink at the end of a test.
 */
function judgeThresholds(metrics: Record<string, K6Metric>, plan: Plan): Record<string, K6Metric> {
  const out: Record<string, K6Metric> = { ...metrics };
  const th = k6Thresholds(plan);
  for (const metric of Object.keys(th)) {
    const judged: Record<string, { ok: boolean }> = {};
    for (const expression of th[metric]!) {
      const p = parseExpression(expression);
      if (p) judged[expression] = { ok: holds(value(metrics[metric], p.stat) ?? 0, p.op, p.limit) };
    }
    out[metric] = { ...metrics[metric], thresholds: judged };
  }
  return out;
}

function readThresholds(metrics: Record<string, K6Metric>, gateNames: Set<string>): Pick<SummaryModel, 'thresholds' | 'bookkeepingThresholds'> {
  const gates: ThresholdResult[] = [];
  const others: ThresholdResult[] = [];
  const book = { count: 0, failed: 0 };
  for (const metric of Object.keys(metrics)) {
    const th = metrics[metric]!.thresholds;
    if (typeof th !== 'object' || th === null) continue;
    for (const expression of Object.keys(th)) {
      const ok = !!(th[expression] && th[expression]!.ok);
      const gate = gateNames.has(metric);
      // A failed bookkeeping threshold would mean something odd: list it.
      if (isBookkeeping(expression) && ok) {
        book.count++;
        continue;
      }
      if (isBookkeeping(expression)) book.failed++;
      const p = parseExpression(expression);
      const observed = p ? value(metrics[metric], p.stat) : null;
      (gate ? gates : others).push({ metric, expression, ok, stat: p ? p.stat : null, observed, gate });
    }
  }
  const order = [...gateNames];
  gates.sort((a, b) => order.indexOf(a.metric) - order.indexOf(b.metric));
  others.sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
  return { thresholds: gates.concat(others), bookkeepingThresholds: book };
}

/**
 * Per route, the highest rate that met the gate and the lowest that did not.
 * A step whose failures are mostly not sent or not scheduled measured the
 * load generator, and one mostly not run measured nothing: neither decides.
 */
export function breakingPoints(scenarios: ScenarioResult[], gate: number): BreakingPoint[] {
  const out: BreakingPoint[] = [];
  const routes = [...new Set(scenarios.map((s) => s.route))];
  for (const route of routes) {
    const byOffset = new Map<number, { ok: number; base: number; generator: number; notRun: number }>();
    for (const s of scenarios) {
      if (s.route !== route) continue;
      const b = byOffset.get(s.offset) ?? { ok: 0, base: 0, generator: 0, notRun: 0 };
      b.ok += s.classes.success;
      b.base += baseOf(s);
      b.generator += s.notSent + s.notScheduled;
      b.notRun += s.notRun;
      byOffset.set(s.offset, b);
    }
    if (byOffset.size < 2) continue;
    let best: number | null = null;
    let firstFail: number | null = null;
    const limited: number[] = [];
    for (const [offset, b] of byOffset) {
      const passed = b.base > 0 && b.ok / b.base >= gate;
      const failures = b.base - b.ok;
      if (!passed && 2 * b.generator > failures) {
        limited.push(1000 / offset);
        continue;
      }
      if (!passed && 2 * b.notRun > failures) continue;
      if (passed && (best === null || offset < best)) best = offset;
      if (!passed && (firstFail === null || offset > firstFail)) firstFail = offset;
    }
    out.push({
      route, label: routeByKey(route)?.label ?? route,
      rate: best === null ? null : 1000 / best, offset: best,
      firstFailingRate: firstFail === null ? null : 1000 / firstFail,
      generatorLimitedRates: limited.sort((a, b) => a - b),
    });
  }
  return out;
}

/** Scenarios where k6, not the target, fell short: not scheduled, or dropped while VUs were free. */
function generatorLimit(scenarios: ScenarioResult[], cells: Cell[], timeoutMs: number | null): GeneratorLimit | null {
  const names: string[] = [];
  let notScheduled = 0;
  let dropped = 0;
  scenarios.forEach((s, i) => {
    const vus = cells[i]!.vus;
    const free = vus !== null && timeoutMs !== null && droppedWithFreeVUs(s, vus, timeoutMs);
    if (s.notScheduled === 0 && !free) return;
    names.push(s.name);
    notScheduled += s.notScheduled;
    if (free) dropped += s.notSent;
  });
  return names.length === 0 ? null : { scenarios: names, notScheduled, droppedWithFreeVUs: dropped };
}

/** Scenarios' schedules as one: null when any is unknown. */
export function sumSchedules(parts: Array<Schedule | null | undefined>): Schedule | null {
  let late = 0;
  let maxLagMs: number | null = null;
  for (const p of parts) {
    if (!p) return null;
    late += p.late;
    if (p.maxLagMs !== null) maxLagMs = maxLagMs === null ? p.maxLagMs : Math.max(maxLagMs, p.maxLagMs);
  }
  return parts.length ? { late, maxLagMs } : null;
}

/** What k6's data says of the load generator's health (merge passes the instances' VUs added up). */
export function generatorHealth(totals: Totals, limit: GeneratorLimit | null, vus: { busyMax: number | null; allocated: number | null }): GeneratorHealth {
  const sch = totals.schedule;
  return {
    toleranceMs: LAG_TOLERANCE_MS,
    late: sch ? sch.late : null,
    lateShare: sch && totals.sent > 0 ? sch.late / totals.sent : null,
    maxLagMs: sch ? sch.maxLagMs : null,
    notSent: totals.notSent,
    notScheduled: totals.notScheduled,
    droppedWithFreeVUs: limit ? limit.droppedWithFreeVUs : 0,
    vusBusyMax: vus.busyMax,
    vusAllocated: vus.allocated,
  };
}

export function totalsOf(scenarios: ScenarioResult[], overall: Latency | null): Totals {
  const t: Totals = {
    planned: 0, sent: 0, answered: 0, noResponse: 0, notSent: 0, notRun: 0, notScheduled: 0, extra: 0,
    classes: zeroClasses(), causes: null, latency: overall, statuses: {},
    schedule: sumSchedules(scenarios.map((s) => s.schedule)),
  };
  for (const s of scenarios) {
    t.planned += s.planned;
    t.sent += s.sent;
    t.notSent += s.notSent;
    t.notRun += s.notRun;
    t.notScheduled += s.notScheduled;
    addStatuses(t.statuses, s.statuses);
    t.extra += s.extra;
    for (const c of CLASSES) t.classes[c] += s.classes[c];
    if (s.causes) {
      const tc = t.causes ?? (t.causes = zeroCauses());
      for (const c of CAUSES) tc[c] += s.causes[c];
    }
  }
  t.noResponse = t.classes.no_response;
  t.answered = t.sent - t.noResponse;
  return t;
}

export function buildSummary(data: unknown, run: RunInput, now: number): SummaryModel {
  const k6 = readK6Data(data);
  const { metrics } = k6;
  const warnings: string[] = [];
  const share = run.plan && run.segment ? run.segment : null;
  const cells: Cell[] = run.plan
    ? run.plan.scenarios.map((s) => ({
      name: s.name, route: s.route, count: s.count, offset: s.offset,
      // An execution segment plans (and gets VUs for) only its share of each scenario.
      planned: share ? share.planned[s.name] ?? s.count : s.count,
      window: { startMs: s.startMs, durationMs: s.durationMs, gracefulStopMs: s.gracefulStopMs },
      vus: share ? share.vus[s.name] ?? s.vus : s.vus,
    }))
    : cellsFromData(metrics);
  if (!run.plan) warnings.push('The run configuration could not be read here; scenarios were recovered from the metric names.');

  // Without the plan's windows a stop cannot be told from k6 falling behind.
  const windows = cells.map((c) => c.window).filter((w): w is Window => w !== null);
  const interrupted = run.plan ? wasInterrupted(k6.runMs, windows) : null;
  const clock: RunClock = { runMs: k6.runMs, interrupted };
  const statuses = statusesByScenario(k6.checks);
  const missing: string[] = [];
  const scenarios = cells.map((c) => readScenario(c, metrics, missing, clock, statuses.get(c.name) ?? {}));
  const missingCauses = missing.filter((k) => k.includes(',cause:')).length;
  const missingOther = missing.filter((k) => !k.includes(',cause:'));
  if (missingCauses > 0) warnings.push(`No-response causes were not in k6's data (${missingCauses} cells); causes are shown as not recorded.`);
  if (missingOther.length > 0) {
    warnings.push(`k6's data lacked ${missingOther.length} of the sub-metrics the tables need (e.g. ${missingOther[0]}; were the thresholds overridden?); they count as 0.`);
  }

  // Route rows and the combined row: one population, the planned requests'
  // answers with the expected status (setup and teardown carry no route tag
  // and another group, lib/plan.ts COMBINED_LATENCY_METRIC).
  const routes: RouteResult[] = [...new Set(cells.map((c) => c.route))].map((route) => {
    const mine = scenarios.filter((s) => s.route === route);
    const answers = mine.reduce((a, s) => a + expectedAnswers(s.classes), 0);
    // A route of one scenario has no sub-metric of its own (lib/plan.ts
    // k6Thresholds): its scenario's is k6's figure for the same answers.
    const k6Latency = answers === 0 ? null
      : latencyOf(metrics[routeLatencyMetric(route)], answers) ?? (mine.length === 1 && mine[0]!.latency ? { ...mine[0]!.latency } : null);
    const combined = k6Latency ? null : combineLatency(mine.map((s) => s.latency));
    return {
      route, label: routeByKey(route)?.label ?? route,
      latency: k6Latency ?? combined,
      latencySource: k6Latency ? 'k6' : combined ? 'scenarios' : 'none',
    };
  });

  // Never k6's plain http_req_duration{expected_response:true}: it holds
  // setup's preflight and teardown's requests too.
  const answers = scenarios.reduce((a, s) => a + expectedAnswers(s.classes), 0);
  // One route: no combined sub-metric (lib/plan.ts k6Thresholds), and
  // combineLatency of one part is that part, percentiles and all.
  const overall = answers > 0
    ? latencyOf(metrics[COMBINED_LATENCY_METRIC], answers) ?? combineLatency(routes.map((r) => r.latency))
    : null;
  const totals = totalsOf(scenarios, overall);
  if (totals.extra > 0) {
    const n = scenarios.filter((s) => s.extra > 0).length;
    warnings.push(`k6 started ${totals.extra} more request(s) than planned in ${n} scenario(s); those rows are percentages of what was accounted (sent + not sent), not of the plan.`);
  }
  if (totals.notRun > 0) {
    warnings.push(interrupted === null
      ? `${int(totals.notRun)} planned request(s) were neither sent nor dropped, and k6 reported no run duration to tell a stopped run from k6 falling behind: counted as not run.`
      : totals.sent + totals.notSent === 0
        // Nothing at all was sent: most often setup refused the run (its
        // preflight error is printed above the summary), not a Ctrl-C.
        ? setupProblemOf(k6.checks).setupProblem
          ? `No planned request was sent: setup refused the run (the reason heads this report). All ${int(totals.notRun)} are counted as not run.`
          : `No planned request was sent: the run stopped before its first one, after ${fixedSeconds(k6.runMs)}. When setup failed (a refused preflight), k6 prints its error, which says why and what to fix; otherwise it was stopped (Ctrl-C or an abort). All ${int(totals.notRun)} are counted as not run.`
        : `${int(totals.notRun)} planned request(s) never ran: the run was stopped after ${fixedSeconds(k6.runMs)} of its plan's ${fixedSeconds(run.plan ? run.plan.totalMs : null)} (Ctrl-C or an abort).`);
  }
  const invalid = totals.classes.invalid ?? 0;
  if (invalid > 0) warnings.push(`Response times include ${int(invalid)} answer(s) with the expected status but an invalid body: k6 times answers by status.`);
  const statusSum = Object.keys(totals.statuses).reduce((a, k) => a + totals.statuses[k]!, 0);
  const otherStatuses = totals.classes.not_found + totals.classes.server_error + totals.classes.other;
  if (statusSum > 0 && statusSum !== otherStatuses) {
    warnings.push(`The statuses table accounts for ${int(statusSum)} of the ${int(otherStatuses)} answers counted as 404, 500 or Other.`);
  }
  const limit = generatorLimit(scenarios, cells, run.plan ? run.plan.timeoutMs : null);
  if (cells.length === 0) warnings.push("No scenario results were found in k6's data.");
  if (share && run.plan) {
    warnings.push(`This instance ran execution segment ${share.segment} of ${share.sequence}: planned counts are its share, ${int(totals.planned)} of the plan's ${int(run.plan.requests)}. Merge the instances' results with npm run merge.`);
  }

  const gates = run.plan ? run.plan.gates : null;
  if (k6.format === 'machine-readable') {
    warnings.push(`k6 handed over its machine-readable summary (--new-machine-readable-summary), which carries no threshold results, no p99 and no counts per trend: party-perf judged ${run.plan ? "the suite's thresholds from k6's values (k6's exit code stays the verdict; thresholds added outside the suite are not listed)" : 'no thresholds (no plan)'}, and p99 shows n/a.`);
  }
  const gateNames = new Set(Object.keys(gates && run.plan ? gateThresholds(gates, run.plan.validate, run.plan.requests) : { checks: 0, 'http_req_duration{expected_response:true}': 0, dropped_iterations: 0, [LATE_METRIC]: 0 }));
  const generator = generatorHealth(totals, limit, { busyMax: value(metrics.vus, 'max'), allocated: value(metrics.vus_max, 'max') });
  const setup = setupProblemOf(k6.checks);
  const modelGates: SummaryModel['gates'] = gates ? { successRate: gates.successRate, p95Ms: gates.p95Ms, maxNotSent: gates.maxNotSent, maxLateShare: gates.maxLateShare ?? null } : null;
  const verdict = judge({ totals, gates: modelGates, generator, ...setup });
  const windowed = windowsResult(run.plan, scenarios);

  return {
    version: SUMMARY_VERSION,
    label: run.label,
    startTime: iso(now - k6.durationMs),
    durationMs: k6.durationMs,
    profile: run.profile,
    order: run.plan ? run.plan.order : null,
    target: run.target === null ? null : stripUserinfo(run.target),
    seed: run.seed,
    k6Version: run.k6Version || k6.k6Version,
    axis: spansRates(cells) ? 'rate' : 'offset',
    interrupted,
    gates: modelGates,
    ...readThresholds(k6.hasThresholds || !run.plan ? metrics : judgeThresholds(metrics, run.plan), gateNames),
    scenarios,
    routes,
    breakingPoints: breakingPoints(scenarios, gates ? gates.successRate : 0.99),
    totals,
    missingCells: { count: missing.length, examples: missing.slice(0, 5) },
    generatorLimited: limit,
    generator,
    verdict,
    warnings,
    invalidBodies: invalidBodies(k6.checks),
    ...setup,
    ...(share ? { segment: { segment: share.segment, sequence: share.sequence } } : {}),
    ...(windowed ? { windows: windowed } : {}),
  };
}

const fixedSeconds = (ms: number | null): string => (ms === null ? 'an unknown time' : `${(ms / 1000).toFixed(1)} s`);

/** Why setup refused the run, from the check lib/k6/zero.ts fails before it throws. */
function setupProblemOf(checks: Array<{ name: string; fails: number }>): { setupProblem?: string } {
  const c = checks.find((x) => x.fails > 0 && x.name.startsWith(SETUP_CHECK_PREFIX));
  return c ? { setupProblem: c.name.slice(SETUP_CHECK_PREFIX.length) } : {};
}

/** The checks lib/k6/vu.ts fails once per VU and route when a body breaks its schema. */
function invalidBodies(checks: Array<{ name: string; fails: number }>): Array<{ route: string; problem: string; vus: number }> {
  const out: Array<{ route: string; problem: string; vus: number }> = [];
  for (const c of checks) {
    if (!c.name.startsWith(INVALID_CHECK_PREFIX)) continue;
    const rest = c.name.slice(INVALID_CHECK_PREFIX.length);
    const bar = rest.indexOf(' | ');
    out.push({ route: bar < 0 ? rest : rest.slice(0, bar), problem: bar < 0 ? '' : rest.slice(bar + 3), vus: c.fails });
  }
  return out;
}
