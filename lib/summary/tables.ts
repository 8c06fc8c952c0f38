// The report's tables as plain data, computed once from the model; text,
// Markdown, HTML and CSV only lay them out. Every percentage row is computed
// from summed counts (never by averaging percentages) and adds up to 100.00
// within rounding.
import { CAUSES, CLASS_LABELS, CLASSES } from '../classify.ts';
import { stepHeader, stepLabel } from './axis.ts';
import { baseOf } from './build.ts';
import { fixed, int, ms, percents, rate } from './format.ts';
import type { Latency, ScenarioResult, SummaryModel, ThresholdResult, VerdictStatus } from './model.ts';
import { LAG_TOLERANCE_MS, LATE_METRIC } from '../plan.ts';
import { GENERATOR_ADVICE } from './shortfall.ts';
import { addStatuses, statusKeys } from './statuses.ts';
import { BUSY_LIMIT } from './verdict.ts';
import { windowTables, type WindowTables } from './window-tables.ts';

export interface PctRow {
  label: string;
  counts: number[];
  base: number;
  pcts: number[];
  /** A total row (All Routes Combined). */
  total?: boolean;
}

export interface PctTable {
  title: string;
  keyHeader: string;
  columns: string[];
  rows: PctRow[];
}

export interface LatencyRow { label: string; latency: Latency | null; note?: string; total?: boolean }
export interface LatencyTable { title: string; keyHeader: string; rows: LatencyRow[] }

export const LATENCY_COLUMNS = ['Answers', 'Fastest', 'Slowest', 'Mean', 'Median', 'p90', 'p95', 'p99'];

export interface CountTable { title: string; keyHeader: string; columns: string[]; rows: Array<{ label: string; cells: string[]; total?: boolean }> }

export interface ThresholdRow {
  name: string; ok: boolean; observed: string; gate: boolean;
  /** The lag gate (GATE_LAG): junit names its case in words. */
  lag?: boolean;
}

/** Can this run be trusted? The model's verdict and its figures, first in every format. */
export interface Trust {
  status: VerdictStatus;
  /** false: a file from before the verdict (version 2): one "Not judged" line, nothing else. */
  recorded: boolean;
  headline: string;
  reasons: string[];
  meaning: string;
  advice: string;
  /** The load generator's figures as [what, value]; empty when the file has none. */
  figures: Array<[string, string]>;
  /** Scenarios that started a request late (only those); null when none did or lag was not measured. */
  late: CountTable | null;
}

/** The run's headline, the same in every format. */
export interface Verdict {
  /** NOT RUN: no planned request was sent (setup refused the run, it was stopped first, or k6 dropped all); the gates then judge nothing. */
  word: 'PASS' | 'FAIL' | 'NOT RUN' | 'NO GATES';
  ok: boolean;
  line: string;
}

export interface Tables {
  sampleSize: number;
  byCount: PctTable[];
  overall: PctTable;
  perRoute: PctTable;
  latency: LatencyTable;
  /** One per route: its scenarios' latency. */
  latencyByScenario: LatencyTable[];
  causes: CountTable | null;
  accounting: Array<[string, string]>;
  notes: string[];
  thresholds: ThresholdRow[];
  verdict: Verdict;
  trust: Trust;
  breaking: CountTable | null;
  /** Route x HTTP status, answers other than the expected status; null when none was recorded. */
  statuses: CountTable | null;
  /** The load generator, not the target, limited the run: said loudly by every renderer. */
  alert: string | null;
  /** Soak and spike: the drift or the recovery, and every window; null for other runs. */
  windows: WindowTables | null;
  /** Success % per step for each count, for the chart. */
  chart: { offsets: number[]; labels: string[]; axisTitle: string; series: Array<{ name: string; values: Array<number | null> }> };
}

/** The report's columns (+ Other), always shown; a newer class only when it occurred. */
const CORE: readonly string[] = ['success', 'no_response', 'not_found', 'server_error', 'other'];

/** Column keys in table order; `not_run` / `not_scheduled` only when they occurred. */
export function columnKeys(m: SummaryModel): string[] {
  const keys: string[] = CLASSES.filter((c) => CORE.includes(c) || m.totals.classes[c] > 0);
  keys.push('not_sent');
  if (m.totals.notScheduled > 0) keys.push('not_scheduled');
  if (m.totals.notRun > 0) keys.push('not_run');
  return keys;
}

export function columnLabel(key: string): string {
  if (key === 'not_sent') return 'Not sent';
  if (key === 'not_scheduled') return 'Not scheduled';
  if (key === 'not_run') return 'Not run';
  return CLASS_LABELS[key as keyof typeof CLASS_LABELS] ?? key;
}

/** A scenario's counts in column order; they add up to baseOf(s). */
export function cellCounts(s: ScenarioResult, keys: string[]): number[] {
  return keys.map((k) => (k === 'not_sent' ? s.notSent : k === 'not_run' ? s.notRun : k === 'not_scheduled' ? s.notScheduled
    : s.classes[k as keyof typeof s.classes] ?? 0));
}

/** The loud note when k6 fell short of its own schedule; null when it kept it. */
export function generatorAlert(m: SummaryModel): string | null {
  const g = m.generatorLimited;
  if (!g) return null;
  const parts: string[] = [];
  if (g.notScheduled > 0) parts.push(`${int(g.notScheduled)} planned request(s) were never scheduled (k6 fell behind its own schedule)`);
  if (g.droppedWithFreeVUs > 0) parts.push(`${int(g.droppedWithFreeVUs)} were dropped while VUs were free`);
  const where = g.scenarios.length <= 3 ? g.scenarios.join(', ') : `${g.scenarios.slice(0, 3).join(', ')} and ${g.scenarios.length - 3} more`;
  return `The load generator, not the target, limited this run: ${parts.join(', and ')}, in ${g.scenarios.length} scenario(s) (${where}). ` +
    `Those rows under-test the target. ${GENERATOR_ADVICE}`;
}

const pctOf = (x: number): string => `${fixed(x * 100, 2)} %`;
const msOf = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : `${int(x)} ms`);

/** The verdict and the load generator's (and the machine's) figures. */
export function trustOf(m: SummaryModel): Trust {
  const v = m.verdict;
  const g = m.generator;
  const h = m.host;
  const figures: Array<[string, string]> = [];
  if (g) {
    figures.push(
      [`Requests started over ${g.toleranceMs} ms late`, g.late === null ? 'not measured' : `${int(g.late)}${g.lateShare === null ? '' : ` (${pctOf(g.lateShare)} of sent)`}`],
      ['Worst lag', g.late === null ? 'not measured' : g.late === 0 ? 'none late' : msOf(g.maxLagMs)],
      ['Not sent (k6 dropped)', int(g.notSent)],
      ['Not scheduled (k6 fell behind)', int(g.notScheduled)],
      ['Dropped with free VUs', int(g.droppedWithFreeVUs)],
      ['VUs busy (max) / allocated', `${g.vusBusyMax === null ? 'n/a' : int(g.vusBusyMax)} / ${g.vusAllocated === null ? 'n/a' : int(g.vusAllocated)}`],
    );
  }
  if (h) {
    figures.push(
      ['k6 CPU median / peak', `${fixed(h.k6CpuMedian, 2)} / ${fixed(h.k6CpuPeak, 2)} of ${h.cores} cores`],
      ['Machine busy (median)', h.busyMedian === null ? 'n/a' : pctOf(h.busyMedian)],
      [`Samples at least ${Math.round(BUSY_LIMIT * 100)} % busy`, h.saturatedShare === null ? 'n/a' : `${pctOf(h.saturatedShare)} of ${int(h.samples.length)}`],
    );
  }
  const lateRows = m.scenarios.filter((s) => s.schedule && s.schedule.late > 0).map((s) => ({
    label: s.name,
    cells: [s.routeLabel, `${s.count} @ ${m.axis === 'rate' ? stepLabel(s.offset, 'rate') : `${s.offset} ms`}`, int(s.schedule!.late), s.sent > 0 ? pctOf(s.schedule!.late / s.sent) : 'n/a', msOf(s.schedule!.maxLagMs)],
  }));
  const late: CountTable | null = lateRows.length === 0 ? null : {
    title: `Late starts (scenarios that started requests over ${g ? g.toleranceMs : LAG_TOLERANCE_MS} ms late)`, keyHeader: 'Scenario',
    columns: ['Route', m.axis === 'rate' ? 'Count @ rate' : 'Count @ offset', 'Late', '% of sent', 'Worst lag'], rows: lateRows,
  };
  if (!v) {
    return {
      status: 'not-judged', recorded: false, reasons: [], meaning: '', advice: '', figures, late,
      headline: (m.version as number) < 3 ? 'Not judged: recorded before schedule lag was measured.' : 'Not judged: this summary carries no verdict.',
    };
  }
  return { status: v.status, recorded: true, headline: v.headline, reasons: v.reasons || [], meaning: v.meaning || '', advice: v.advice || '', figures, late };
}

function row(label: string, cells: ScenarioResult[], keys: string[], total?: boolean): PctRow {
  const counts = keys.map(() => 0);
  let base = 0;
  for (const s of cells) {
    const c = cellCounts(s, keys);
    for (let i = 0; i < c.length; i++) counts[i] += c[i]!;
    base += baseOf(s);
  }
  const r: PctRow = { label, counts, base, pcts: percents(counts, base) };
  if (total) r.total = true;
  return r;
}

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];

export function latencyCells(l: Latency | null): string[] {
  if (!l) return ['0', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a'];
  return [int(l.count), ms(l.min), ms(l.max), ms(l.mean), ms(l.median), ms(l.p90), ms(l.p95), ms(l.p99)];
}

function observed(t: ThresholdResult): string {
  if (t.observed === null) return 'not reported';
  if (t.stat === 'rate') return `${fixed(t.observed * 100, 2)} %`;
  if (t.stat === 'count') return int(t.observed);
  return /duration|waiting|blocked|connecting|sending|receiving|tls/.test(t.metric) ? `${ms(t.observed)} ms` : fixed(t.observed, 2);
}

export function buildTables(m: SummaryModel): Tables {
  const keys = columnKeys(m);
  // Version-1 files (compare, old runs) have no axis.
  const axis = m.axis ?? 'offset';
  const step = (o: number) => stepLabel(o, axis);
  const stepKey = stepHeader(axis);
  const columns = keys.map(columnLabel);
  const sc = m.scenarios;
  const offsets = uniq(sc.map((s) => s.offset));
  const counts = uniq(sc.map((s) => s.count)).sort((a, b) => a - b);
  const routes = m.routes;

  // A stress profile has one count per offset: per-count tables would be one row each.
  const oneOffsetPerCount = counts.every((c) => uniq(sc.filter((s) => s.count === c).map((s) => s.offset)).length === 1);
  const byCount: PctTable[] = counts.length > 1 && oneOffsetPerCount ? [] : counts.map((c) => ({
    title: `Request Count: ${c}`, keyHeader: stepKey, columns,
    rows: offsets.filter((o) => sc.some((s) => s.count === c && s.offset === o))
      .map((o) => row(step(o), sc.filter((s) => s.count === c && s.offset === o), keys)),
  }));
  const overall: PctTable = {
    title: 'Overall', keyHeader: stepKey, columns,
    rows: offsets.map((o) => row(step(o), sc.filter((s) => s.offset === o), keys)),
  };
  const perRoute: PctTable = {
    title: 'Per-route', keyHeader: 'Route', columns,
    rows: routes.map((r) => row(r.label, sc.filter((s) => s.route === r.route), keys)).concat(row('All Routes Combined', sc, keys, true)),
  };

  const latency: LatencyTable = {
    title: 'Response times (ms, successful answers)', keyHeader: 'Route',
    rows: routes.map((r): LatencyRow => {
      const out: LatencyRow = { label: r.label, latency: r.latency };
      if (r.latencySource === 'scenarios') out.note = 'combined from scenarios: percentiles not available';
      return out;
    }).concat(m.merged && m.merged.latency === 'approximate'
      // npm run merge without raw outputs: say so where the figures are.
      ? { label: 'All Routes Combined', latency: m.totals.latency, total: true, note: 'percentiles approximate: merged from the instances\' summaries without their raw outputs (see notes)' }
      : { label: 'All Routes Combined', latency: m.totals.latency, total: true }),
  };
  // A soak's or spike's scenarios are its windows: the windows table shows them.
  const latencyByScenario: LatencyTable[] = m.windows ? [] : routes.map((r) => ({
    title: `Response times: ${r.label} (ms)`, keyHeader: axis === 'rate' ? 'Count @ rate' : 'Count @ offset',
    rows: sc.filter((s) => s.route === r.route).map((s) => ({ label: `${s.count} @ ${axis === 'rate' ? step(s.offset) : `${s.offset} ms`}`, latency: s.latency })),
  }));

  let causes: CountTable | null = null;
  if (m.totals.causes) {
    const causeCols = CAUSES.map((c) => c[0]!.toUpperCase() + c.slice(1));
    const causeRow = (label: string, cells: ScenarioResult[], total?: boolean) => {
      const n = CAUSES.map((c) => cells.reduce((a, s) => a + (s.causes ? s.causes[c] : 0), 0));
      const noResp = cells.reduce((a, s) => a + s.classes.no_response, 0);
      return { label, cells: n.map(int).concat(int(noResp)), total };
    };
    causes = {
      title: 'No response: causes', keyHeader: 'Route', columns: causeCols.concat('No Response'),
      rows: routes.map((r) => causeRow(r.label, sc.filter((s) => s.route === r.route))).concat(causeRow('All Routes Combined', sc, true)),
    };
  }

  const t = m.totals;
  const accounting: Array<[string, string]> = [
    ['Planned', int(t.planned)],
    ['Answered (any HTTP status)', int(t.answered)],
    ['No response', int(t.noResponse)],
    ['Not sent (k6 dropped)', int(t.notSent)],
    ['Not scheduled (k6 fell behind)', int(t.notScheduled ?? 0)],
    ['Not run (stopped early)', int(t.notRun)],
  ];
  if (t.extra > 0) accounting.push(['Extra (sent beyond the plan)', int(t.extra)]);
  const notes = m.warnings.slice();
  if (m.bookkeepingThresholds.count > 0) {
    notes.push(`${m.bookkeepingThresholds.count} always-true thresholds only keep sub-metrics in k6's data; they are not gates and are not listed.`);
  }

  const thresholds: ThresholdRow[] = m.thresholds.map((th) => {
    const r: ThresholdRow = { name: `${th.metric} ${th.expression}`, ok: th.ok, observed: observed(th), gate: th.gate };
    if (th.gate && th.metric === LATE_METRIC) r.lag = true;
    return r;
  });

  let breaking: CountTable | null = null;
  if (m.breakingPoints.length > 0) {
    const gate = m.gates ? m.gates.successRate : 0.99;
    const limited = m.breakingPoints.some((b) => (b.generatorLimitedRates ?? []).length > 0);
    breaking = {
      title: `Breaking point (success >= ${fixed(gate * 100, 2)} %)`, keyHeader: 'Route',
      columns: ['Highest rate at or above the gate', 'Lowest rate below the gate']
        .concat(limited ? ['Load generator limited (not a target failure)'] : []),
      rows: m.breakingPoints.map((b) => ({
        label: b.label,
        cells: [
          b.rate === null ? 'none' : `${rate(b.rate)} req/s (${b.offset} ms)`,
          b.firstFailingRate === null ? 'none' : `${rate(b.firstFailingRate)} req/s`,
        ].concat(limited ? [(b.generatorLimitedRates ?? []).map((r) => `${rate(r)} req/s`).join(', ') || 'none'] : []),
      })),
    };
  }

  // v1 files have no statuses.
  const statusMaps = sc.map((s) => s.statuses ?? {});
  const codes = statusKeys(statusMaps);
  let statuses: CountTable | null = null;
  if (codes.length > 0) {
    const statusRow = (label: string, cells: ScenarioResult[], total?: boolean) => {
      const sum = cells.reduce((acc, s) => addStatuses(acc, s.statuses ?? {}), {} as Record<string, number>);
      return { label, cells: codes.map((c) => int(sum[c] ?? 0)), total };
    };
    statuses = {
      title: 'HTTP statuses other than the expected one (answers)', keyHeader: 'Route', columns: codes,
      rows: routes.map((r) => statusRow(r.label, sc.filter((s) => s.route === r.route))).concat(statusRow('All Routes Combined', sc, true)),
    };
  }

  const series = (oneOffsetPerCount && counts.length > 1 ? [{ name: 'all counts', cells: sc }] : counts.map((c) => ({ name: `${c} requests`, cells: sc.filter((s) => s.count === c) })))
    .map(({ name, cells }) => ({
      name,
      values: offsets.map((o) => {
        const at = cells.filter((s) => s.offset === o);
        const base = at.reduce((a, s) => a + baseOf(s), 0);
        return at.length === 0 || base === 0 ? null : (100 * at.reduce((a, s) => a + s.classes.success, 0)) / base;
      }),
    }));

  return {
    sampleSize: t.planned, byCount, overall, perRoute, latency, latencyByScenario, causes,
    accounting, notes, thresholds, verdict: verdictOf(m, thresholds), trust: trustOf(m), breaking, statuses, alert: generatorAlert(m),
    windows: windowTables(m),
    chart: {
      offsets, labels: offsets.map(step),
      axisTitle: axis === 'rate' ? 'requests per second per route (offset between requests)' : 'offset between requests (ms)',
      series,
    },
  };
}

/** PASS or FAIL by the gates, unless nothing was sent: a run that never started passes no gate. */
export function verdictOf(m: Pick<SummaryModel, 'totals'> & { setupProblem?: string | undefined }, thresholds: readonly ThresholdRow[]): Verdict {
  const t = m.totals;
  if (t.planned > 0 && t.sent === 0) {
    return {
      word: 'NOT RUN', ok: false,
      line: m.setupProblem
        ? `no planned request was sent: setup refused the run: ${m.setupProblem}`
        : t.notSent > 0
          ? `no planned request was sent: k6 dropped ${t.notSent} (no VU was free)${t.notSent < t.planned ? ' and the run stopped before the rest' : ''}`
          : 'no planned request was sent: the run stopped before its first one (see the notes)',
    };
  }
  const failed = thresholds.filter((r) => !r.ok).length;
  if (thresholds.length === 0) return { word: 'NO GATES', ok: true, line: 'no gate thresholds in this run' };
  return failed === 0
    ? { word: 'PASS', ok: true, line: `${thresholds.length} of ${thresholds.length} thresholds passed` }
    : { word: 'FAIL', ok: false, line: `${failed} of ${thresholds.length} thresholds failed` };
}
