// Soak and spike runs as a series of time windows. Pure: no k6 import.
//
// handleSummary sees only end-of-test aggregates, so a figure per time window
// must come from a scenario per window: each route runs one
// constant-arrival-rate scenario per window, back to back, and the summary
// reads each window's own sub-metrics (lib/summary/windows.ts).

export type Phase = 'soak' | 'base' | 'spike' | 'after';

export type WindowShape =
  | { kind: 'soak'; /** requests/s per route */ rate: number; durationMs: number }
  | { kind: 'spike'; /** the base rate, requests/s per route */ rate: number; factor: number; spikeMs: number };

export interface WindowSpec {
  /** 0-based, in time order. */
  index: number;
  phase: Phase;
  startMs: number;
  lengthMs: number;
  /** Spacing between one route's requests in this window, ms. */
  offset: number;
}

/**
 * A soak keeps at most this many windows per route, however long it runs.
 * k6 matches every sample against every sub-metric of its metric, so the
 * number of windows is the cost per request; a fixed count keeps an 8 h soak
 * as cheap per request as a 30 min one (docs/soak-and-spike.md, "Why 30 windows").
 */
export const SOAK_WINDOWS = 30;
/**
 * No window shorter than a minute: at the default 5 requests/s a window holds
 * 300 requests per route, so its p95 rests on 15 answers above it.
 */
export const SOAK_MIN_WINDOW_MS = 60_000;
/** A spike's windows: short enough to time a recovery, long enough for a p95 (50 answers at 5/s). */
export const SPIKE_WINDOW_MS = 10_000;
/** The base rate before the spike: six windows to set the band a recovery returns to. */
export const SPIKE_BEFORE_MS = 60_000;
/** After the spike: at least this long, and at least six times the spike. */
export const SPIKE_AFTER_MIN_MS = 120_000;

/** Spacing (ms, to the microsecond) of `rate` requests/s, as lib/config.ts writes RATE. */
export const offsetForRate = (rate: number): number => Math.round(1e6 / rate) / 1000;

/** A soak's window length: SOAK_DURATION / 30 in whole seconds, at least a minute (the last window takes the remainder). */
export function soakWindowMs(durationMs: number): number {
  return Math.max(SOAK_MIN_WINDOW_MS, Math.ceil(durationMs / SOAK_WINDOWS / 1000) * 1000);
}

/** The windows of a soak or a spike, in time order, back to back. */
export function windowSpecs(shape: WindowShape): WindowSpec[] {
  const out: WindowSpec[] = [];
  const push = (phase: Phase, lengthMs: number, offset: number): void => {
    const last = out[out.length - 1];
    out.push({ index: out.length, phase, startMs: last ? last.startMs + last.lengthMs : 0, lengthMs, offset });
  };
  if (shape.kind === 'soak') {
    const w = soakWindowMs(shape.durationMs);
    const offset = offsetForRate(shape.rate);
    // The last window takes any remainder: a sliver of a window (61 s: a
    // minute and 1 s) would be too short for k6 and for a p95.
    const n = Math.max(1, Math.floor(shape.durationMs / w));
    for (let i = 0; i < n; i++) push('soak', i < n - 1 ? w : shape.durationMs - (n - 1) * w, offset);
    return out;
  }
  const base = offsetForRate(shape.rate);
  for (let t = 0; t < SPIKE_BEFORE_MS; t += SPIKE_WINDOW_MS) push('base', SPIKE_WINDOW_MS, base);
  // The spike is one window: one scenario, so its VUs are allocated once.
  push('spike', shape.spikeMs, offsetForRate(shape.rate * shape.factor));
  const after = Math.ceil(Math.max(SPIKE_AFTER_MIN_MS, 6 * shape.spikeMs) / SPIKE_WINDOW_MS) * SPIKE_WINDOW_MS;
  for (let t = 0; t < after; t += SPIKE_WINDOW_MS) push('after', SPIKE_WINDOW_MS, base);
  return out;
}

/** Requests of one route in a window: its length at its spacing, at least one. */
export const windowCount = (w: WindowSpec): number => Math.max(1, Math.round(w.lengthMs / w.offset));
