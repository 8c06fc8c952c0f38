// The summary model: the one machine-readable result of a run
// (summary.json, schema data/schemas/summary.schema.json). Every renderer
// reads only this; tools (compare) read only the JSON. Bump SUMMARY_VERSION
// when a field changes meaning or goes away.
import type { NoResponseCause, ResponseClass } from '../classify.ts';
import type { Phase } from '../windows.ts';

/**
 * 2: `notRun` counts only requests cut by a stopped run; what k6 never
 * scheduled on a run that lasted its full time is `notScheduled`; `statuses`,
 * `axis`, `interrupted`, `generatorLimited` added.
 * 3: `schedule` per scenario and in the totals, `generator`, `host`,
 * `verdict` (can the run be trusted?); gates carry `maxLateShare`.
 * 4: `windows` (soak and spike: figures per time window, drift, recovery).
 * tools/compare reads 1 to 3 too.
 */
export const SUMMARY_VERSION = 4;

export type ClassCounts = Record<ResponseClass, number>;
export type CauseCounts = Record<NoResponseCause, number>;

/** Latency of successful answers, ms. A stat is null when k6 did not report it (--summary-trend-stats). */
export interface Latency {
  count: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  median: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
}

/** Where every planned request went: the same accounting for a scenario and for the run. */
export interface Accounting {
  planned: number;
  /** Requests that got an outcome (sum of the class counts). */
  sent: number;
  /** k6 dropped_iterations: no VU free, never sent. */
  notSent: number;
  /** Planned but neither sent nor dropped, in a scenario the stopped run cut (Ctrl-C, abort). */
  notRun: number;
  /**
   * Planned but neither sent nor dropped although the run lasted past the
   * scenario's end: k6 fell behind its own schedule (CPU-starved), and its
   * dropped_iterations does not count those ticks.
   */
  notScheduled: number;
  /** sent + notSent - planned when positive: k6 started more iterations than planned. */
  extra: number;
  classes: ClassCounts;
  /** null when the data had no cause sub-metrics (for this scenario, or for any). */
  causes: CauseCounts | null;
  /**
   * Latency of answers with the expected status (successes, and invalid
   * bodies when validating: k6 times answers by status); null when none arrived.
   */
  latency: Latency | null;
  /** Answers per HTTP status other than the expected one and 0, e.g. {"404": 9, "405": 40}. */
  statuses: Record<string, number>;
  /** How late k6 started the requests; null when k6's data had no lag metrics (recorded before version 3). */
  schedule: Schedule | null;
}

/** Schedule lag: how late k6 started requests against their planned arrival. */
export interface Schedule {
  /** Requests started more than the tolerance (generator.toleranceMs) after their planned arrival. */
  late: number;
  /** The latest start, ms after its planned arrival; null when no request was late. */
  maxLagMs: number | null;
}

export interface ScenarioResult extends Accounting {
  name: string;
  /** Route key (query, id, ref) and its label as the report prints it. */
  route: string;
  routeLabel: string;
  count: number;
  /** Spacing between requests, ms; rate = 1000 / offset requests/s. */
  offset: number;
}

export interface RouteResult {
  route: string;
  label: string;
  /** From k6's per-route trend; when that was missing, combined from the scenarios (percentiles null). */
  latency: Latency | null;
  latencySource: 'k6' | 'scenarios' | 'none';
}

export interface ThresholdResult {
  /** k6 metric name as in options.thresholds, e.g. `http_req_duration{expected_response:true}`. */
  metric: string;
  expression: string;
  ok: boolean;
  /** The value the expression tests (values[stat]); null when k6 did not report it. */
  stat: string | null;
  observed: number | null;
  /** One of the profile's pass/fail gates (as opposed to a user-added threshold). */
  gate: boolean;
}

export interface BreakingPoint {
  route: string;
  label: string;
  /** Highest rate (requests/s) whose success share stayed >= the gate; null if none did. */
  rate: number | null;
  offset: number | null;
  /** Lowest rate that fell below the gate; null if none did. */
  firstFailingRate: number | null;
  /**
   * Rates whose failures were mostly not sent or not scheduled: the load
   * generator failed there, not the target, so they decide neither field above.
   */
  generatorLimitedRates: number[];
}

/** Where the load generator, not the target, limited the run. */
export interface GeneratorLimit {
  /** Scenarios with requests not scheduled, or dropped while VUs were free. */
  scenarios: string[];
  notScheduled: number;
  /** Dropped (not sent) in those scenarios while VUs were free. */
  droppedWithFreeVUs: number;
}

/** The run's accounting; its latency is k6's http_req_duration{expected_response:true}. */
export interface Totals extends Accounting {
  /** Requests with any HTTP status (sent - no response). */
  answered: number;
  noResponse: number;
}

export interface SummaryModel {
  version: typeof SUMMARY_VERSION;
  label: string;
  /** ISO 8601, UTC: handleSummary time minus k6's testRunDurationMs. */
  startTime: string;
  durationMs: number;
  profile: string;
  order: string | null;
  /** Base URL without userinfo. */
  target: string | null;
  seed: number | null;
  k6Version: string | null;
  /**
   * How rows and charts are labelled: `rate` (req/s, offset in brackets) for
   * a rate sweep (steps of equal length at different spacings: stress),
   * `offset` (ms, as the report printed them) otherwise.
   */
  axis: 'rate' | 'offset';
  /** The run stopped before the plan's last arrival (Ctrl-C, abort); null: k6 reported no duration. */
  interrupted: boolean | null;
  gates: { successRate: number; p95Ms: number | null; maxNotSent: number | null; maxLateShare?: number | null } | null;
  thresholds: ThresholdResult[];
  /** Always-true thresholds the suite adds only so sub-metrics appear; counted, not listed. */
  bookkeepingThresholds: { count: number; failed: number };
  scenarios: ScenarioResult[];
  routes: RouteResult[];
  breakingPoints: BreakingPoint[];
  totals: Totals;
  /** Cells (sub-metrics) the plan needs that k6's data lacked; counted as 0. */
  missingCells: { count: number; examples: string[] };
  /** null when the load generator kept its schedule. */
  generatorLimited: GeneratorLimit | null;
  /** What k6 says of its own health: lag, drops, VUs. Absent in files before version 3. */
  generator?: GeneratorHealth;
  /** The machine k6 ran on, sampled each second by the Node command that started k6; absent under a bare k6 run. */
  host?: HostHealth;
  /** Whether the figures describe the target; every format shows it first. Absent in files before version 3. */
  verdict?: Verdict;
  warnings: string[];
  /**
   * The first schema problem each VU saw per route (VALIDATE=true): the
   * route's label, the problem, and how many VUs reported it. Optional in
   * version-1 files.
   */
  invalidBodies?: InvalidBody[];
  /** Why setup refused the run (a failed preflight): then no planned request was sent. Absent otherwise. */
  setupProblem?: string;
  /**
   * The share of a distributed test this instance ran (k6 execution
   * segments): planned counts are this segment's iterations. Absent when the
   * instance ran the whole test.
   */
  segment?: SegmentInfo;
  /** Present in a summary `npm run merge` made from several instances. */
  merged?: MergeInfo;
  /** Soak and spike (lib/windows.ts): each time window per route, and the drift or the recovery. Absent for other profiles. */
  windows?: WindowsResult;
}

/** One route in one time window of a soak or spike. */
export interface WindowRow {
  /** 0-based, in time order. */
  window: number;
  phase: Phase;
  route: string;
  /** From the run's first planned arrival, ms. */
  startMs: number;
  lengthMs: number;
  offset: number;
  planned: number;
  sent: number;
  notSent: number;
  /** Successes / planned (or accounted, when more); null when nothing was planned. */
  successRate: number | null;
  classes: ClassCounts;
  /** Of the window's successful answers, ms; null when none. */
  p50: number | null;
  p95: number | null;
}

/** Early (median of the first third of the windows) against late (of the last third). */
export interface DriftFigure {
  early: number | null;
  late: number | null;
  change: number | null;
  /** The change per hour between the thirds' middles. */
  perHour: number | null;
}

export type DriftStatus = 'stable' | 'degrading' | 'too-short';

export interface RouteDrift {
  route: string;
  label: string;
  windows: number;
  status: DriftStatus;
  p95: DriftFigure;
  /** Shares 0..1. */
  success: DriftFigure;
  reasons: string[];
}

export interface Drift {
  status: DriftStatus;
  routes: RouteDrift[];
  headline: string;
}

export interface SpikePhase {
  windows: number;
  planned: number;
  successRate: number | null;
  /** Median and highest of the phase's window p95s (a p95 of the whole phase is not recorded). */
  p95Median: number | null;
  p95Max: number | null;
}

export interface RouteSpike {
  route: string;
  label: string;
  /** A window is back when success >= successMin and p95 <= p95Max. */
  band: { successMin: number; p95Max: number | null };
  base: SpikePhase;
  spike: SpikePhase;
  after: SpikePhase;
  /** The spike or a window after it left the band. */
  leftBand: boolean;
  /** From the spike's end to the end of the first window back in the band (and staying); null: not within the run. */
  recoveredAfterMs: number | null;
  afterMs: number;
}

export interface SpikeResult {
  kind: 'spike';
  /** The base rate, requests/s per route. */
  rate: number;
  factor: number;
  spikeMs: number;
  windowMs: number;
  routes: RouteSpike[];
  recovered: boolean;
  /** The slowest route's recovery; null when any route did not recover. */
  recoveredAfterMs: number | null;
  headline: string;
}

export type WindowsResult =
  | { kind: 'soak'; windowMs: number; rows: WindowRow[]; drift: Drift }
  | { kind: 'spike'; windowMs: number; rows: WindowRow[]; spike: SpikeResult };

export interface SegmentInfo {
  /** `from:to` as k6 normalises it, e.g. `1/2:1`. */
  segment: string;
  /** The full sequence the shares were cut from, e.g. `0,1/2,1`. */
  sequence: string;
}

export interface MergeInfo {
  /** One per merged summary, in segment order. */
  /** Each instance's own verdict and machine, when it had them. */
  instances: Array<SegmentInfo & { file: string; planned: number; startTime: string; durationMs: number; verdict?: Verdict; host?: HostHealth }>;
  /** exact: percentiles from the instances' raw samples; approximate: combined from their summaries. */
  latency: 'exact' | 'approximate';
  /** How latency was combined, in words (shown wherever latency is). */
  latencyMethod: string;
}

export interface InvalidBody {
  route: string;
  problem: string;
  vus: number;
}

export interface GeneratorHealth {
  /** A request started later than this after its planned arrival counts as late (lib/plan.ts LAG_TOLERANCE_MS). */
  toleranceMs: number;
  /** Requests started late; null when k6's data had no lag metrics. */
  late: number | null;
  /** late / sent; null when unknown or nothing was sent. */
  lateShare: number | null;
  maxLagMs: number | null;
  notSent: number;
  notScheduled: number;
  /** Dropped while VUs were free (lib/summary/shortfall.ts): k6's fault, not the plan's VUs. */
  droppedWithFreeVUs: number;
  /** Most VUs busy at one k6 sample (k6's `vus` max, sampled each second); null when absent. */
  vusBusyMax: number | null;
  /** VUs k6 allocated (its `vus_max`); the plan pre-allocates every VU it needs. */
  vusAllocated: number | null;
}

/** One second of the machine while k6 ran. */
export interface HostSample {
  /** Seconds since k6 started. */
  t: number;
  /** k6's CPU (user + system of all its threads), in cores. */
  k6Cpu: number | null;
  /** The whole machine's busy share of all cores, 0..1 (/proc/stat). */
  busy: number | null;
  /** 1-minute load average. */
  load1: number | null;
}

export interface HostHealth {
  cores: number;
  intervalMs: number;
  /** One per interval; at most HOST_MAX_SAMPLES (evenly thinned beyond). */
  samples: HostSample[];
  k6CpuMedian: number | null;
  k6CpuPeak: number | null;
  busyMedian: number | null;
  /** Share of samples where the machine was at least 90 % busy. */
  saturatedShare: number | null;
}

export type VerdictStatus = 'trustworthy' | 'generator-behind' | 'saturated' | 'not-judged';

export interface Verdict {
  status: VerdictStatus;
  /** One line: what the run's numbers are worth. */
  headline: string;
  /** The figures behind it. */
  reasons: string[];
  /** What it means for the tables; '' when trustworthy. */
  meaning: string;
  /** The one thing to do about it; '' when trustworthy. */
  advice: string;
}
