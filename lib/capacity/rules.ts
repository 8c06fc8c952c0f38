// When a capacity probe holds, whether a failure came from the target or
// from the load generator, and whether a probe's run may count at all (its
// verdict). Pure: the probe runner (tools/capacity/) feeds it the figures of
// one k6 run.
import type { VerdictStatus } from '../summary/model.ts';

/** One route's figures in one probe, from the probe's summary.json. */
export interface RouteFigures {
  route: string;
  planned: number;
  /** Requests with an outcome (any class). */
  sent: number;
  success: number;
  /** k6 dropped_iterations: no VU was free. */
  notSent: number;
  /** Planned but neither sent nor dropped: the probe was cut short. */
  notRun: number;
  /** Answers that never came because the request timed out. */
  timeouts: number;
  /** Latency of successful answers, ms; null when none arrived. */
  p95Ms: number | null;
  meanMs: number | null;
  /** VUs the plan gave the route (lib/plan.ts vusFor). */
  vus: number;
}

export interface Criteria {
  /** Share of planned requests that must succeed, 0..1. */
  successRate: number;
  /** p95 of successful answers must be at or below this, ms. */
  p95Ms: number;
}

export interface GeneratorLoad {
  /** Step length, s: the rate the route was offered is planned / stepSeconds. */
  stepSeconds: number;
  timeoutMs: number;
  /** k6's CPU in cores during the probe (median of 1 s samples); null when unknown. */
  k6Cores: number | null;
  /** CPU cores of the machine k6 ran on. */
  machineCores: number;
}

export interface Verdict {
  holds: boolean;
  /** Why the probe failed: one line per broken condition. */
  reasons: string[];
  /** Signs that k6, not the target, was the limit; empty when none. */
  generator: string[];
}

/** k6 near this share of the machine's cores cannot be trusted to send the rate on time. */
export const CPU_SHARE_LIMIT = 0.8;
/** Dropped iterations while fewer than this share of the VUs were busy: k6 could not keep up. */
export const IDLE_VU_SHARE = 0.5;

/** Share of a route's accounted requests that succeeded (the summary's denominator). */
export const successShare = (f: RouteFigures): number => {
  const base = Math.max(f.planned, f.sent + f.notSent + f.notRun);
  return base > 0 ? f.success / base : 0;
};

/**
 * VUs busy on average (Little's law: arrivals per second x seconds each
 * request held its VU). A timed-out request held it for the timeout; other
 * answers are taken to last as long as a success.
 */
export function busyVUs(f: RouteFigures, load: Pick<GeneratorLoad, 'stepSeconds' | 'timeoutMs'>): number {
  if (f.sent === 0) return 0;
  const mean = f.meanMs ?? 0;
  const heldMs = f.timeouts * load.timeoutMs + (f.sent - f.timeouts) * mean;
  return (f.sent / load.stepSeconds) * (heldMs / f.sent / 1000);
}

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;

/** A probe holds when every route met the gate, its p95, and sent everything planned. */
export function judgeProbe(routes: RouteFigures[], c: Criteria, load: GeneratorLoad): Verdict {
  const reasons: string[] = [];
  const generator: string[] = [];
  const many = routes.length > 1;
  for (const f of routes) {
    const at = many ? `${f.route}: ` : '';
    const share = successShare(f);
    if (share < c.successRate) reasons.push(`${at}success ${pct(share)} < gate ${pct(c.successRate)}`);
    if (f.p95Ms === null) reasons.push(`${at}no successful answer`);
    else if (f.p95Ms > c.p95Ms) reasons.push(`${at}p95 ${f.p95Ms.toFixed(1)} ms > ${c.p95Ms} ms`);
    if (f.notSent > 0) {
      reasons.push(`${at}${f.notSent} not sent`);
      // Only while the answers were healthy: a target that slows or times out
      // holds every VU at its peak (connects queue outside the measured
      // latency), so drops beside bad answers are the target's.
      const answersHeld = f.sent > 0 && f.success / f.sent >= c.successRate && f.p95Ms !== null && f.p95Ms <= c.p95Ms;
      const busy = busyVUs(f, load);
      if (answersHeld && busy < IDLE_VU_SHARE * f.vus) {
        generator.push(`${at}${f.notSent} not sent while about ${busy.toFixed(0)} of ${f.vus} VUs were busy`);
      }
    }
    if (f.notRun > 0) reasons.push(`${at}${f.notRun} not run (the probe was cut short)`);
  }
  if (load.k6Cores !== null && load.k6Cores >= CPU_SHARE_LIMIT * load.machineCores) {
    generator.push(`k6 used ${load.k6Cores.toFixed(2)} of the machine's ${load.machineCores} cores`);
  }
  return { holds: reasons.length === 0, reasons, generator };
}

/**
 * A probe's run as its summary.json judged it (lib/summary/verdict.ts), with
 * the machine's samples: whether its figures describe the target at all.
 */
export interface RunTrust {
  status: VerdictStatus;
  headline: string;
}

/** Tries a rate gets beyond the first when its run is not trustworthy. */
export const DEFAULT_RETRIES = 2;

/**
 * Whether a probe's figures may count for or against its rate. A run whose
 * load generator fell behind (schedule lag, drops with free VUs, requests
 * never scheduled) or whose machine was saturated measured k6 and the
 * machine, not the target: it neither holds nor fails the rate. Unknown
 * (no summary verdict) counts, as before verdicts existed; so does
 * 'not-judged' (nothing sent), which the hold rule fails on its own.
 */
export function trusted(t: RunTrust | null | undefined): boolean {
  return !t || (t.status !== 'generator-behind' && t.status !== 'saturated');
}
