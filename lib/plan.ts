// A profile -> the list of scenarios to run, and the k6 options for them.
// Pure: no k6 import, so Node tests and tools import it directly.
import { CAUSES, CLASSES } from './classify.ts';
import type { Gates, Order, Profile } from './profiles.ts';
import { isWrite, routeByKey } from './routes.ts';
import { windowCount, windowSpecs, type Phase, type WindowShape } from './windows.ts';

/** Metric names the glue emits and the summary reads. */
export const RESPONSES_METRIC = 'party_responses';
/**
 * Schedule lag: how late k6 started a request against its planned arrival
 * (the scenario's start + its index in the test x the spacing). A request
 * later than LAG_TOLERANCE_MS adds 1 to this Counter and its lag to the
 * Gauge below (whose max is the worst lag); an on-time request adds nothing.
 */
export const LATE_METRIC = 'party_late';
export const LAG_METRIC = 'party_schedule_lag';
/**
 * Measured on this kind of machine (k6 v0.49, 200-2000 requests/s, 2 cores):
 * a healthy k6 starts requests a median 1 ms and at p99.9 7-22 ms after their
 * planned time (max 13-29 ms, garbage collection); a k6 starved of CPU
 * 23 ms at p90 and 85 ms at p99 at 1000/s (docs/results.md, "Can this run be trusted?").
 */
export const LAG_TOLERANCE_MS = 25;
export const CHECK_NAME = 'status is expected';
/**
 * A scenario's requests (k6 counts each once, answered or not). The success
 * path records nothing but its passing check (no Counter add), so a
 * scenario's successes are its requests less the answers the Counter counts
 * (every other class). k6's machine-readable summary drops tagged `checks`
 * sub-metrics, and keeps this one.
 */
export const scenarioRequests = (scenario: string): string => `http_reqs{scenario:${scenario}}`;
/**
 * A failed check named `<prefix><route label> | <problem>` records the first
 * schema problem a VU saw on a route: checks reach handleSummary by name
 * (root_group.checks) without a threshold, so the summary can show them.
 */
export const INVALID_CHECK_PREFIX = 'body matches its schema: ';
/**
 * A failed check named `<prefix><scenario> | <status>` counts, per scenario,
 * one answer whose HTTP status was not the route's expected one (404, 405,
 * 500, ...). Recorded only off the success path, so it costs the hot path
 * nothing; its `fails` is the count (issue 12, item 4).
 */
export const STATUS_CHECK_PREFIX = 'status of ';
export const statusCheckName = (scenario: string, status: number): string => `${STATUS_CHECK_PREFIX}${scenario} | ${status}`;
/**
 * A failed check named `<prefix><problem>` that setup records before it
 * throws (a refused preflight): k6 still calls handleSummary, which finds
 * the reason by name and reports the run as not run, not as passed.
 */
export const SETUP_CHECK_PREFIX = 'setup refused the run: ';
/** The check name for a setup error: one line, short enough for any report. */
export const setupCheckName = (message: string): string =>
  SETUP_CHECK_PREFIX + message.replace(/\s+/g, ' ').trim().slice(0, 400);
/**
 * Latency of the planned requests' expected-status answers, all routes: the
 * run's requests carry group "" (root), while setup's preflight and
 * teardown's cleanup carry "::setup" / "::teardown", so this sub-metric
 * leaves them out, as the route rows do (k6 accepts a quoted empty value).
 */
export const COMBINED_LATENCY_METRIC = 'http_req_duration{expected_response:true,group:""}';
/** Latency of one route's expected-status answers (its scenarios' `route` tag). */
export const routeLatencyMetric = (route: string): string => `http_req_duration{route:${route},expected_response:true}`;

/** Scenarios per route, in plan order. */
function scenariosPerRoute(plan: Pick<Plan, 'scenarios'>): Map<string, number> {
  const n = new Map<string, number>();
  for (const s of plan.scenarios) n.set(s.route, (n.get(s.route) ?? 0) + 1);
  return n;
}
/** Trend stats the summary needs; k6's default lacks p(99), med in some versions' output. */
export const TREND_STATS = ['min', 'max', 'avg', 'med', 'p(90)', 'p(95)', 'p(99)', 'count'];
/** k6 rejects a scenario shorter than this. */
export const MIN_DURATION_MS = 1000;
/** Time an iteration may need past its request's timeout (classify, count). */
const GRACE_MARGIN_MS = 1000;

export interface PlannedScenario {
  name: string;
  route: string;
  count: number;
  /** Spacing between requests, ms. */
  offset: number;
  startMs: number;
  /** count * offset - offset / 2: exactly `count` arrivals, never count + 1. */
  durationMs: number;
  gracefulStopMs: number;
  /** Pre-allocated = max VUs: k6 adds at most one VU at a time mid-run. */
  vus: number;
  /** Soak and spike (lib/windows.ts): the time window this scenario is, and its phase. */
  window?: number;
  phase?: Phase;
}

export interface Plan {
  profile: string;
  order: Order;
  timeoutMs: number;
  gates: Gates;
  /** 200 bodies are checked against their schemas (the invalid gate applies). */
  validate: boolean;
  scenarios: PlannedScenario[];
  /** Sum of counts: what a run must account for (sent + not sent). */
  requests: number;
  /** Most VUs alive at one time. */
  peakVUs: number;
  /** From the first start to the end of the last graceful stop. */
  totalMs: number;
  /** Soak and spike: the shape the windows were cut from. */
  windows?: WindowShape;
}

export class PlanError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'PlanError';
  }
}

/** k6 allows only [0-9a-zA-Z_-] in scenario names: a fractional offset (RATE) writes its point as `p`. */
export const scenarioName = (route: string, count: number, offset: number, window?: number): string =>
  `${route}_c${count}_o${String(offset).replace('.', 'p')}${window === undefined ? '' : `_w${String(window).padStart(2, '0')}`}`;

/** `<route>_c<count>_o<offset>[_w<window>]` -> its parts; null for any other name. */
export function parseScenarioName(name: string): { route: string; count: number; offset: number; window: number | null } | null {
  const m = /^(.+)_c(\d+)_o(\d+(?:p\d+)?)(?:_w(\d+))?$/.exec(name);
  return m ? { route: m[1]!, count: Number(m[2]), offset: Number(m[3]!.replace('p', '.')), window: m[4] === undefined ? null : Number(m[4]) } : null;
}

/** Requests per scenario for each offset: the profile's counts, or one stress step. */
function countsFor(profile: Profile, offset: number): number[] {
  if (profile.stepMs !== undefined && profile.counts.length === 0) return [Math.ceil(profile.stepMs / offset)];
  return profile.counts;
}

/**
 * Reads and writes side by side at the profile's `writeRatio` (the share of
 * all requests that are writes): the cell's count and offset are the reads';
 * each write route gets the same duration at a longer offset, so the write
 * routes together send `writeRatio` of the cell's requests. Null when the
 * profile does not mix.
 */
function writeMix(profile: Profile): ((route: string, count: number, offset: number) => { route: string; count: number; offset: number }) | null {
  const r = profile.writeRatio;
  const reads = profile.routes.filter((x) => !isWrite(x)).length;
  const writes = profile.routes.length - reads;
  if (r === undefined || reads === 0 || writes === 0) return null;
  // reads: `reads` routes at 1/offset each; writes share r / (1 - r) of that rate.
  const scale = (writes * (1 - r)) / (reads * r);
  return (route, count, offset) => {
    const wOffset = Math.max(1, Math.round(offset * scale));
    return { route, count: Math.max(1, Math.round((count * offset) / wOffset)), offset: wOffset };
  };
}

export function vusFor(count: number, offset: number, timeoutMs: number, cap: number | null): number {
  const needed = Math.min(count, Math.ceil(timeoutMs / offset) + 1);
  return cap === null ? needed : Math.max(1, Math.min(needed, cap));
}

/** Most VUs alive at one time: scenarios overlap while one waits out its graceful stop. */
function peakOf(scenarios: PlannedScenario[]): number {
  const edges: Array<[number, number]> = [];
  for (const s of scenarios) edges.push([s.startMs, s.vus], [s.startMs + s.durationMs + s.gracefulStopMs, -s.vus]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, d] of edges) peak = Math.max(peak, (now += d));
  return peak;
}

/**
 * Soak and spike: every route runs one scenario per window, back to back,
 * so arrivals run on evenly across windows (a window's last arrival is one
 * spacing before the next window's first).
 */
function buildWindowPlan(profile: Profile, shape: WindowShape): Plan {
  const gracefulStopMs = profile.timeoutMs + GRACE_MARGIN_MS;
  const scenarios: PlannedScenario[] = [];
  for (const w of windowSpecs(shape)) {
    const count = windowCount(w);
    for (const route of profile.routes) {
      scenarios.push({
        name: scenarioName(route, count, w.offset, w.index), route, count, offset: w.offset,
        startMs: w.startMs, durationMs: count * w.offset - w.offset / 2, gracefulStopMs,
        vus: vusFor(count, w.offset, profile.timeoutMs, profile.maxVUs), window: w.index, phase: w.phase,
      });
    }
  }
  const problems: string[] = [];
  if (profile.routes.length === 0) problems.push('the plan is empty: ROUTES must name at least one route');
  for (const s of scenarios) {
    if (s.durationMs < MIN_DURATION_MS) problems.push(`${s.name}: a window of ${s.count} requests ${s.offset} ms apart lasts ${s.durationMs} ms, and k6 rejects scenarios under 1 s: raise the rate or the duration`);
  }
  if (problems.length) throw new PlanError(problems);
  return {
    profile: profile.name, order: profile.order, timeoutMs: profile.timeoutMs, gates: profile.gates, validate: profile.validate,
    scenarios, requests: scenarios.reduce((n, s) => n + s.count, 0), peakVUs: peakOf(scenarios),
    totalMs: Math.max(...scenarios.map((s) => s.startMs + s.durationMs + s.gracefulStopMs)),
    windows: shape,
  };
}

export function buildPlan(profile: Profile): Plan {
  if (profile.windows) return buildWindowPlan(profile, profile.windows);
  const problems: string[] = [];
  const gracefulStopMs = profile.timeoutMs + GRACE_MARGIN_MS;
  // Groups run one after another; the scenarios in a group run side by side.
  const groups: Array<Array<{ route: string; count: number; offset: number }>> = [];
  const cells = (route: string) =>
    profile.offsets.flatMap((offset) => countsFor(profile, offset).map((count) => ({ route, count, offset })));
  if (profile.order === 'sequential') {
    for (const route of profile.routes) {
      // Counts outer, offsets inner: the report's "Request Count: N" order.
      const byCount = cells(route).sort((a, b) => a.count - b.count || profile.offsets.indexOf(a.offset) - profile.offsets.indexOf(b.offset));
      for (const c of byCount) groups.push([c]);
    }
  } else {
    const first = cells(profile.routes[0] ?? '');
    const ordered = profile.stepMs !== undefined && profile.counts.length === 0
      ? first
      : first.sort((a, b) => a.count - b.count || profile.offsets.indexOf(a.offset) - profile.offsets.indexOf(b.offset));
    const mix = writeMix(profile);
    for (const c of ordered) groups.push(profile.routes.map((route) => (mix && isWrite(route) ? mix(route, c.count, c.offset) : { route, count: c.count, offset: c.offset })));
  }

  const scenarios: PlannedScenario[] = [];
  let t = 0;
  let peakVUs = 0;
  for (const group of groups) {
    let groupVUs = 0;
    let groupEnd = 0;
    for (const { route, count, offset } of group) {
      const durationMs = count * offset - offset / 2;
      const name = scenarioName(route, count, offset);
      if (durationMs < MIN_DURATION_MS) {
        const minCount = Math.ceil((MIN_DURATION_MS + offset / 2) / offset);
        problems.push(`${name}: ${count} requests ${offset} ms apart last ${durationMs} ms, and k6 rejects scenarios under 1 s. Use at least ${minCount} requests at ${offset} ms (COUNTS), or a longer offset (OFFSETS).`);
      }
      const vus = vusFor(count, offset, profile.timeoutMs, profile.maxVUs);
      groupVUs += vus;
      groupEnd = Math.max(groupEnd, durationMs + gracefulStopMs);
      scenarios.push({ name, route, count, offset, startMs: t, durationMs, gracefulStopMs, vus });
    }
    peakVUs = Math.max(peakVUs, groupVUs);
    t += groupEnd;
  }
  if (scenarios.length === 0) problems.push('the plan is empty: ROUTES, COUNTS and OFFSETS must each name at least one value');
  const names = new Set<string>();
  for (const s of scenarios) {
    if (names.has(s.name)) problems.push(`${s.name} appears twice: remove the repeated value from ROUTES, COUNTS or OFFSETS`);
    names.add(s.name);
  }
  if (problems.length) throw new PlanError(problems);
  return {
    profile: profile.name,
    order: profile.order,
    timeoutMs: profile.timeoutMs,
    gates: profile.gates,
    validate: profile.validate,
    scenarios,
    requests: scenarios.reduce((n, s) => n + s.count, 0),
    peakVUs,
    totalMs: t,
  };
}

const ms = (n: number): string => `${n}ms`;

/** k6 `options.scenarios`: one constant-arrival-rate scenario per planned cell. */
export function k6Scenarios(plan: Plan): Record<string, object> {
  const out: Record<string, object> = {};
  for (const s of plan.scenarios) {
    out[s.name] = {
      executor: 'constant-arrival-rate',
      exec: s.route,
      rate: 1,
      timeUnit: ms(s.offset),
      duration: ms(s.durationMs),
      preAllocatedVUs: s.vus,
      maxVUs: s.vus,
      startTime: ms(s.startMs),
      gracefulStop: ms(s.gracefulStopMs),
      // k6 tags every sample of the scenario with these. `name` groups its
      // requests by route (k6 keeps a name tag it finds), so no request
      // passes tags in its params (docs/weight.md, "Weight per VU").
      tags: { route: s.route, count: String(s.count), offset: String(s.offset), name: routeByKey(s.route)?.nameTag ?? s.route },
    };
  }
  return out;
}

/**
 * Thresholds. k6 puts a tagged sub-metric into handleSummary's data only when
 * a threshold names it, so every cell the summary reads gets an always-true
 * one; the gates are the real pass/fail conditions.
 */
export function k6Thresholds(plan: Plan): Record<string, string[]> {
  const th: Record<string, string[]> = {};
  for (const s of plan.scenarios) {
    th[scenarioRequests(s.name)] = ['count>=0'];
    for (const c of CLASSES) if (c !== 'success') th[`${RESPONSES_METRIC}{scenario:${s.name},class:${c}}`] = ['count>=0'];
    for (const c of CAUSES) th[`${RESPONSES_METRIC}{scenario:${s.name},cause:${c}}`] = ['count>=0'];
    th[`dropped_iterations{scenario:${s.name}}`] = ['count>=0'];
    th[`http_req_duration{scenario:${s.name},expected_response:true}`] = ['max>=0'];
    th[`${LATE_METRIC}{scenario:${s.name}}`] = ['count>=0'];
    th[`${LAG_METRIC}{scenario:${s.name}}`] = ['value>=0'];
  }
  // A latency sub-metric that would hold the same answers as another is left
  // out (a route of one scenario is that scenario; one route is the run): k6
  // keeps every answer's time in each, and sorts each that got new ones every
  // 2 s to evaluate its threshold, a cost that grows with the run (docs/distributed.md,
  // "Long runs"). The summary reads the one left (lib/summary/build.ts).
  // A soak's or a spike's route and run would hold every answer of the run,
  // the cost that grows; its windows are what it reads (lib/summary/windows.ts).
  const perRoute = plan.windows ? new Map<string, number>() : scenariosPerRoute(plan);
  for (const [route, n] of perRoute) if (n > 1) th[routeLatencyMetric(route)] = ['max>=0'];
  if (perRoute.size > 1) th[COMBINED_LATENCY_METRIC] = ['max>=0'];
  Object.assign(th, gateThresholds(plan.gates, plan.validate, plan.requests));
  return th;
}

/** Late starts the lag gate allows: its share of the planned requests, rounded down. */
export const maxLate = (share: number, requests: number): number => Math.floor(share * requests + 1e-9);

/** The thresholds that decide pass/fail (k6 exits 99 when one fails). */
export function gateThresholds(g: Gates, validate = true, requests = 0): Record<string, string[]> {
  const th: Record<string, string[]> = { checks: [`rate>=${g.successRate}`] };
  // Without a p95 gate, no threshold: k6 keeps this sub-metric of its own
  // accord, and a threshold on a Trend costs a sort of all its values every
  // 2 s (docs/distributed.md, "Long runs"). The tables read COMBINED_LATENCY_METRIC.
  if (g.p95Ms !== null) th['http_req_duration{expected_response:true}'] = [`p(95)<${g.p95Ms}`];
  th.dropped_iterations = g.maxNotSent === null ? ['count>=0'] : [`count<=${g.maxNotSent}`];
  // A 200 whose body breaks its schema is a broken contract: none is tolerated.
  // Without validation nothing is checked, so it is no gate then.
  th[`${RESPONSES_METRIC}{class:invalid}`] = validate ? ['count<=0'] : ['count>=0'];
  // The load generator kept its schedule (a Counter: no sort). Under an
  // execution segment the limit is the whole plan's, so looser per instance.
  const late = g.maxLateShare === undefined ? null : g.maxLateShare;
  th[LATE_METRIC] = late === null ? ['count>=0'] : [`count<=${maxLate(late, requests)}`];
  return th;
}

export interface K6Options {
  scenarios: Record<string, object>;
  thresholds: Record<string, string[]>;
  summaryTrendStats: string[];
  discardResponseBodies: boolean;
  [key: string]: unknown;
}

export function k6Options(plan: Plan): K6Options {
  return {
    scenarios: k6Scenarios(plan),
    thresholds: k6Thresholds(plan),
    summaryTrendStats: TREND_STATS,
    // Reads only need the status; a scenario that validates bodies asks per request.
    discardResponseBodies: true,
  };
}
