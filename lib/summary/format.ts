// Numbers, padding and time, by hand: k6 has no Intl and the summary must
// read the same on every machine.

/** Fixed decimals without locale; "n/a" for null / non-finite. */
export function fixed(n: number | null | undefined, digits: number): string {
  if (n === null || n === undefined || !isFinite(n)) return 'n/a';
  const s = n.toFixed(digits);
  // -0.00 reads as a sign error in a table.
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

export const ms = (n: number | null | undefined): string => fixed(n, 2);

/** Whole numbers with thin grouping (12 000) so large counts scan. */
export function int(n: number): string {
  const s = String(Math.round(n));
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** Requests per second for an offset in ms, e.g. 50 -> "20", 3 -> "333.3". */
export function rate(perSec: number): string {
  return Number.isInteger(perSec) ? String(perSec) : fixed(perSec, 1);
}

export const padEnd = (s: string, w: number): string => (s.length >= w ? s : s + ' '.repeat(w - s.length));
export const padStart = (s: string, w: number): string => (s.length >= w ? s : ' '.repeat(w - s.length) + s);

const two = (n: number): string => (n < 10 ? '0' : '') + n;

/** 20240131-094501 (UTC) for file names. */
export function stamp(epochMs: number): string {
  const d = new Date(epochMs);
  if (isNaN(d.getTime())) return '00000000-000000';
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}-${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`;
}

/** ISO 8601 UTC, or the epoch when the clock value is unusable. */
export function iso(epochMs: number): string {
  const d = new Date(epochMs);
  return isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
}

/** 49.1 s / 12 min 5 s / 1 h 2 min: durations for people. */
export function duration(msTotal: number): string {
  if (!isFinite(msTotal) || msTotal < 0) return 'n/a';
  if (msTotal < 60_000) return `${fixed(msTotal / 1000, 1)} s`;
  const s = Math.round(msTotal / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s % 60} s`;
}

/**
 * Percentages of `base` rounded to two decimals each, as the report printed
 * them: a row adds to 100.00 within rounding (at most 0.005 per column), and
 * equal counts always read the same (a largest-remainder fix would break that).
 */
export function percents(counts: number[], base: number): number[] {
  if (!(base > 0)) return counts.map(() => 0);
  return counts.map((c) => Math.round((c * 10000) / base) / 100);
}
