// Latency of merged instances. Percentiles of a union cannot be computed from
// the parts' percentiles: exact figures come from the raw samples (k6's own
// interpolation, metrics/sink.go TrendSink.P); without them, each part's
// known quantiles are read as a piecewise-linear distribution and the parts
// are mixed by answer count.
import type { Latency } from '../../lib/summary/model.ts';

/** A growable list of durations (ms): 8 bytes a sample, never boxed. */
export class Samples {
  private buf = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  /** Sorted copy of the values (the list stays usable). */
  sorted(): Float64Array {
    return this.buf.slice(0, this.length).sort();
  }
  append(other: Samples): void {
    for (let i = 0; i < other.length; i++) this.push(other.buf[i]!);
  }
}

/** k6's percentile: linear interpolation between the ranks around p * (n - 1). */
export function percentile(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  if (n === 1) return sorted[0]!;
  const i = p * (n - 1);
  const lo = sorted[Math.floor(i)]!;
  const hi = sorted[Math.ceil(i)]!;
  return lo + (hi - lo) * (i - Math.floor(i));
}

/** Exact latency of a set of samples; null when empty. */
export function exactLatency(s: Samples): Latency | null {
  if (s.length === 0) return null;
  const v = s.sorted();
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]!;
  return {
    count: v.length, min: v[0]!, max: v[v.length - 1]!, mean: sum / v.length,
    median: percentile(v, 0.5), p90: percentile(v, 0.9), p95: percentile(v, 0.95), p99: percentile(v, 0.99),
  };
}

export const APPROXIMATE_METHOD =
  "approximate: counts, fastest, slowest and mean are exact; median, p90, p95 and p99 mix each instance's distribution " +
  '(its fastest, median, p90, p95, p99 and slowest joined by straight lines) weighted by its answers; pass the raw outputs (--raw) for exact percentiles';

/** One part's cumulative share at x, from its known quantiles. */
function cdf(points: Array<[number, number]>, x: number): number {
  if (x < points[0]![1]) return 0;
  if (x >= points[points.length - 1]![1]) return 1;
  for (let i = 1; i < points.length; i++) {
    const [q0, x0] = points[i - 1]!;
    const [q1, x1] = points[i]!;
    if (x < x1) return x1 === x0 ? q1 : q0 + ((q1 - q0) * (x - x0)) / (x1 - x0);
  }
  return 1;
}

/**
 * Several instances' latency as one. Count, min, max and mean are exact;
 * percentiles come from the count-weighted mixture of each part's
 * piecewise-linear distribution (null when a part lacks min or max).
 */
export function approximateLatency(parts: Array<Latency | null>): Latency | null {
  const ls = parts.filter((l): l is Latency => l !== null && l.count > 0);
  if (ls.length === 0) return null;
  if (ls.length === 1) return { ...ls[0]! };
  const n = ls.reduce((a, l) => a + l.count, 0);
  const all = <K extends keyof Latency>(k: K): Array<number> | null => {
    const vs = ls.map((l) => l[k]);
    return vs.every((v) => typeof v === 'number') ? (vs as number[]) : null;
  };
  const mins = all('min');
  const maxs = all('max');
  const means = all('mean');
  const out: Latency = {
    count: n,
    min: mins ? Math.min(...mins) : null,
    max: maxs ? Math.max(...maxs) : null,
    mean: means ? ls.reduce((a, l) => a + l.mean! * l.count, 0) / n : null,
    median: null, p90: null, p95: null, p99: null,
  };
  if (!mins || !maxs) return out;
  const curves = ls.map((l) => {
    const pts: Array<[number, number]> = [[0, l.min!]];
    for (const [q, v] of [[0.5, l.median], [0.9, l.p90], [0.95, l.p95], [0.99, l.p99]] as Array<[number, number | null]>) {
      // Quantiles never decrease; a stat k6 did not report is left out of the line.
      if (v !== null && v >= pts[pts.length - 1]![1] && v <= l.max!) pts.push([q, v]);
    }
    pts.push([1, l.max!]);
    return { w: l.count / n, pts };
  });
  const mixed = (x: number): number => curves.reduce((a, c) => a + c.w * cdf(c.pts, x), 0);
  const quantile = (q: number): number => {
    let lo = out.min!;
    let hi = out.max!;
    for (let i = 0; i < 100 && hi - lo > 1e-9; i++) {
      const mid = (lo + hi) / 2;
      if (mixed(mid) < q) lo = mid;
      else hi = mid;
    }
    return hi;
  };
  out.median = quantile(0.5);
  out.p90 = quantile(0.9);
  out.p95 = quantile(0.95);
  out.p99 = quantile(0.99);
  return out;
}
