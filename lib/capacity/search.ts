// The capacity search: ramp up geometrically until a probe fails, then bisect
// (geometric means) until upper / lower <= 1 + precision. Pure: a probe is a
// function rate -> result, a real k6 run in tools/capacity/, a simulated
// target in the tests.
import type { Verdict } from './rules.ts';

export interface SearchOptions {
  /** First rate probed, requests/s per route. */
  startRate: number;
  /** The ramp never probes above this. */
  maxRate: number;
  /** Stop when upper / lower <= 1 + precision. */
  precision: number;
  /** Ramp factor (2: 10, 20, 40, ...). */
  factor?: number;
}

/** What the search needs of a probe; the runner's probes carry more. */
export interface ProbeOutcome {
  rate: number;
  verdict: Verdict;
  /** The probe could not be judged (k6 failed, Ctrl-C): the search stops here. */
  stop?: string;
}

export type LimitedBy = 'target' | 'load generator' | 'max rate';

export interface SearchResult<P extends ProbeOutcome> {
  /** Highest rate that held; null when none did. */
  capacity: number | null;
  /** Highest rate that held (= capacity) and lowest that failed; null when not probed. */
  lower: number | null;
  upper: number | null;
  /**
   * What stopped the rate going higher: the target (its answers failed the
   * probe at `upper`), the load generator (k6 could not send the rate: the
   * capacity is a lower bound), or --max-rate held (also a lower bound).
   */
  limitedBy: LimitedBy | null;
  lowerBound: boolean;
  probes: P[];
  /** Why the search ended early (a probe's `stop`); null when it converged. */
  stopped: string | null;
}

const MIN_RATE = 1;

/** Whole requests/s; 1 at least. */
const whole = (r: number): number => Math.max(MIN_RATE, Math.round(r));

export async function searchCapacity<P extends ProbeOutcome>(
  probe: (rate: number) => Promise<P>,
  o: SearchOptions,
): Promise<SearchResult<P>> {
  const factor = o.factor ?? 2;
  const probes: P[] = [];
  let lower: number | null = null;
  let upper: number | null = null;
  let upperProbe: P | null = null;
  let stopped: string | null = null;

  const run = async (rate: number): Promise<P | null> => {
    const p = await probe(rate);
    probes.push(p);
    if (p.stop !== undefined) {
      stopped = p.stop;
      return null;
    }
    if (p.verdict.holds) lower = rate;
    else {
      upper = rate;
      upperProbe = p;
    }
    return p;
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
  while (stopped === null && lower !== null && upper !== null && upper / lower > 1 + o.precision) {
    const mid = whole(Math.sqrt(lower * upper));
    if (mid <= lower || mid >= upper) break; // whole requests/s cannot split it further
    if ((await run(mid)) === null) break;
  }

  const up = upperProbe as P | null;
  let limitedBy: LimitedBy | null = null;
  if (up !== null) limitedBy = up.verdict.generator.length > 0 ? 'load generator' : 'target';
  else if (lower !== null && stopped === null) limitedBy = 'max rate';
  return {
    capacity: lower, lower, upper, limitedBy,
    lowerBound: limitedBy !== null && limitedBy !== 'target',
    probes, stopped,
  };
}
