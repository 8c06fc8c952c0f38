// Axis maths: value -> pixel mappings and tick values people can read.

export interface Scale {
  (v: number): number;
  domain: [number, number];
  ticks: number[];
  format(v: number): string;
}

export function linearScale(d0: number, d1: number, r0: number, r1: number, format: (v: number) => string, tickCount = 8): Scale {
  if (!(d1 > d0)) d1 = d0 + 1;
  const k = (r1 - r0) / (d1 - d0);
  const s = ((v: number) => r0 + (v - d0) * k) as Scale;
  s.domain = [d0, d1];
  s.ticks = niceTicks(d0, d1, tickCount);
  s.format = format;
  return s;
}

/**
 * Log scale with ends on 1-2-5 steps (less empty space than whole decades);
 * values at or below the floor sit on the floor, so a 0 ms refusal stays visible.
 */
export function logScale(d0: number, d1: number, r0: number, r1: number, format: (v: number) => string): Scale {
  const lo = Math.log10(step125(d0, 'down'));
  let hi = Math.log10(step125(d1, 'up'));
  if (hi <= lo) hi = lo + 1;
  const k = (r1 - r0) / (hi - lo);
  const s = ((v: number) => r0 + ((v > 0 ? Math.max(Math.log10(v), lo) : lo) - lo) * k) as Scale;
  s.domain = [10 ** lo, 10 ** hi];
  const few = hi - lo <= 3;
  s.ticks = [];
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
    for (const m of few ? [1, 2, 5] : [1]) {
      const v = Number((m * 10 ** e).toPrecision(6));
      const l = Math.log10(v);
      if (l >= lo - 1e-9 && l <= hi + 1e-9) s.ticks.push(v);
    }
  }
  s.format = format;
  return s;
}

/** The nearest 1, 2 or 5 times a power of ten below (or above) v. */
export function step125(v: number, dir: 'up' | 'down'): number {
  const e = Math.floor(Math.log10(v));
  const steps = [1, 2, 5, 10].map((m) => Number((m * 10 ** e).toPrecision(6)));
  if (dir === 'down') return [...steps].reverse().find((x) => x <= v * (1 + 1e-9)) ?? steps[0]!;
  return steps.find((x) => x >= v * (1 - 1e-9)) ?? steps[3]!;
}

export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

export function niceTicks(d0: number, d1: number, count: number): number[] {
  const step = niceStep(d1 - d0, count);
  const out: number[] = [];
  for (let v = Math.ceil(d0 / step) * step; v <= d1 + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** 0.5 ms, 12 ms, 1.5 s, 16 s. */
export function formatMs(ms: number): string {
  if (ms === 0) return '0';
  if (ms >= 1000) return `${trim(ms / 1000)} s`;
  return `${trim(ms)} ms`;
}

/** Seconds into the test, to the millisecond at most. */
export function formatSeconds(s: number): string {
  return String(Math.round(s * 1000) / 1000);
}

function trim(v: number): string {
  return String(Number(v.toPrecision(3)));
}
