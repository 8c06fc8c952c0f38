// Synthetic summary models for the compare tests: the report's shape (routes x
// counts x offsets) with success and latency given as functions, so a test can
// say "the same run, 5 points worse" without any k6 data.
import { CLASSES } from '../../lib/classify.ts';
import { routeByKey } from '../../lib/routes.ts';
import { LAG_TOLERANCE_MS } from '../../lib/plan.ts';
import type { ClassCounts, HostHealth, Latency, RouteResult, ScenarioResult, SummaryModel, Verdict } from '../../lib/summary/model.ts';
import { SUMMARY_VERSION } from '../../lib/summary/model.ts';
import { judge } from '../../lib/summary/verdict.ts';

export interface Shape {
  label?: string;
  startTime?: string;
  profile?: string;
  routes?: string[];
  counts?: number[];
  offsets?: number[];
  /** Success % of planned for one scenario. */
  success?: (route: string, count: number, offset: number) => number;
  /** Server-error % of planned (the rest of the sent requests got no response). */
  serverError?: (route: string, count: number, offset: number) => number;
  /** Median of successful answers, ms; p95 = 3x, max = 6x (times `slow`). */
  median?: (route: string, count: number, offset: number) => number;
  slow?: number;
  notSent?: number;
  /** false: the run did not record no-response causes. */
  causes?: boolean;
  /** Requests per scenario k6 started later than the tolerance (schedule lag); null: no lag data. Default 0. */
  late?: number | null;
  /** The worst lag, ms, when any request was late (default 400). */
  maxLagMs?: number;
  /** Requests per scenario k6 never scheduled (it fell behind): taken from the successes. */
  notScheduled?: number;
  /** The machine's samples, e.g. hostOf(0.8) for one saturated 80 % of the run. */
  host?: HostHealth;
}

/** A machine busy (>= 90 %) for `saturatedShare` of 100 one-second samples. */
export function hostOf(saturatedShare: number, cores = 2): HostHealth {
  const samples = Array.from({ length: 100 }, (_, t) => ({ t, k6Cpu: 1.5, busy: t < saturatedShare * 100 ? 0.97 : 0.4, load1: 2 }));
  return { cores, intervalMs: 1000, samples, k6CpuMedian: 1.5, k6CpuPeak: 1.9, busyMedian: saturatedShare >= 0.5 ? 0.97 : 0.4, saturatedShare };
}

export const REPORT_ROUTES = ['query', 'id', 'ref'];
export const REPORT_COUNTS = [100, 200, 500];
export const REPORT_OFFSETS = [50, 100, 200, 1000, 2000];

/** The report's "Against Docker Image" success % (count -> per offset 50..2000). */
export const REPORT_BASELINE: Record<number, number[]> = {
  100: [39.33, 35.83, 39.33, 48.33, 65.0],
  200: [25.67, 39.17, 50.25, 63.17, 79.17],
  500: [14.67, 51.83, 64.57, 83.6, 91.33],
};
export const REPORT_GUNICORN: Record<number, number[]> = {
  100: [28.67, 46.0, 50.17, 67.67, 82.33],
  200: [26.33, 53.5, 60.92, 84.17, 92.17],
  500: [21.2, 63.77, 81.43, 92.8, 96.2],
};
export const REPORT_CACHE: Record<number, number[]> = {
  100: [93.33, 93.33, 95.83, 97.67, 99.0],
  200: [91.67, 96.83, 97.33, 98.67, 99.5],
  500: [92.6, 97.67, 98.83, 99.8, 99.67],
};

/** A report table as a success function; routes differ a little, as in the report. */
export function fromReport(table: Record<number, number[]>): (route: string, count: number, offset: number) => number {
  const tweak: Record<string, number> = { query: -0.3, id: 1.5, ref: -1.2 };
  return (route, count, offset) => {
    const row = table[count];
    const i = REPORT_OFFSETS.indexOf(offset);
    const v = row && i >= 0 ? row[i]! : 90;
    return Math.max(0, Math.min(100, v + (tweak[route] ?? 0)));
  };
}

const defaultMedian = (_r: string, count: number, offset: number): number => 20 + (2000 * count) / 500 * (50 / offset);

/** Every class at 0, whatever classes lib/classify.ts defines today. */
const zeroClasses = (): ClassCounts => Object.fromEntries(CLASSES.map((c) => [c, 0])) as ClassCounts;

function latency(n: number, median: number): Latency | null {
  if (n === 0) return null;
  return { count: n, min: median / 4, max: median * 6, mean: median * 1.3, median, p90: median * 2.5, p95: median * 3, p99: median * 5 };
}

/** count-weighted average of the percentiles: synthetic, but stable and monotone. */
function pool(ls: Array<Latency | null>): Latency | null {
  const xs = ls.filter((l): l is Latency => l !== null);
  const n = xs.reduce((a, l) => a + l.count, 0);
  if (n === 0) return null;
  const avg = (f: (l: Latency) => number | null) => xs.reduce((a, l) => a + f(l)! * l.count, 0) / n;
  return {
    count: n, min: Math.min(...xs.map((l) => l.min!)), max: Math.max(...xs.map((l) => l.max!)), mean: avg((l) => l.mean),
    median: avg((l) => l.median), p90: avg((l) => l.p90), p95: avg((l) => l.p95), p99: avg((l) => l.p99),
  };
}

export function makeModel(shape: Shape = {}): SummaryModel {
  const routes = shape.routes ?? REPORT_ROUTES;
  const counts = shape.counts ?? REPORT_COUNTS;
  const offsets = shape.offsets ?? REPORT_OFFSETS;
  const success = shape.success ?? fromReport(REPORT_BASELINE);
  const serverError = shape.serverError ?? (() => 0);
  const median = shape.median ?? defaultMedian;
  const slow = shape.slow ?? 1;
  const withCauses = shape.causes ?? true;
  const scenarios: ScenarioResult[] = [];
  for (const route of routes) {
    for (const count of counts) {
      for (const offset of offsets) {
        const notSent = Math.min(count, shape.notSent ?? 0);
        const okPlanned = Math.round((count * success(route, count, offset)) / 100);
        // Not scheduled: requests that would have succeeded, had k6 sent them.
        const notScheduled = Math.min(count - notSent, okPlanned, shape.notScheduled ?? 0);
        const sent = count - notSent - notScheduled;
        const ok = Math.min(sent, okPlanned - notScheduled);
        const late = shape.late === null ? null : Math.min(sent, shape.late ?? 0);
        const err = Math.min(sent - ok, Math.round((count * serverError(route, count, offset)) / 100));
        const none = sent - ok - err;
        const refused = Math.floor(none * 0.7);
        scenarios.push({
          name: `${route}_${count}_${offset}`, route, routeLabel: routeByKey(route)?.label ?? route, count, offset,
          planned: count, sent, notSent, notRun: 0, notScheduled, extra: 0, statuses: {},
          classes: { ...zeroClasses(), success: ok, no_response: none, server_error: err },
          causes: withCauses ? { refused, reset: 0, closed: 0, timeout: none - refused, other: 0 } : null,
          latency: latency(ok, median(route, count, offset) * slow),
          schedule: late === null ? null : { late, maxLagMs: late > 0 ? shape.maxLagMs ?? 400 : null },
        });
      }
    }
  }
  const sum = (f: (s: ScenarioResult) => number) => scenarios.reduce((a, s) => a + f(s), 0);
  const routeResults: RouteResult[] = routes.map((r) => {
    const l = pool(scenarios.filter((s) => s.route === r).map((s) => s.latency));
    return { route: r, label: routeByKey(r)?.label ?? r, latency: l, latencySource: l ? 'k6' : 'none' };
  });
  const noResponse = sum((s) => s.classes.no_response);
  const lagged = shape.late !== null;
  const late = sum((s) => s.schedule?.late ?? 0);
  const schedule = lagged ? { late, maxLagMs: late > 0 ? shape.maxLagMs ?? 400 : null } : null;
  const sent = sum((s) => s.sent);
  const notScheduled = sum((s) => s.notScheduled);
  const m: SummaryModel = {
    version: SUMMARY_VERSION,
    label: shape.label ?? 'baseline',
    startTime: shape.startTime ?? '2024-01-31T09:45:01.000Z',
    durationMs: 600_000,
    profile: shape.profile ?? 'report',
    order: 'sequential',
    target: 'http://localhost:8081',
    seed: 42,
    k6Version: '0.49.0',
    axis: 'offset',
    interrupted: false,
    gates: { successRate: 0.99, p95Ms: null, maxNotSent: null, maxLateShare: 0.01 },
    thresholds: [],
    bookkeepingThresholds: { count: 0, failed: 0 },
    scenarios,
    routes: routeResults,
    breakingPoints: [],
    totals: {
      planned: sum((s) => s.planned), sent, answered: sent - noResponse, noResponse,
      notSent: sum((s) => s.notSent), notRun: 0, notScheduled, extra: 0, statuses: {}, schedule,
      classes: { ...zeroClasses(), success: sum((s) => s.classes.success), no_response: noResponse, server_error: sum((s) => s.classes.server_error) },
      causes: withCauses ? {
        refused: sum((s) => s.causes!.refused), reset: 0, closed: 0, timeout: sum((s) => s.causes!.timeout), other: 0,
      } : null,
      latency: pool(scenarios.map((s) => s.latency)),
    },
    missingCells: { count: 0, examples: [] },
    generatorLimited: notScheduled > 0
      ? { scenarios: scenarios.filter((s) => s.notScheduled > 0).map((s) => s.name), notScheduled, droppedWithFreeVUs: 0 }
      : null,
    generator: {
      toleranceMs: LAG_TOLERANCE_MS,
      late: schedule ? schedule.late : null,
      lateShare: schedule && sent > 0 ? schedule.late / sent : null,
      maxLagMs: schedule ? schedule.maxLagMs : null,
      notSent: sum((s) => s.notSent), notScheduled, droppedWithFreeVUs: 0,
      vusBusyMax: 40, vusAllocated: 60,
    },
    ...(shape.host ? { host: shape.host } : {}),
    verdict: null as unknown as Verdict,
    warnings: [],
  };
  // As the summary writes it: the verdict from the figures above (lib/summary/verdict.ts).
  m.verdict = judge(m);
  return m;
}
