// The kinds of run the suite knows. Pure data: no k6 import.
// Env variables may override any field (see config.ts).

import type { WindowShape } from './windows.ts';

export type Order = 'sequential' | 'parallel-routes';

export interface Gates {
  /** Share of checks that must pass, 0..1 (the report: below ~99 % "shouldn't be considered good"). */
  successRate: number;
  /** p95 of successful responses must stay below this (ms); null: no gate. */
  p95Ms: number | null;
  /** At most this many requests not sent (k6 dropped iterations); null: no gate. */
  maxNotSent: number | null;
  /**
   * At most this share (0..1) of the planned requests may start later than
   * LAG_TOLERANCE_MS after their planned arrival (lib/plan.ts); null: no gate.
   * A run past it measured the load generator, not the target.
   */
  maxLateShare: number | null;
}

export interface Profile {
  name: string;
  description: string;
  routes: string[];
  /** Requests per scenario. Ignored when `stepMs` is set. */
  counts: number[];
  /** Spacing between requests, ms (the report's "offset"). */
  offsets: number[];
  /** Stress: each offset runs for this long; count = stepMs / offset. */
  stepMs?: number;
  order: Order;
  /** Request timeout, ms. Also the grace given to answers in flight at a scenario's end. */
  timeoutMs: number;
  /** Cap on VUs per scenario; null = as many as rate x timeout needs. */
  maxVUs: number | null;
  gates: Gates;
  /**
   * Share of all requests that are writes (0 < r < 1) when read and write
   * routes run side by side (`parallel-routes`): counts and offsets are the
   * reads', and the write routes get longer offsets over the same duration.
   * Unset: every route runs the same counts and offsets.
   */
  writeRatio?: number;
  /**
   * Check every 200 body against its schema (class `invalid` when it does not
   * match). Costs each VU the validators' code (~11 KB minified) and the
   * bodies as text, so the VU-heavy profiles leave it off by default.
   */
  validate: boolean;
  /**
   * Soak and spike: the run is a series of time windows (lib/windows.ts),
   * each route at a steady rate, instead of a matrix of counts and offsets.
   */
  windows?: WindowShape;
}

const REPORT_COUNTS = [100, 200, 500];
const REPORT_OFFSETS = [50, 100, 200, 1000, 2000];
const ALL = ['query', 'id', 'ref'];
const WRITES = ['post_businesses', 'post_parties', 'patch_parties', 'put_link'];
// Not sent defaults to 0: a request k6 could not send is load the target
// never saw, so a run that dropped some did not test what it planned. The
// stress profile alone may drop: its top rates are meant to outrun one
// generator (its MAX_VUS cap), and its report marks those rates.
// Late starts default to 1 %: a healthy k6 here starts fewer than 0.1 % of
// requests 25 ms late, a CPU-starved one about 10 % (docs/results.md, "Can this run be
// trusted?").
const DEFAULT_GATES: Gates = { successRate: 0.99, p95Ms: null, maxNotSent: 0, maxLateShare: 0.01 };

export const PROFILES: Record<string, Profile> = {
  report: {
    name: 'report',
    description: "The report's matrix: 3 routes x 100/200/500 requests x 50/100/200/1000/2000 ms (45 scenarios, 12000 requests), one at a time",
    routes: ALL, counts: REPORT_COUNTS, offsets: REPORT_OFFSETS,
    // 60 s (k6's default) leaves room for the pool's own 30 s timeout to answer 500.
    validate: false, order: 'sequential', timeoutMs: 60_000, maxVUs: null, gates: DEFAULT_GATES,
  },
  quick: {
    name: 'quick',
    description: 'The same shape in about 3 minutes: 3 routes side by side x 25/50 requests x 50/100/200/1000 ms',
    routes: ALL, counts: [25, 50], offsets: [50, 100, 200, 1000],
    validate: true, order: 'parallel-routes', timeoutMs: 10_000, maxVUs: null, gates: DEFAULT_GATES,
  },
  smoke: {
    name: 'smoke',
    description: 'CI gate, under a minute: 3 routes side by side x 40 requests x 50/100/500 ms',
    routes: ALL, counts: [40], offsets: [50, 100, 500],
    validate: true, order: 'parallel-routes', timeoutMs: 5_000, maxVUs: null,
    gates: { successRate: 0.99, p95Ms: 1_000, maxNotSent: 0, maxLateShare: 0.01 },
  },
  'single-route': {
    name: 'single-route',
    description: "The report's isolation runs: one route (id), 4000 requests over the report's counts and offsets",
    routes: ['id'], counts: REPORT_COUNTS, offsets: REPORT_OFFSETS,
    validate: false, order: 'sequential', timeoutMs: 60_000, maxVUs: null, gates: DEFAULT_GATES,
  },
  stress: {
    name: 'stress',
    description: 'Where does it break: 3 routes side by side, 5 s steps from 5 to 1000 requests/s per route',
    routes: ALL, counts: [], offsets: [200, 100, 50, 20, 10, 5, 2, 1], stepMs: 5_000,
    // A short timeout keeps VUs (rate x timeout) within one load generator.
    validate: false, order: 'parallel-routes', timeoutMs: 3_000, maxVUs: 1_000,
    gates: { successRate: 0.99, p95Ms: null, maxNotSent: null, maxLateShare: null },
  },
  writes: {
    name: 'writes',
    description: 'The write routes side by side, each write creating a business of its own under a sample of the run (removed at teardown): 4 routes x 40 requests x 100/500 ms',
    routes: WRITES, counts: [40], offsets: [100, 500],
    validate: true, order: 'parallel-routes', timeoutMs: 10_000, maxVUs: null, gates: DEFAULT_GATES,
  },
  mixed: {
    name: 'mixed',
    description: 'Production-like traffic for a minute: the 3 read routes at 10 requests/s each, and writes making 5 % of all requests, side by side',
    routes: [...ALL, ...WRITES], counts: [600], offsets: [100], writeRatio: 0.05,
    validate: true, order: 'parallel-routes', timeoutMs: 10_000, maxVUs: null, gates: DEFAULT_GATES,
  },
  soak: {
    name: 'soak',
    description: 'Hours at a steady rate: the 3 read routes side by side at 5 requests/s each (SOAK_RATE) for 30 minutes (SOAK_DURATION), read in 30 windows: does the service drift?',
    routes: ALL, counts: [], offsets: [],
    windows: { kind: 'soak', rate: 5, durationMs: 30 * 60_000 },
    // No p95 gate: a threshold on a Trend holding every answer of hours is
    // re-sorted every 2 s (docs/soak-and-spike.md). 10 s keeps the VUs few.
    validate: false, order: 'parallel-routes', timeoutMs: 10_000, maxVUs: null,
    gates: { ...DEFAULT_GATES, p95Ms: null },
  },
  spike: {
    name: 'spike',
    description: 'A sudden burst, then back: the 3 read routes at 5 requests/s each (SPIKE_RATE) for a minute, 10 x that (SPIKE_FACTOR) for 10 s (SPIKE_SECONDS), then 5/s again for 2 minutes: does it recover, and how fast?',
    routes: ALL, counts: [], offsets: [],
    windows: { kind: 'spike', rate: 5, factor: 10, spikeMs: 10_000 },
    validate: false, order: 'parallel-routes', timeoutMs: 10_000, maxVUs: null, gates: DEFAULT_GATES,
  },
  capacity: {
    name: 'capacity',
    description: 'One probe of the capacity search (npm run capacity): each route at RATE requests/s (default 10) for one 10 s step (STEP), side by side',
    routes: ['id'], counts: [], offsets: [100], stepMs: 10_000,
    // A probe holds only with p95 <= 1 s (npm run capacity --p95): an answer
    // after 2 s is a failure anyway, and the VUs (rate x timeout) stay few.
    validate: false, order: 'parallel-routes', timeoutMs: 2_000, maxVUs: null,
    gates: { successRate: 0.99, p95Ms: 1_000, maxNotSent: 0, maxLateShare: 0.01 },
  },
};

export function profileNames(): string[] {
  return Object.keys(PROFILES);
}
