// capacity.json: the result of `npm run capacity` (schema
// data/schemas/capacity.schema.json). capacity.md, capacity.html and the
// terminal table are rendered from it.
import type { LimitedBy, Untrusted } from '../../lib/capacity/search.ts';
import type { VerdictStatus } from '../../lib/summary/model.ts';

/** 2: probes carry their run's verdict and schedule lag, and whether they counted; results say why an untrusted run stopped them. */
export const CAPACITY_VERSION = 2;

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
  /** Tries of a rate beyond the first while its runs are not trustworthy. */
  retries: number;
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
  /**
   * The run's verdict (its summary.json, judged again with the machine's
   * samples): whether its figures describe the target. null: no summary, or
   * one without a verdict.
   */
  verdict: { status: VerdictStatus; headline: string } | null;
  /** Share of sent requests k6 started over the tolerance late (0..1), and the worst lag; null when unknown. */
  lateShare: number | null;
  maxLagMs: number | null;
  /** 1 for a rate's first run, 2 for its first retry, ... */
  attempt: number;
  /**
   * Whether the probe counted for (holds) or against (fails) its rate; false
   * when its run was not trustworthy (retried, or the search stopped there)
   * or it was stopped.
   */
  counted: boolean;
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
  /** The rate at which no run was trustworthy, which stopped the search (limitedBy load generator); null otherwise. */
  untrusted: Untrusted | null;
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

/** Why a run was not trustworthy, in the words of its verdict. */
const headlineOf = (u: Pick<Untrusted, 'headline'>): string => {
  const h = u.headline.replace(/\.$/, '');
  return h.charAt(0).toLowerCase() + h.slice(1);
};

/** What the runs that did not count (their verdict said not trustworthy) add to a note; '' when none. */
function retriedNote(r: Omit<RouteCapacity, 'note'>): string {
  const n = r.probes.filter((p) => !p.counted && p.stop === null).length - (r.untrusted ? r.untrusted.tries : 0);
  if (n <= 0) return '';
  return ` ${n} run${n === 1 ? ' was' : 's were'} not trustworthy (load generator behind, or the machine saturated), not counted and retried.`;
}

/** The sentence that goes with a route's result. */
export function noteFor(r: Omit<RouteCapacity, 'note'>): string {
  const failing = r.probes.find((p) => p.rate === r.upper && p.holds === false && p.counted);
  const why = failing ? (failing.generator.length ? failing.generator : failing.reasons).join('; ') : '';
  const early = r.stopped ? ` The search stopped early: ${r.stopped}.` : '';
  const retried = retriedNote(r);
  if (r.untrusted) {
    const u = r.untrusted;
    const stop = `at ${rate(u.rate)} no run of ${u.tries} was trustworthy (the last: ${headlineOf(u)}), so the search stopped there`;
    const failed = r.upper === null ? '' : `; ${rate(r.upper)} failed (${why})`;
    if (r.capacity === null) return `No capacity found, limited by the load generator: ${stop}${failed}.${retried}`;
    return `At least ${rate(r.capacity)}, a lower bound, limited by the load generator: ${stop}${failed}.${retried}`;
  }
  if (r.capacity === null) {
    if (r.upper === null) return `No probe could be judged.${early}${retried}`;
    return `No capacity: even ${rate(r.upper)} failed (${why}).${early}${retried}`;
  }
  return limitNote({ ...r, capacity: r.capacity }, why, early) + retried;
}

function limitNote(r: Omit<RouteCapacity, 'note'> & { capacity: number }, why: string, early: string): string {
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

/**
 * The exit code of `npm run capacity`: 0 a capacity found for every search;
 * 1 some search found none (even its lowest counted probe failed, or k6
 * failed); UNTRUSTED_EXIT (3, as npm start's) when the only searches without
 * a capacity are those that no trustworthy run could judge; 130 Ctrl-C.
 */
export function capacityExitCode(results: Array<Pick<RouteCapacity, 'capacity' | 'untrusted'>>, interrupted: boolean): number {
  if (interrupted) return 130;
  const none = results.filter((r) => r.capacity === null);
  if (none.length === 0) return 0;
  return none.every((r) => r.untrusted !== null) ? UNTRUSTED_EXIT : 1;
}

/** npm start's code for a run the load generator, not the target, decided (tools/run.ts UNTRUSTED_EXIT). */
export const UNTRUSTED_EXIT = 3;
