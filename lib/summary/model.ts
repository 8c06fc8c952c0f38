// The summary model: the one machine-readable result of a run
// (summary.json, schema data/schemas/summary.schema.json). Every renderer
// reads only this; tools (compare) read only the JSON. Bump SUMMARY_VERSION
// when a field changes meaning or goes away.
import type { NoResponseCause, ResponseClass } from '../classify.ts';

/**
 * 2: `notRun` counts only requests cut by a stopped run; what k6 never
 * scheduled on a run that lasted its full time is `notScheduled`; `statuses`,
 * `axis`, `interrupted`, `generatorLimited` added. tools/compare reads 1 too.
 */
export const SUMMARY_VERSION = 2;

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
  gates: { successRate: number; p95Ms: number | null; maxNotSent: number | null } | null;
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
}

export interface SegmentInfo {
  /** `from:to` as k6 normalises it, e.g. `1/2:1`. */
  segment: string;
  /** The full sequence the shares were cut from, e.g. `0,1/2,1`. */
  sequence: string;
}

export interface MergeInfo {
  /** One per merged summary, in segment order. */
  instances: Array<SegmentInfo & { file: string; planned: number; startTime: string; durationMs: number }>;
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
