// capacity.json: the result of `npm run capacity` (schema
// data/schemas/capacity.schema.json). capacity.md, capacity.html and the
// terminal table are rendered from it.
import type { LimitedBy } from '../../lib/capacity/search.ts';

export const CAPACITY_VERSION = 1;

/** How a search steps and judges its rates (the `npm run capacity` flags). */
export interface SearchSettings {
  /** 0..1 */
  gate: number;
  p95Ms: number;
  precision: number;
  stepSeconds: number;
  startRate: number;
  maxRate: number;
  pauseSeconds: number;
}

export interface ProbeRoute {
  route: string;
  planned: number;
  sent: number;
  success: number;
  successPct: number;
  notSent: number;
  notRun: number;
  timeouts: number;
  p95Ms: number | null;
  vus: number;
}

export interface ProbeRecord {
  index: number;
  /** Requests/s per route. */
  rate: number;
  /** null: the probe could not be judged (see stop). */
  holds: boolean | null;
  /** Over the probe's routes: success share of all planned, worst p95, not sent summed. */
  successPct: number | null;
  p95Ms: number | null;
  notSent: number;
  /** k6's CPU, cores: median of 1 s samples, and the peak. */
  k6Cpu: number | null;
  k6CpuPeak: number | null;
  reasons: string[];
  /** Signs the load generator was the limit. */
  generator: string[];
  stop: string | null;
  routes: ProbeRoute[];
  /** The probe's k6 results, relative to the capacity folder. */
  folder: string;
  elapsedMs: number;
}

export interface RouteCapacity {
  /** A route key, or `all` (the read routes side by side, each at the rate). */
  route: string;
  routes: string[];
  /** Requests/s per route; null when no probe held. */
  capacity: number | null;
  lower: number | null;
  upper: number | null;
  limitedBy: LimitedBy | null;
  /** The capacity is only a lower bound (load generator or --max-rate). */
  lowerBound: boolean;
  /** capacity x routes: what the target served in all. */
  totalRate: number | null;
  /** Success gate, %. */
  gate: number;
  p95Ms: number;
  /** Why the search ended early (Ctrl-C, k6 failed); null when it converged. */
  stopped: string | null;
  /** One sentence saying what was found. */
  note: string;
  probes: ProbeRecord[];
}

export interface CapacityReport {
  version: typeof CAPACITY_VERSION;
  label: string;
  startTime: string;
  durationMs: number;
  /** Base URL without credentials; the reference target's preset when it was started here. */
  target: string;
  preset: string | null;
  k6Version: string | null;
  machineCores: number;
  interrupted: boolean;
  settings: SearchSettings & { timeoutMs: number };
  results: RouteCapacity[];
}

const rate = (r: number): string => `${r} req/s`;

/** The sentence that goes with a route's result. */
export function noteFor(r: Omit<RouteCapacity, 'note'>): string {
  const failing = r.probes.find((p) => p.rate === r.upper && p.holds === false);
  const why = failing ? (failing.generator.length ? failing.generator : failing.reasons).join('; ') : '';
  const early = r.stopped ? ` The search stopped early: ${r.stopped}.` : '';
  if (r.capacity === null) {
    if (r.upper === null) return `No probe could be judged.${early}`;
    return `No capacity: even ${rate(r.upper)} failed (${why}).${early}`;
  }
  switch (r.limitedBy) {
    case 'target':
      return `${rate(r.capacity)} held and ${rate(r.upper!)} failed on the target's answers (${why}).${early}`;
    case 'load generator':
      return `At least ${rate(r.capacity)}, a lower bound: at ${rate(r.upper!)} k6 could not send the rate (${why}).${early}`;
    case 'max rate':
      return `At least ${rate(r.capacity)}, a lower bound: every probe held up to --max-rate.${early}`;
    default:
      return `${rate(r.capacity)} held; no failing probe above it was judged.${early}`;
  }
}
