// Per-panel time bins: requests per second by class, and a rolling median and
// p95 of response times. Quantiles come from log-bucket histograms (2 %
// relative error) so a million requests cost one pass, no sorting.

import { CLASSES } from '../../lib/classify.ts';
import type { Dataset } from './model.ts';
import { CLASS_INDEX } from './model.ts';
import { niceStep } from './scale.ts';

const PER_DECADE = 50;
const LOWEST_DECADE = -3; // 1 µs
const BUCKETS = 10 * PER_DECADE; // up to 10^7 ms
const NO_RESPONSE = CLASS_INDEX.no_response;
/** Arrived responses a rolling window needs before its quantiles are drawn. */
const MIN_IN_WINDOW = 5;
const WANT_IN_WINDOW = 20;

export interface Bins {
  /** Start of the first bin, seconds into the test. */
  start: number;
  /** Bin width, seconds. */
  width: number;
  size: number;
  /** Requests per bin, one array per class (CLASSES order). */
  byClass: Uint32Array[];
  total: Uint32Array;
  /** Rolling quantiles of arrived responses (status ≠ 0), ms; NaN where too few. */
  median: Float64Array;
  p95: Float64Array;
}

/**
 * @param x0 x1 panel range, seconds into the test
 * @param minWidth the input's time resolution, seconds (a 1 s clock cannot fill 0.1 s bins)
 */
export function binPanel(ds: Dataset, idx: Uint32Array, originMs: number, x0: number, x1: number, minWidth: number, target: number, quantiles = true): Bins {
  const width = Math.max(niceStep(Math.max(x1 - x0, 1e-3), target), minWidth);
  const start = Math.floor(x0 / width) * width;
  const size = Math.max(1, Math.ceil((x1 - start) / width + 1e-9));
  const byClass = CLASSES.map(() => new Uint32Array(size));
  const total = new Uint32Array(size);
  const hist = new Uint32Array(size * BUCKETS);
  const arrived = new Uint32Array(size);
  for (let j = 0; j < idx.length; j++) {
    const i = idx[j]!;
    const t = (ds.sent[i]! - originMs) / 1000;
    const b = Math.min(size - 1, Math.max(0, Math.floor((t - start) / width)));
    const c = ds.cls[i]!;
    byClass[c]![b]!++;
    total[b]!++;
    if (c !== NO_RESPONSE) {
      hist[b * BUCKETS + bucketOf(ds.durationMs[i]!)]!++;
      arrived[b]!++;
    }
  }
  const median = new Float64Array(size).fill(NaN);
  const p95 = new Float64Array(size).fill(NaN);
  const window = new Uint32Array(BUCKETS);
  for (let b = 0; quantiles && b < size; b++) {
    if (arrived[b] === 0) continue;
    // Widen the centred window until it holds enough responses to be a quantile.
    let h = 2;
    let n = 0;
    for (; h <= 10; h += 2) {
      n = 0;
      for (let k = Math.max(0, b - h); k <= Math.min(size - 1, b + h); k++) n += arrived[k]!;
      if (n >= WANT_IN_WINDOW) break;
    }
    h = Math.min(h, 10);
    if (n < MIN_IN_WINDOW) continue;
    window.fill(0);
    for (let k = Math.max(0, b - h); k <= Math.min(size - 1, b + h); k++) {
      const off = k * BUCKETS;
      for (let q = 0; q < BUCKETS; q++) window[q]! += hist[off + q]!;
    }
    median[b] = quantile(window, n, 0.5);
    p95[b] = quantile(window, n, 0.95);
  }
  return { start, width, size, byClass, total, median, p95 };
}

function bucketOf(ms: number): number {
  if (!(ms > 0)) return 0;
  const b = Math.floor((Math.log10(ms) - LOWEST_DECADE) * PER_DECADE);
  return b < 0 ? 0 : b >= BUCKETS ? BUCKETS - 1 : b;
}

function quantile(hist: Uint32Array, n: number, q: number): number {
  const rank = Math.ceil(q * n);
  let seen = 0;
  for (let b = 0; b < BUCKETS; b++) {
    seen += hist[b]!;
    if (seen >= rank) return 10 ** ((b + 0.5) / PER_DECADE + LOWEST_DECADE);
  }
  return NaN;
}
