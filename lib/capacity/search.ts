// The capacity search: ramp up geometrically until a probe fails, then bisect
// (geometric means) until upper / lower <= 1 + precision. Pure: a probe is a
// function rate -> result, a real k6 run in tools/capacity/, a simulated
// target in the tests.
//
// A probe whose run was not trustworthy (its load generator fell behind, or
// the machine was saturated: the run's own verdict) neither holds nor fails
// its rate: the rate is tried again, at most `retries` times, and when no try
// is trustworthy the search stops there, limited by the load generator.
import { DEFAULT_RETRIES, trusted, type RunTrust, type Verdict } from './rules.ts';

export interface SearchOptions {
  /** First rate probed, requests/s per route. */
  startRate: number;
  /** The ramp never probes above this. */
  maxRate: number;
  /** Stop when upper / lower <= 1 + precision. */
  precision: number;
  /** Ramp factor (2: 10, 20, 40, ...). */
  factor?: number;
  /** Tries of a rate beyond the first while its runs are not trustworthy (default DEFAULT_RETRIES). */
  retries?: number;
}

/** What the search needs of a probe; the runner's probes carry more. */
export interface ProbeOutcome {
  rate: number;
  verdict: Verdict;
  /** The probe could not be judged (k6 failed, Ctrl-C): the search stops here. */
  stop?: string;
  /** The run's own verdict (summary.json); absent or null: not known, the probe counts. */
  trust?: RunTrust | null;
}

export type LimitedBy = 'target' | 'load generator' | 'max rate';

/** What to do with a probe once it ran. */
export type Decision =
  /** Its figures hold or fail the rate. */
  | 'count'
  /** Not trustworthy: try the same rate again. */
  | 'retry'
  /** Not trustworthy, and no tries left: the search stops, limited by the load generator. */
  | 'give up';

/** `attempt`: 1 for a rate's first try, 2 for its first retry, ... */
export function decide(p: Pick<ProbeOutcome, 'trust'>, attempt: number, retries = DEFAULT_RETRIES): Decision {
  if (trusted(p.trust)) return 'count';
  return attempt <= retries ? 'retry' : 'give up';
}

/** Why a search stopped on the load generator's account: the rate no run of which was trustworthy. */
export interface Untrusted {
  rate: number;
  /** Runs at that rate, every one not trustworthy (1 + retries). */
  tries: number;
  /** The last run's verdict. */
  status: RunTrust['status'];
  headline: string;
}

export interface SearchResult<P extends ProbeOutcome> {
  /** Highest rate that held; null when none did. */
  capacity: number | null;
  /** Highest rate that held (= capacity) and lowest that failed; null when not probed. */
  lower: number | null;
  upper: number | null;
  /**
   * What stopped the rate going higher: the target (its answers failed the
   * probe at `upper`), the load generator (k6 could not send the rate, or no
   * run at a rate was trustworthy: the capacity is a lower bound), or
   * --max-rate held (also a lower bound).
   */
  limitedBy: LimitedBy | null;
  lowerBound: boolean;
  /** Every run, retries included, in order. */
  probes: P[];
  /** Why the search ended early (a probe's `stop`); null when it converged. */
  stopped: string | null;
  /** The rate at which no run was trustworthy, which ended the search; null otherwise. */
  untrusted: Untrusted | null;
}

const MIN_RATE = 1;

/** Whole requests/s; 1 at least. */
const whole = (r: number): number => Math.max(MIN_RATE, Math.round(r));

export async function searchCapacity<P extends ProbeOutcome>(
  probe: (rate: number, attempt: number) => Promise<P>,
  o: SearchOptions,
): Promise<SearchResult<P>> {
  const factor = o.factor ?? 2;
  const retries = o.retries ?? DEFAULT_RETRIES;
  const probes: P[] = [];
  let lower: number | null = null;
  let upper: number | null = null;
  let upperProbe: P | null = null;
  let stopped: string | null = null;
  let untrusted: Untrusted | null = null;

  /** The rate's counted probe; null when the search must stop (a stop, or no trustworthy run). */
  const run = async (rate: number): Promise<P | null> => {
    for (let attempt = 1; ; attempt++) {
      const p = await probe(rate, attempt);
      probes.push(p);
      if (p.stop !== undefined) {
        stopped = p.stop;
        return null;
      }
      const d = decide(p, attempt, retries);
      if (d === 'retry') continue;
      if (d === 'give up') {
        untrusted = { rate, tries: attempt, status: p.trust!.status, headline: p.trust!.headline };
        return null;
      }
      if (p.verdict.holds) lower = rate;
      else {
        upper = rate;
        upperProbe = p;
      }
      return p;
    }
  };

  // Ramp: up from the start rate while probes hold; down while they fail.
  let rate = whole(Math.min(o.startRate, o.maxRate));
  const first = await run(rate);
  if (first !== null) {
    const up = first.verdict.holds;
    for (;;) {
      const next = up ? whole(Math.min(rate * factor, o.maxRate)) : whole(rate / factor);
      if (next === rate) break; // at --max-rate, or at 1 request/s
      rate = next;
      const p = await run(rate);
      if (p === null || p.verdict.holds !== up) break;
    }
  }
  // Bisect between the highest hold and the lowest failure.
  while (stopped === null && untrusted === null && lower !== null && upper !== null && upper / lower > 1 + o.precision) {
    const mid = whole(Math.sqrt(lower * upper));
    if (mid <= lower || mid >= upper) break; // whole requests/s cannot split it further
    if ((await run(mid)) === null) break;
  }

  const up = upperProbe as P | null;
  let limitedBy: LimitedBy | null = null;
  // No trustworthy run at a rate: the target was not what stopped the search.
  if ((untrusted as Untrusted | null) !== null) limitedBy = 'load generator';
  else if (up !== null) limitedBy = up.verdict.generator.length > 0 ? 'load generator' : 'target';
  else if (lower !== null && stopped === null) limitedBy = 'max rate';
  return {
    capacity: lower, lower, upper, limitedBy,
    lowerBound: limitedBy !== null && limitedBy !== 'target',
    probes, stopped, untrusted,
  };
}
