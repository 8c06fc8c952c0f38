// Summary models -> comparison data. Pure: every renderer and the rules read
// only this. The first run is the baseline; each table row holds one cell per
// run with its difference to the baseline.
//
// Runs of different shapes are compared only on the scenarios (route x count x
// offset) every run has. When no scenario is common (e.g. smoke vs quick use
// different counts) the fallback is route x offset with the counts pooled:
// the same request rate on the same route, which is what the report's
// "Overall" table compares anyway.
import { CAUSES } from '../../lib/classify.ts';
import { stepHeader, stepLabel } from '../../lib/summary/axis.ts';
import { baseOf, combineLatency } from '../../lib/summary/build.ts';
import { percents } from '../../lib/summary/format.ts';
import type { Latency, ScenarioResult, SummaryModel, Verdict } from '../../lib/summary/model.ts';
import { judge } from '../../lib/summary/verdict.ts';

export interface Run {
  file: string;
  model: SummaryModel;
  /** The summary.json version as written, when older than the model's (read through tools/compare/upgrade.ts). */
  upgradedFrom?: number;
}

export interface Tolerance {
  /** Success / no-response changes within this many percentage points are noise. */
  pp: number;
  /** Latency changes within this many % are noise. */
  pct: number;
  /** ... or within this many ms (noise floor): a few ms is scheduling noise on a fast target. */
  ms: number;
  /** A percentile is judged only when each run has at least this many answers above it. */
  tail: number;
}
export const DEFAULT_TOLERANCE: Tolerance = { pp: 0.5, pct: 10, ms: 50, tail: 5 };

export interface RunInfo {
  /** Run label, with the start time added when two runs share a label. */
  label: string;
  file: string;
  profile: string;
  startTime: string;
  durationMs: number;
  target: string | null;
  scenarios: number;
  planned: number;
  /** Whole run, not only the compared cells: `not-sent>N` is about the run. */
  notSent: number;
  /** Whole run: planned requests k6 never scheduled (it fell behind), and those a stop cut. */
  notScheduled: number;
  notRun: number;
  /** Whether the run's figures describe the target: its own verdict (judged here for a model without one). */
  verdict: Verdict;
  /** 'baseline' for the first run, 'candidate' for the others (the gate's wording). */
  role: 'baseline' | 'candidate';
  /** k6's data had schedule lag (false: a file from before version 3, or a bundle that did not measure it). */
  lagRecorded: boolean;
  /** The version the file was written in, when compare upgraded it. */
  upgradedFrom: number | null;
}

/**
 * Runs whose figures may be the load generator's rather than the target's.
 * `not-judged` (nothing sent) is not among them: a run that sent nothing
 * failed, and the gate judges it as such.
 */
export function untrusted(v: Verdict): boolean {
  return v.status === 'generator-behind' || v.status === 'saturated';
}

/** What went wrong with an untrusted run, in the gate's and the note's words. */
export function untrustedWhat(v: Verdict): string {
  return v.status === 'saturated' ? 'the machine it ran on was saturated' : 'its load generator fell behind';
}

export interface Trust {
  /** Indices of the runs that are not trustworthy (generator-behind or saturated). */
  untrusted: number[];
  /**
   * Shown beside the deltas when a run is not trustworthy: its difference to
   * the others may be the load generator's, not the code's. null when every
   * run is trustworthy (or not judged).
   */
  note: string | null;
  /** One line repeated at each table of differences; null with `note`. */
  reminder: string | null;
}

export type Mark = 'regression' | 'improvement' | null;

export interface Cell {
  value: number | null;
  /** vs the baseline: points for rates, % change for latency; null for the baseline itself. */
  delta: number | null;
  mark: Mark;
  /** Latency that covers more than the compared cells (percentiles cannot be recombined). */
  approx?: boolean;
  /** Latency: the successful answers behind the figure. */
  n?: number;
}

export interface Row { label: string; cells: Cell[]; total?: boolean; /** Rows keyed by step: their offset (ms). */ offset?: number }

export interface Table {
  id: string;
  title: string;
  keyHeader: string;
  /** rate: % of planned, delta in points; latency: ms, delta in %. */
  kind: 'rate' | 'latency';
  better: 'higher' | 'lower';
  rows: Row[];
  /** Latency tables: the statistic shown. */
  stat?: Stat;
}

export interface LeftOut {
  run: string;
  /** Dimension values of this run that not every run has. */
  routes: string[];
  counts: number[];
  offsets: number[];
  /** Every scenario of this run left out, as "route count @ offset ms". */
  scenarios: string[];
}

export type Basis = 'scenarios' | 'route-offset' | 'none';

export interface Comparison {
  runs: RunInfo[];
  basis: Basis;
  /** Scenarios compared per run (the same cells in every run). */
  compared: number;
  leftOut: LeftOut[];
  byCount: Table[];
  overall: Table;
  perRoute: Table;
  noResponse: Table;
  /**
   * Not sent + not scheduled per route (k6's shortfall), when any run had
   * requests not scheduled. Shown, never judged: it is the load generator's.
   */
  shortfall: Table | null;
  causes: Table | null;
  latency: { median: Table; p95: Table; max: Table };
  tolerance: Tolerance;
  notes: string[];
  trust: Trust;
}

export type Stat = 'median' | 'p95' | 'max';

const QUANTILE: Record<Stat, number> = { median: 50, p95: 95, max: 100 };

/** Answers each run needs for `stat` to be judged: `tail` of them above the percentile (max: 1). */
export function answersNeeded(stat: Stat, tail: number): number {
  const q = QUANTILE[stat];
  return q === 100 ? 1 : Math.ceil((tail * 100) / (100 - q));
}

/** Whether a latency cell's change is judged at all: enough answers in both runs, and beyond the ms floor. */
export function latencyJudged(base: Cell, cell: Cell, stat: Stat, tol: Tolerance): 'few-answers' | 'floor' | true {
  const need = answersNeeded(stat, tol.tail);
  if ((base.n ?? 0) < need || (cell.n ?? 0) < need) return 'few-answers';
  if (base.value === null || cell.value === null || Math.abs(cell.value - base.value) <= tol.ms) return 'floor';
  return true;
}

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];
const round = (n: number, d: number): number => Math.round(n * 10 ** d) / 10 ** d;
const keyScenario = (s: ScenarioResult): string => `${s.route}|${s.count}|${s.offset}`;
const keyRouteOffset = (s: ScenarioResult): string => `${s.route}|${s.offset}`;

/** Labels as given; start time (then position) added only where two collide. */
export function runLabels(models: SummaryModel[]): string[] {
  const count = (xs: string[], x: string) => xs.filter((y) => y === x).length;
  const base = models.map((m) => m.label);
  const withTime = models.map((m, i) => (count(base, base[i]!) > 1 ? `${m.label} (${m.startTime})` : m.label));
  return withTime.map((l, i) => (count(withTime, l) > 1 ? `${l} #${i + 1}` : l));
}

function intersect(runs: Run[], key: (s: ScenarioResult) => string): Set<string> {
  const [first, ...rest] = runs.map((r) => new Set(r.model.scenarios.map(key)));
  return new Set([...first!].filter((k) => rest.every((s) => s.has(k))));
}

function shareOf(cells: ScenarioResult[], pick: (s: ScenarioResult) => number): number | null {
  const base = cells.reduce((a, s) => a + baseOf(s), 0);
  // percents(): the same rounding as the run's own report, so the numbers match it.
  return cells.length === 0 || base === 0 ? null : percents([cells.reduce((a, s) => a + pick(s), 0)], base)[0]!;
}

function mark(delta: number | null, tol: number, better: 'higher' | 'lower'): Mark {
  if (delta === null || Math.abs(delta) <= tol) return null;
  return (delta > 0) === (better === 'higher') ? 'improvement' : 'regression';
}

/** Baseline first; deltas from the values as printed, so the table adds up. */
function cells(values: Array<{ v: number | null; approx?: boolean; n?: number }>, kind: Table['kind'], better: Table['better'], tol: Tolerance): Cell[] {
  const b = values[0]!.v;
  const baseApprox = values[0]!.approx === true;
  return values.map(({ v, approx, n }, i) => {
    let delta: number | null = null;
    if (i > 0 && b !== null && v !== null) {
      if (kind === 'rate') delta = round(v - b, 2);
      else if (b > 0) delta = round((100 * (v - b)) / b, 1);
    }
    // An approximate figure is shown but never judged: it covers other cells.
    const judged = approx || baseApprox ? null : delta;
    const c: Cell = { value: v, delta, mark: mark(judged, kind === 'rate' ? tol.pp : tol.pct, better) };
    if (approx) c.approx = true;
    if (n !== undefined) c.n = n;
    return c;
  });
}

/** `pr (baseline)`, `pr (run 2)`: a run as the note names it. */
const runName = (r: Pick<RunInfo, 'label'>, i: number): string => `${r.label} (${i === 0 ? 'baseline' : `run ${i}`})`;

const listed = (xs: string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);

export function trustOf(runs: RunInfo[]): Trust {
  const bad = runs.map((r, i) => (untrusted(r.verdict) ? i : -1)).filter((i) => i >= 0);
  if (bad.length === 0) return { untrusted: [], note: null, reminder: null };
  const why = bad.map((i) => `${runName(runs[i]!, i)} is not: ${untrustedWhat(runs[i]!.verdict)}`).join('; ');
  const trusted = runs.map((r, i) => (r.verdict.status === 'trustworthy' ? runName(r, i) : '')).filter(Boolean);
  const names = listed(bad.map((i) => runs[i]!.label));
  const tail = `The differences involving ${names} may be the load generator's, not the code's: --fail-on does not count them against the code.`;
  const note = trusted.length > 0
    ? `Not like for like: ${listed(trusted)} ${trusted.length === 1 ? 'is' : 'are'} trustworthy, ${why}. ${tail}`
    : `No run here is trustworthy: ${why}. ${tail}`;
  const reminder = `⚠ ${names}: ${bad.length === 1 ? untrustedWhat(runs[bad[0]!]!.verdict) : 'not trustworthy'}; `
    + 'the differences below may be the load generator\'s, not the code\'s.';
  return { untrusted: bad, note, reminder };
}

const scenarioName = (s: ScenarioResult): string => `${s.routeLabel} ${s.count} @ ${s.offset} ms`;

export function compare(runs: Run[], tolerance: Tolerance = DEFAULT_TOLERANCE): Comparison {
  if (runs.length < 2) throw new Error('compare needs a baseline and at least one run');
  const models = runs.map((r) => r.model);
  const labels = runLabels(models);
  const notes: string[] = [];

  let basis: Basis = 'scenarios';
  let key = keyScenario;
  let shared = intersect(runs, key);
  if (shared.size === 0) {
    basis = 'route-offset';
    key = keyRouteOffset;
    shared = intersect(runs, key);
    if (shared.size > 0) notes.push('No scenario (route x count x offset) is in every run: compared per route and offset, all request counts of each run pooled.');
  }
  if (shared.size === 0) basis = 'none';
  const picked = models.map((m) => m.scenarios.filter((s) => shared.has(key(s))));

  // Dimension values every run has, to say *why* a scenario was left out.
  const common = <T>(f: (s: ScenarioResult) => T): Set<T> => {
    const sets = models.map((m) => new Set(m.scenarios.map(f)));
    return new Set([...sets[0]!].filter((v) => sets.every((s) => s.has(v))));
  };
  const commonRoutes = common((s) => s.route);
  const commonCounts = common((s) => s.count);
  const commonOffsets = common((s) => s.offset);
  const leftOut: LeftOut[] = [];
  models.forEach((m, i) => {
    const out = m.scenarios.filter((s) => !shared.has(key(s)));
    if (out.length === 0) return;
    leftOut.push({
      run: labels[i]!,
      routes: uniq(out.map((s) => s.routeLabel).filter((_, j) => !commonRoutes.has(out[j]!.route))),
      // Pooled by route x offset, counts are no reason to leave a cell out.
      counts: basis === 'route-offset' ? [] : uniq(out.map((s) => s.count).filter((c) => !commonCounts.has(c))).sort((a, b) => a - b),
      offsets: uniq(out.map((s) => s.offset).filter((o) => !commonOffsets.has(o))).sort((a, b) => a - b),
      scenarios: out.map(scenarioName),
    });
  });

  // Routes in the baseline's order, labelled as the baseline prints them.
  const base = models[0]!;
  const routeKeys = uniq(picked[0]!.map((s) => s.route));
  const routeOrder = base.routes.map((r) => r.route);
  routeKeys.sort((a, b) => (routeOrder.indexOf(a) + 1 || 1e9) - (routeOrder.indexOf(b) + 1 || 1e9));
  const routeLabel = (r: string) => base.routes.find((x) => x.route === r)?.label ?? picked[0]!.find((s) => s.route === r)?.routeLabel ?? r;
  const offsets = uniq(picked[0]!.map((s) => s.offset)).sort((a, b) => a - b);
  const counts = uniq(picked[0]!.map((s) => s.count)).sort((a, b) => a - b);

  const rateTable = (id: string, title: string, keyHeader: string, better: Table['better'],
    rowDefs: Array<{ label: string; total?: boolean; offset?: number; filter: (s: ScenarioResult) => boolean }>,
    pick: (s: ScenarioResult) => number): Table => ({
    id, title, keyHeader, kind: 'rate', better,
    rows: rowDefs.map((d) => {
      const r: Row = { label: d.label, cells: cells(picked.map((p) => ({ v: shareOf(p.filter(d.filter), pick) })), 'rate', better, tolerance) };
      if (d.total) r.total = true;
      if (d.offset !== undefined) r.offset = d.offset;
      return r;
    }),
  });

  const success = (s: ScenarioResult) => s.classes.success;
  const routeRows = [
    ...routeKeys.map((r) => ({ label: routeLabel(r), filter: (s: ScenarioResult) => s.route === r })),
    { label: 'All Routes Combined', total: true, filter: () => true },
  ];
  // A rate sweep (the baseline's axis) reads by rate, offset in brackets.
  const axis = base.axis ?? 'offset';
  const offsetRows = (extra: (s: ScenarioResult) => boolean) => offsets
    .filter((o) => picked[0]!.some((s) => s.offset === o && extra(s)))
    .map((o) => ({ label: stepLabel(o, axis), offset: o, filter: (s: ScenarioResult) => s.offset === o && extra(s) }));

  // As in the report; skipped for a stress run (one offset per count: one row each).
  const oneOffsetPerCount = counts.every((c) => uniq(picked[0]!.filter((s) => s.count === c).map((s) => s.offset)).length === 1);
  const byCount = basis !== 'scenarios' || (counts.length > 1 && oneOffsetPerCount) ? [] : counts.map((c) =>
    rateTable(`count-${c}`, `Request Count: ${c}`, stepHeader(axis), 'higher', offsetRows((s) => s.count === c), success));
  const overall = rateTable('overall', 'Overall', stepHeader(axis), 'higher', offsetRows(() => true), success);
  const perRoute = rateTable('per-route', 'Per-route', 'Route', 'higher', routeRows, success);
  const noResponse = rateTable('no-response', 'No response per route', 'Route', 'lower', routeRows, (s) => s.classes.no_response);
  const shortfall = models.some((m) => (m.totals.notScheduled ?? 0) > 0)
    ? rateTable('shortfall', 'Not sent + not scheduled per route (the load generator\'s shortfall, not judged)', 'Route', 'lower', routeRows,
      (s) => s.notSent + (s.notScheduled ?? 0))
    : null;
  // Shown, never judged: a load generator that fell behind is no target regression.
  if (shortfall) for (const r of shortfall.rows) for (const x of r.cells) x.mark = null;

  // Causes only over scenarios that recorded them; a run without any shows n/a.
  const anyCauses = picked.some((p) => p.some((s) => s.causes !== null));
  const causes: Table | null = !anyCauses ? null : {
    id: 'causes', title: 'No response: causes (all routes)', keyHeader: 'Cause', kind: 'rate', better: 'lower',
    rows: CAUSES.map((c) => ({
      label: c[0]!.toUpperCase() + c.slice(1),
      cells: cells(picked.map((p) => {
        const withCauses = p.filter((s) => s.causes !== null);
        return { v: shareOf(withCauses, (s) => s.causes![c]) };
      }), 'rate', 'lower', tolerance),
    })),
  };

  // Latency: k6's per-route / overall trend is exact only when every cell of
  // the run is compared; otherwise recombine the compared scenarios (exact for
  // max, and for percentiles of a single scenario) and fall back to the
  // whole-route figure, marked approximate, when a percentile cannot be.
  const latencyOf = (i: number, route: string | null, stat: Stat): { v: number | null; approx?: boolean; n?: number } => {
    const m = models[i]!;
    const all = route === null ? m.scenarios : m.scenarios.filter((s) => s.route === route);
    const sel = route === null ? picked[i]! : picked[i]!.filter((s) => s.route === route);
    const whole: Latency | null = route === null ? m.totals.latency : m.routes.find((r) => r.route === route)?.latency ?? null;
    const combined = combineLatency(sel.map((s) => s.latency));
    if (sel.length === all.length) {
      const l = whole ?? combined;
      return l ? { v: l[stat], n: l.count } : { v: null };
    }
    if (sel.length === 0 || !combined) return { v: null };
    const v = combined[stat];
    if (v !== null) return { v, n: combined.count };
    const w = whole?.[stat] ?? null;
    return w === null ? { v: null } : { v: w, approx: true };
  };
  const latencyTable = (stat: Stat, title: string): Table => ({
    id: `latency-${stat}`, title, keyHeader: 'Route', kind: 'latency', better: 'lower', stat,
    rows: [...routeKeys.map((r) => ({ label: routeLabel(r), route: r as string | null })), { label: 'All Routes Combined', route: null, total: true }]
      .map((d) => {
        const r: Row = { label: d.label, cells: cells(models.map((_, i) => latencyOf(i, d.route, stat)), 'latency', 'lower', tolerance) };
        // Marked only beyond the noise floor, and when both runs have enough answers.
        for (const x of r.cells.slice(1)) if (x.mark && latencyJudged(r.cells[0]!, x, stat, tolerance) !== true) x.mark = null;
        if ('total' in d) r.total = true;
        return r;
      }),
  });
  const latency = { median: latencyTable('median', 'Median'), p95: latencyTable('p95', 'p95'), max: latencyTable('max', 'Max') };

  const profiles = uniq(models.map((m) => m.profile));
  if (profiles.length > 1) notes.push(`Profiles differ (${models.map((m, i) => `${labels[i]}: ${m.profile}`).join(', ')}): only the cells every run has are compared.`);
  const targets = uniq(models.map((m) => m.target ?? 'unknown'));
  if (targets.length > 1) notes.push(`Targets differ: ${models.map((m, i) => `${labels[i]}: ${m.target ?? 'unknown'}`).join(', ')}.`);
  models.forEach((m, i) => {
    if (m.missingCells.count > 0) notes.push(`${labels[i]}: ${m.missingCells.count} cells were missing from k6's data and counted as 0.`);
    if (m.totals.notRun > 0) notes.push(`${labels[i]}: ${m.totals.notRun} requests not run (stopped early); they count against success.`);
    if ((m.totals.notScheduled ?? 0) > 0) {
      notes.push(`${labels[i]}: ${m.totals.notScheduled} requests not scheduled (k6 fell behind its own schedule): the load generator, not the target, limited that run; they count against success.`);
    }
  });

  const infos: RunInfo[] = models.map((m, i) => ({
    label: labels[i]!, file: runs[i]!.file, profile: m.profile, startTime: m.startTime, durationMs: m.durationMs, target: m.target,
    scenarios: m.scenarios.length, planned: m.totals.planned, notSent: m.totals.notSent,
    notScheduled: m.totals.notScheduled ?? 0, notRun: m.totals.notRun,
    verdict: m.verdict ?? judge(m),
    role: i === 0 ? 'baseline' : 'candidate',
    lagRecorded: m.generator !== undefined && m.generator.late !== null,
    upgradedFrom: runs[i]!.upgradedFrom ?? null,
  }));
  return {
    runs: infos,
    basis, compared: picked[0]!.length, leftOut, byCount, overall, perRoute, noResponse, shortfall, causes, latency, tolerance, notes,
    trust: trustOf(infos),
  };
}

/** Every table with a delta, in reading order (for counting regressions). */
export function allTables(c: Comparison): Table[] {
  return [c.perRoute, c.overall, ...c.byCount, c.noResponse, ...(c.causes ? [c.causes] : []), c.latency.median, c.latency.p95, c.latency.max];
}

export function regressions(c: Comparison): number {
  return allTables(c).reduce((a, t) => a + t.rows.reduce((b, r) => b + r.cells.filter((x) => x.mark === 'regression').length, 0), 0);
}
