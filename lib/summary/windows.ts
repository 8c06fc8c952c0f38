// Soak and spike runs read window by window (lib/windows.ts): each window's
// figures per route, then the drift of a soak and the recovery of a spike.
// Pure: the rules below are what tests check on synthetic and recorded data.
import { parseScenarioName, type PlannedScenario, type Plan } from '../plan.ts';
import { routeByKey } from '../routes.ts';
import type { WindowShape } from '../windows.ts';

type SpikeShape = Extract<WindowShape, { kind: 'spike' }>;
import { baseOf } from './build.ts';
import { median } from './verdict.ts';
import type { Drift, DriftFigure, RouteDrift, RouteSpike, ScenarioResult, SpikePhase, SpikeResult, WindowRow, WindowsResult } from './model.ts';

/** Fewer windows than this per route: too few to tell drift from noise. */
export const DRIFT_MIN_WINDOWS = 6;
/** Degrading: the late p95 at least this many times the early one ... */
export const DRIFT_P95_RATIO = 1.2;
/** ... and at least this many ms above it (2 ms -> 3 ms is not a finding). */
export const DRIFT_P95_MIN_MS = 5;
/** Degrading: the late success share at least this far below the early one (1 point: the gate's own margin). */
export const DRIFT_SUCCESS_DROP = 0.01;
/** A spike's band: the base windows' worst p95 x this, and at least this many ms over it. */
export const BAND_P95_RATIO = 1.25;
export const BAND_P95_MIN_MS = 10;
/** A recovery must hold this many windows in a row (or to the end): one lucky window between bad ones is none. */
export const RECOVERY_HOLD = 2;

/** What a window row needs besides its scenario's result. */
type Slot = Pick<WindowRow, 'window' | 'phase' | 'route' | 'startMs' | 'lengthMs' | 'offset'>;

function rowOf(slot: Slot, s: ScenarioResult): WindowRow {
  const base = baseOf(s);
  return {
    ...slot, planned: s.planned, sent: s.sent, notSent: s.notSent,
    successRate: base > 0 ? s.classes.success / base : null,
    classes: { ...s.classes },
    p50: s.latency ? s.latency.median : null,
    p95: s.latency ? s.latency.p95 : null,
  };
}

/** The window rows of a windowed plan; scenarios[i] is plan.scenarios[i]'s result. */
export function windowRows(plan: Plan, scenarios: ScenarioResult[]): WindowRow[] {
  const rows: WindowRow[] = [];
  plan.scenarios.forEach((p: PlannedScenario, i) => {
    const s = scenarios[i];
    if (!s || p.window === undefined || p.phase === undefined) return;
    rows.push(rowOf({ window: p.window, phase: p.phase, route: p.route, startMs: p.startMs, lengthMs: Math.round(p.count * p.offset), offset: p.offset }, s));
  });
  return rows;
}

const byRoute = (rows: WindowRow[]): Map<string, WindowRow[]> => {
  const m = new Map<string, WindowRow[]>();
  for (const r of rows) m.set(r.route, [...(m.get(r.route) ?? []), r]);
  for (const list of m.values()) list.sort((a, b) => a.window - b.window);
  return m;
};
const numbers = (xs: Array<number | null>): number[] => xs.filter((x): x is number => x !== null && Number.isFinite(x));
const label = (route: string): string => routeByKey(route)?.label ?? route;

/**
 * Early against late: the median of the first third of the windows against
 * the median of the last third. A median of 10 windows (a 30-window soak)
 * ignores up to 4 noisy ones in each third, so one window shaped by a GC
 * pause or a neighbour's backup cannot make a drift. Per hour: the change
 * over the time between the thirds' middles.
 */
function figure(rows: WindowRow[], pick: (r: WindowRow) => number | null): DriftFigure {
  const third = Math.max(2, Math.floor(rows.length / 3));
  const first = rows.slice(0, third);
  const last = rows.slice(rows.length - third);
  const early = median(numbers(first.map(pick)));
  const late = median(numbers(last.map(pick)));
  const mid = (rs: WindowRow[]): number => (rs[0]!.startMs + rs[rs.length - 1]!.startMs + rs[rs.length - 1]!.lengthMs) / 2;
  const hours = (mid(last) - mid(first)) / 3_600_000;
  const change = early === null || late === null ? null : late - early;
  return { early, late, change, perHour: change === null || !(hours > 0) ? null : change / hours };
}

export function routeDrift(route: string, rows: WindowRow[]): RouteDrift {
  const p95 = figure(rows, (r) => r.p95);
  const success = figure(rows, (r) => r.successRate);
  const out: RouteDrift = { route, label: label(route), windows: rows.length, status: 'stable', p95, success, reasons: [] };
  if (rows.length < DRIFT_MIN_WINDOWS) {
    out.status = 'too-short';
    out.reasons.push(`${rows.length} window(s): at least ${DRIFT_MIN_WINDOWS} are needed to tell a drift from noise`);
    return out;
  }
  if (p95.early !== null && p95.late !== null && p95.late >= p95.early * DRIFT_P95_RATIO && p95.late - p95.early >= DRIFT_P95_MIN_MS) {
    out.status = 'degrading';
    out.reasons.push(`p95 rose from ${ms(p95.early)} to ${ms(p95.late)} (${signed(p95.perHour, ' ms')} per hour)`);
  }
  if (success.early !== null && success.late !== null && success.early - success.late >= DRIFT_SUCCESS_DROP) {
    out.status = 'degrading';
    out.reasons.push(`success fell from ${pct(success.early)} to ${pct(success.late)} (${signed(success.perHour === null ? null : success.perHour * 100, ' points')} per hour)`);
  }
  if (p95.late === null && p95.early !== null) {
    out.status = 'degrading';
    out.reasons.push('no successful answer in the late windows');
  }
  return out;
}

/** A soak's drift: each route's, and the run's (degrading when any route is). */
export function drift(rows: WindowRow[]): Drift {
  const routes = [...byRoute(rows)].map(([route, rs]) => routeDrift(route, rs));
  const status = routes.some((r) => r.status === 'degrading') ? 'degrading' : routes.some((r) => r.status === 'too-short') || routes.length === 0 ? 'too-short' : 'stable';
  const bad = routes.filter((r) => r.status === 'degrading');
  const headline = status === 'degrading'
    ? `Degrading: ${bad.map((r) => `${r.label}: ${r.reasons.join('; ')}`).join('. ')}.`
    : status === 'stable'
      ? `Stable: the late third of the windows kept the early third's p95 (within ${Math.round((DRIFT_P95_RATIO - 1) * 100)} % or ${DRIFT_P95_MIN_MS} ms) and success (within ${DRIFT_SUCCESS_DROP * 100} point) on every route.`
      : `Too short to judge a drift: ${routes[0]?.reasons[0] ?? 'no windows'}.`;
  return { status, routes, headline };
}

function phaseOf(rows: WindowRow[]): SpikePhase {
  const planned = rows.reduce((a, r) => a + r.planned, 0);
  const success = rows.reduce((a, r) => a + r.classes.success, 0);
  const base = rows.reduce((a, r) => a + Math.max(r.planned, r.sent + r.notSent), 0);
  const p95s = numbers(rows.map((r) => r.p95));
  return {
    windows: rows.length, planned, successRate: base > 0 ? success / base : null,
    p95Median: median(p95s), p95Max: p95s.length ? Math.max(...p95s) : null,
  };
}

const inBand = (r: WindowRow, band: RouteSpike['band']): boolean =>
  r.successRate !== null && r.p95 !== null && r.successRate >= band.successMin && (band.p95Max === null || r.p95 <= band.p95Max);

/**
 * One route's spike. The band is the base windows' (the first left out when
 * there are three or more: it warms connections up): success at least their
 * lowest less 1 point, p95 at most their highest x 1.25 (and 10 ms over it).
 * Recovered: from the first after-window that is in the band and stays in
 * it RECOVERY_HOLD windows (or to the end); the time is that window's end
 * less the spike's end, an upper bound at the windows' resolution.
 */
export function routeSpike(route: string, rows: WindowRow[]): RouteSpike {
  const baseRows = rows.filter((r) => r.phase === 'base');
  const ref = baseRows.length >= 3 ? baseRows.slice(1) : baseRows;
  const spikeRows = rows.filter((r) => r.phase === 'spike');
  const after = rows.filter((r) => r.phase === 'after');
  const refP95 = numbers(ref.map((r) => r.p95));
  const refSuccess = numbers(ref.map((r) => r.successRate));
  const worst = refP95.length ? Math.max(...refP95) : null;
  const band = {
    successMin: refSuccess.length ? Math.max(0, Math.min(...refSuccess) - DRIFT_SUCCESS_DROP) : 0,
    p95Max: worst === null ? null : Math.max(worst * BAND_P95_RATIO, worst + BAND_P95_MIN_MS),
  };
  const spikeEnd = spikeRows.length ? Math.max(...spikeRows.map((r) => r.startMs + r.lengthMs)) : 0;
  const left = spikeRows.some((r) => !inBand(r, band)) || after.some((r) => !inBand(r, band));
  let recoveredAfterMs: number | null = null;
  for (let i = 0; i < after.length; i++) {
    const hold = after.slice(i, i + RECOVERY_HOLD);
    if (hold.every((r) => inBand(r, band))) {
      recoveredAfterMs = after[i]!.startMs + after[i]!.lengthMs - spikeEnd;
      break;
    }
  }
  return {
    route, label: label(route), band, base: phaseOf(baseRows), spike: phaseOf(spikeRows), after: phaseOf(after),
    leftBand: left, recoveredAfterMs, afterMs: after.reduce((a, r) => a + r.lengthMs, 0),
  };
}

export function spike(rows: WindowRow[], shape: SpikeShape, windowMs: number): SpikeResult {
  const routes = [...byRoute(rows)].map(([route, rs]) => routeSpike(route, rs));
  const recovered = routes.every((r) => r.recoveredAfterMs !== null);
  const recoveredAfterMs = recovered && routes.length ? Math.max(...routes.map((r) => r.recoveredAfterMs!)) : null;
  const afterMs = routes.length ? Math.max(...routes.map((r) => r.afterMs)) : 0;
  const spikeRate = `${fmt(shape.rate * shape.factor)}/s per route for ${fmt(shape.spikeMs / 1000)} s (${fmt(shape.factor)} x the base ${fmt(shape.rate)}/s)`;
  const headline = !routes.some((r) => r.leftBand)
    ? `The spike (${spikeRate}) did not push any route out of its base band.`
    : recovered
      ? `Recovered within ${fmt(recoveredAfterMs! / 1000)} s of the spike's end (${spikeRate}; windows of ${fmt(windowMs / 1000)} s, so this is an upper bound).`
      : `Did not recover within the ${fmt(afterMs / 1000)} s after the spike (${spikeRate}): ${routes.filter((r) => r.recoveredAfterMs === null).map((r) => r.label).join(', ')} stayed out of the base band.`;
  return { ...shape, windowMs, routes, recovered, recoveredAfterMs, headline };
}

/** A soak's rows judged for drift; a spike's (its shape given) for recovery. */
function judgeRows(rows: WindowRow[], spikeShape: SpikeShape | null): WindowsResult {
  const lengths = rows.filter((r) => r.phase !== 'spike').map((r) => r.lengthMs);
  const windowMs = lengths.length ? Math.max(...lengths) : 0;
  return spikeShape === null
    ? { kind: 'soak', windowMs, rows, drift: drift(rows) }
    : { kind: 'spike', windowMs, rows, spike: spike(rows, spikeShape, windowMs) };
}

/** The windows section of a soak or spike summary; null for other plans. */
export function windowsResult(plan: Plan | null, scenarios: ScenarioResult[]): WindowsResult | null {
  if (!plan || !plan.windows) return null;
  return judgeRows(windowRows(plan, scenarios), plan.windows.kind === 'spike' ? plan.windows : null);
}

/**
 * The same windows judged again on other results of the same scenarios
 * (npm run merge adds the instances' counts): each row keeps its slot, and
 * takes its figures from the scenario of its route and window.
 */
export function rejudgeWindows(w: WindowsResult, scenarios: ScenarioResult[]): WindowsResult {
  const byKey = new Map<string, ScenarioResult>();
  for (const s of scenarios) {
    const n = parseScenarioName(s.name);
    if (n && n.window !== null) byKey.set(`${n.route}|${n.window}`, s);
  }
  const rows = w.rows.flatMap((r) => {
    const s = byKey.get(`${r.route}|${r.window}`);
    return s ? [rowOf(r, s)] : [];
  });
  return judgeRows(rows, w.kind === 'soak' ? null : { kind: 'spike', rate: w.spike.rate, factor: w.spike.factor, spikeMs: w.spike.spikeMs });
}

const fmt = (n: number): string => String(Math.round(n * 10) / 10);
const ms = (n: number): string => `${n >= 100 ? Math.round(n) : Math.round(n * 10) / 10} ms`;
const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
const signed = (n: number | null, unit: string): string => (n === null ? 'n/a' : `${n >= 0 ? '+' : ''}${Math.round(n * 10) / 10}${unit}`);
