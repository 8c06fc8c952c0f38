// k6 execution segments: which share of each scenario one instance runs when
// a test is split (`--execution-segment`, `--execution-segment-sequence`, the
// k6 operator's `parallelism`). Pure: reproduces k6 v0.49's arithmetic
// (lib/execution_segment.go, lib/executor/constant_arrival_rate.go) so the
// summary plans exactly the iterations this instance runs, and the shares of
// all instances add up to the plan.
import type { Plan } from './plan.ts';

/** A non-negative rational in lowest terms. */
export interface Rat {
  n: number;
  d: number;
}

/** The interval (from, to] of the whole test. */
export interface Segment {
  from: Rat;
  to: Rat;
}

export class SegmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SegmentError';
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

function safe(x: number, what: string): number {
  if (!Number.isSafeInteger(x)) throw new SegmentError(`${what}: the numbers are too large to split exactly`);
  return x;
}

export function rat(n: number, d: number): Rat {
  if (d <= 0) throw new SegmentError(`${n}/${d}: the denominator must be positive`);
  const g = gcd(Math.abs(n), d) || 1;
  return { n: safe(n / g, `${n}/${d}`), d: safe(d / g, `${n}/${d}`) };
}

const cmp = (a: Rat, b: Rat): number => safe(a.n * b.d, 'compare') - safe(b.n * a.d, 'compare');
const sub = (a: Rat, b: Rat): Rat => rat(safe(a.n * b.d - b.n * a.d, 'subtract'), safe(a.d * b.d, 'subtract'));
export const ratEqual = (a: Rat, b: Rat): boolean => a.n === b.n && a.d === b.d;
/** Go's big.Rat.RatString: `1/2`, `0`, `1`. */
export const ratString = (r: Rat): string => (r.d === 1 ? String(r.n) : `${r.n}/${r.d}`);
export const ratValue = (r: Rat): number => r.n / r.d;

const ZERO = rat(0, 1);
const ONE = rat(1, 1);

/** k6's stringToRat: `50%`, `0.5`, `1/2`, `1`. */
export function parseRat(text: string): Rat {
  const s = text.trim();
  let m = /^(\d+)%$/.exec(s);
  if (m) return rat(Number(m[1]), 100);
  m = /^(\d+)\/(\d+)$/.exec(s);
  if (m) return rat(Number(m[1]), Number(m[2]));
  m = /^(\d*)(?:\.(\d+))?$/.exec(s);
  if (m && s !== '' && s !== '.') {
    const frac = m[2] ?? '';
    return rat(Number((m[1] || '0') + frac), 10 ** frac.length);
  }
  throw new SegmentError(`'${text}' is not a valid percentage, decimal or fraction`);
}

function segment(from: Rat, to: Rat): Segment {
  if (cmp(from, to) >= 0) throw new SegmentError(`segment start ${ratString(from)} must be less than its end ${ratString(to)}`);
  if (cmp(to, ONE) > 0) throw new SegmentError(`segment end ${ratString(to)} can't be more than 1`);
  return { from, to };
}

/** `1/2:3/4`, `50%:75%`, or just an end (`1/4` is 0:1/4); empty is the whole test. */
export function parseSegment(text: string | null | undefined): Segment {
  const s = (text ?? '').trim();
  if (s === '') return { from: ZERO, to: ONE };
  const colon = s.indexOf(':');
  return colon < 0 ? segment(ZERO, parseRat(s)) : segment(parseRat(s.slice(0, colon)), parseRat(s.slice(colon + 1)));
}

/** `0,1/3,2/3,1` -> its segments; null when empty (k6: no sequence). */
export function parseSequence(text: string | null | undefined): Segment[] | null {
  const s = (text ?? '').trim();
  if (s === '') return null;
  const points = s.split(',').map(parseRat);
  if (points.length < 2) throw new SegmentError(`at least 2 points are needed for an execution segment sequence, ${points.length} given`);
  const out: Segment[] = [];
  for (let i = 1; i < points.length; i++) out.push(segment(points[i - 1]!, points[i]!));
  return out;
}

export const segmentString = (s: Segment): string => `${ratString(s.from)}:${ratString(s.to)}`;
export const sequenceString = (seq: Segment[]): string => [ratString(seq[0]!.from), ...seq.map((s) => ratString(s.to))].join(',');
export const isWhole = (s: Segment): boolean => ratEqual(s.from, ZERO) && ratEqual(s.to, ONE);

/** GetFilledExecutionSegmentSequence: the sequence (or the segment alone) padded to cover 0..1. */
function filled(seq: Segment[] | null, fallback: Segment): Segment[] {
  let out: Segment[];
  if (!seq || seq.length === 0) {
    if (isWhole(fallback)) return [{ from: ZERO, to: ONE }];
    out = [fallback];
  } else out = seq.slice();
  if (cmp(out[0]!.from, ZERO) !== 0) out.unshift({ from: ZERO, to: out[0]!.from });
  if (cmp(out[out.length - 1]!.to, ONE) !== 0) out.push({ from: out[out.length - 1]!.to, to: ONE });
  return out;
}

/** ExecutionSegmentSequenceWrapper: a full sequence with its striped offsets. */
interface Striped {
  seq: Segment[];
  lcd: number;
  /** Per segment: [start, delta, ..., wrap delta] (k6's offsets layout). */
  offsets: number[][];
}

/** Largest LCD striped here: k6 loops over it too, and a longer one means a pathological sequence. */
const MAX_LCD = 10_000_000;

function striped(seq: Segment[]): Striped {
  const lengths = seq.map((s) => sub(s.to, s.from));
  let lcd = lengths[0]!.d;
  for (const l of lengths.slice(1)) if (lcd % l.d !== 0) lcd = safe(lcd * (l.d / gcd(lcd, l.d)), 'LCD');
  if (lcd > MAX_LCD) throw new SegmentError(`the sequence's lowest common denominator ${lcd} is too large: use simpler fractions`);
  const sorted = lengths.map((l, i) => ({ num: l.n * (lcd / l.d), index: i }));
  // Array.prototype.sort is stable (ES2019; goja and V8 both), as Go's SliceStable.
  sorted.sort((a, b) => b.num - a.num);
  const offsets: number[][] = seq.map(() => []);
  const prev = seq.map(() => 0);
  const chosen = seq.map(() => 0);
  for (let i = 0; i < lcd; i++) {
    for (let si = 0; si < chosen.length; si++) {
      const num = chosen[si]! * lcd;
      const denom = sorted[si]!.num;
      const q = Math.floor(num / denom);
      if (i > q || (i === q && num % denom === 0)) {
        chosen[si]!++;
        const idx = sorted[si]!.index;
        const o = offsets[idx]!;
        o.push(i - prev[idx]!);
        prev[idx] = i;
        if (o.length === denom) o.push(o[0]! + lcd - i);
        break;
      }
    }
  }
  return { seq, lcd, offsets };
}

/** ScaleInt64: how many of the first `value` indexes fall in segment `index`. */
function scale(w: Striped, index: number, value: number): number {
  const o = w.offsets[index]!;
  const per = o.length - 1;
  let result = Math.floor(value / w.lcd) * per;
  const rest = value % w.lcd;
  for (let gi = 0, i = o[0]!; i < rest; i += o[1 + gi]!, gi++) result++;
  return result;
}

function position(w: Striped, s: Segment): number {
  const i = w.seq.findIndex((x) => ratEqual(x.from, s.from) && ratEqual(x.to, s.to));
  if (i < 0) throw new SegmentError(`provided segment ${segmentString(s)} can't be found in sequence ${sequenceString(w.seq)}`);
  return i;
}

/** ExecutionTuple: this instance's segment within its full sequence. */
export interface Tuple {
  striped: Striped;
  index: number;
}

/**
 * The tuple k6 runs with, from the strings `exec.test.options` shows
 * (`executionSegment`, `executionSegmentSequence`; null when unset).
 */
export function tupleOf(segmentText: string | null | undefined, sequenceText: string | null | undefined): Tuple {
  const seg = parseSegment(segmentText);
  const w = striped(filled(parseSequence(sequenceText), seg));
  return { striped: w, index: position(w, seg) };
}

/** ExecutionTuple.ScaleInt64: this segment's share of an integer (VUs). */
export function scaleFor(t: Tuple, value: number): number {
  return t.striped.seq.length === 1 ? value : scale(t.striped, t.index, value);
}

/** GetNewExecutionTupleFromValue: the sequence re-cut by how `value` splits; null when this segment gets none. */
function retuple(t: Tuple, value: number): Tuple | null {
  const w = t.striped;
  if (value < 1) return null;
  if (value % w.lcd === 0) return t;
  const seq: Segment[] = [];
  let index = -1;
  let prev = 0;
  for (let i = 0; i < w.seq.length; i++) {
    const v = scale(w, i, value);
    if (v === 0) continue;
    if (i === t.index) index = seq.length;
    seq.push({ from: rat(prev, value), to: rat(prev + v, value) });
    prev += v;
  }
  return index < 0 ? null : { striped: striped(seq), index };
}

/**
 * The iterations of a constant-arrival-rate scenario this segment starts:
 * k6 gives the scenario to a segment only when its share of maxVUs is above 0
 * (HasWork), re-cuts the sequence by maxVUs (Init), and starts the global
 * iterations 0..count-1 that fall in the segment's stripe (Run).
 */
export function iterationsFor(t: Tuple, count: number, maxVUs: number): number {
  if (t.striped.seq.length === 1) return count;
  if (scaleFor(t, maxVUs) === 0) return 0;
  const r = retuple(t, maxVUs);
  if (!r) return 0;
  return r.striped.seq.length === 1 ? count : scale(r.striped, r.index, count);
}

/** The global iteration numbers this segment starts, in order, as the executor's loop walks them. */
export function iterationIndexes(t: Tuple, count: number, maxVUs: number): number[] {
  if (t.striped.seq.length === 1) return Array.from({ length: count }, (_, i) => i);
  if (scaleFor(t, maxVUs) === 0) return [];
  const r = retuple(t, maxVUs);
  if (!r) return [];
  if (r.striped.seq.length === 1) return Array.from({ length: count }, (_, i) => i);
  const o = r.striped.offsets[r.index]!;
  const deltas = o.slice(1);
  const out: number[] = [];
  for (let li = 0, gi = o[0]!; gi < count; gi += deltas[li % deltas.length]!, li++) out.push(gi);
  return out;
}

/** What the summary records about the share an instance ran. */
export interface SegmentShare {
  /** As k6 prints it, normalised: `1/2:1`. */
  segment: string;
  /** The full sequence the shares were cut from: `0,1/2,1`. */
  sequence: string;
  /** Planned iterations of this segment per scenario name. */
  planned: Record<string, number>;
  /** VUs this segment gets per scenario name (k6 scales them too). */
  vus: Record<string, number>;
}

/** This instance's share of the plan; null when it runs the whole test. */
export function shareOf(plan: Pick<Plan, 'scenarios'>, segmentText: string | null | undefined, sequenceText: string | null | undefined): SegmentShare | null {
  const t = tupleOf(segmentText, sequenceText);
  if (t.striped.seq.length === 1) return null;
  const planned: Record<string, number> = {};
  const vus: Record<string, number> = {};
  for (const s of plan.scenarios) {
    planned[s.name] = iterationsFor(t, s.count, s.vus);
    vus[s.name] = scaleFor(t, s.vus);
  }
  return { segment: segmentString(t.striped.seq[t.index]!), sequence: sequenceString(t.striped.seq), planned, vus };
}
