// Planned requests that never got an outcome: was the run stopped (not run),
// or did k6 fall behind its own schedule (not scheduled)? A constant-arrival-
// rate executor starved of CPU neither starts nor drops the ticks it has not
// reached when its duration ends, so its dropped_iterations undercounts; the
// gap is the load generator's, and the summary must say so (issue 17).
import type { Latency, ClassCounts } from './model.ts';

/** When a scenario's arrivals run, from the plan (ms since the test's start). */
export interface Window { startMs: number; durationMs: number; gracefulStopMs: number }

/** k6's clocks for the run and a scenario differ by a few ms; an interruption inside this margin is not told apart. */
const SLACK_MS = 100;

/**
 * Whether the run stopped before the plan's last arrival: a run that is not
 * interrupted lasts at least until then, however far behind k6 fell
 * (executors keep their duration). null when k6 reported no duration.
 */
export function wasInterrupted(runMs: number | null, windows: Window[]): boolean | null {
  if (runMs === null) return null;
  if (windows.length === 0) return false;
  const lastArrival = Math.max(...windows.map((w) => w.startMs + w.durationMs));
  return runMs + SLACK_MS < lastArrival;
}

/**
 * A scenario's gap (planned - sent - not sent) as not run / not scheduled.
 * Cut by the stop (still arriving or in its grace when the run stopped):
 * not run. Over before the stop, or the run was not stopped: not scheduled.
 * Unknown duration: not run, as before this distinction existed.
 */
export function splitGap(gap: number, w: Window | null, runMs: number | null, interrupted: boolean | null): { notRun: number; notScheduled: number } {
  if (gap <= 0) return { notRun: 0, notScheduled: 0 };
  if (interrupted === null || runMs === null) return { notRun: gap, notScheduled: 0 };
  if (!interrupted) return { notRun: 0, notScheduled: gap };
  const over = w !== null && runMs >= w.startMs + w.durationMs + w.gracefulStopMs;
  return over ? { notRun: 0, notScheduled: gap } : { notRun: gap, notScheduled: 0 };
}

/**
 * Dropped iterations while VUs were free: even the slowest answer at the
 * planned rate keeps at most ceil(slowest / offset) + 1 VUs busy, and the
 * scenario had more. Any failed or unanswered request may have held a VU up
 * to the timeout, so then the drop is not held against k6.
 */
export function droppedWithFreeVUs(
  s: { notSent: number; offset: number; classes: ClassCounts; latency: Latency | null },
  vus: number, timeoutMs: number,
): boolean {
  if (s.notSent <= 0) return false;
  const slowAnswers = s.classes.no_response + s.classes.not_found + s.classes.server_error + s.classes.other > 0;
  const slowest = slowAnswers || !s.latency || s.latency.max === null ? timeoutMs : s.latency.max;
  return Math.ceil(slowest / s.offset) + 1 < vus;
}

export const GENERATOR_ADVICE =
  'Run fewer routes side by side (ROUTES), a lower top rate (OFFSETS), on a bigger machine, or split the load over instances (k6 cloud, the k6 operator).';
