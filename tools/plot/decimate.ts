// Which requests get a mark. Small panels: every request. Large panels: one
// mark per occupied cell of a pixel grid per class, plus the exact lowest and
// highest request of every column per class, so the drawing looks like the
// full scatter (every extreme, every failure's spot) at a fraction of the marks.

import { CLASSES } from '../../lib/classify.ts';
import { CLASS_INDEX } from './model.ts';

export interface MarkOptions {
  /** Up to this many requests in a panel, each gets its own mark. */
  fullLimit: number;
  /** Aim for at most this many marks per decimated panel. */
  budget: number;
}

export interface Picked {
  full: boolean;
  /** Positions into the panel's arrays, successes first so failures draw on top. */
  keep: Uint32Array;
  /** Cell size used for successes and for the other classes, px (1 when full). */
  cell: [number, number];
}

export const DEFAULT_MARKS: MarkOptions = { fullLimit: 20_000, budget: 60_000 };
const SUCCESS = CLASS_INDEX.success;
const STEPS: [number, number][] = [[2, 2], [3, 2], [4, 2], [6, 2], [8, 2], [8, 3], [8, 4], [12, 6], [16, 8]];

/**
 * @param px py pixel position of each of the panel's requests
 * @param cls class index of each
 */
export function pickMarks(px: Float32Array, py: Float32Array, cls: Uint8Array, width: number, height: number, opts = DEFAULT_MARKS): Picked {
  const n = px.length;
  if (n <= opts.fullLimit) return { full: true, keep: successFirst(Uint32Array.from({ length: n }, (_, i) => i), cls), cell: [1, 1] };
  let keep: Uint32Array = new Uint32Array(0);
  let cell: [number, number] = STEPS[0]!;
  for (const step of STEPS) {
    cell = step;
    keep = decimate(px, py, cls, width, height, step);
    if (keep.length <= opts.budget) break;
  }
  return { full: false, keep: successFirst(keep, cls), cell };
}

function decimate(px: Float32Array, py: Float32Array, cls: Uint8Array, width: number, height: number, [sOk, sBad]: [number, number]): Uint32Array {
  const classes = CLASSES.length;
  const cols = Math.ceil(width / Math.min(sOk, sBad)) + 2;
  const rowsOk = Math.ceil(height / sOk) + 2;
  const rowsBad = Math.ceil(height / sBad) + 2;
  const colsOk = Math.ceil(width / sOk) + 2;
  const colsBad = Math.ceil(width / sBad) + 2;
  const seenOk = new Uint8Array(colsOk * rowsOk);
  const seenBad = new Uint8Array(colsBad * rowsBad * classes);
  // Extremes per 1-px column and class: -1 = none yet.
  const lo = new Int32Array(cols * classes).fill(-1);
  const hi = new Int32Array(cols * classes).fill(-1);
  const colW = Math.min(sOk, sBad);
  const chosen = new Uint8Array(px.length);
  let kept = 0;
  for (let i = 0; i < px.length; i++) {
    const c = cls[i]!;
    const x = clamp(px[i]!, width);
    const y = clamp(py[i]!, height);
    let cellIndex: number;
    let seen: Uint8Array;
    if (c === SUCCESS) {
      cellIndex = Math.floor(x / sOk) * rowsOk + Math.floor(y / sOk);
      seen = seenOk;
    } else {
      cellIndex = (Math.floor(x / sBad) * rowsBad + Math.floor(y / sBad)) * classes + c;
      seen = seenBad;
    }
    if (!seen[cellIndex]) {
      seen[cellIndex] = 1;
      chosen[i] = 1;
      kept++;
    }
    const e = Math.floor(x / colW) * classes + c;
    // Screen y grows downwards: the slowest request has the smallest y.
    if (lo[e]! < 0 || y > py[lo[e]!]!) lo[e] = i;
    if (hi[e]! < 0 || y < py[hi[e]!]!) hi[e] = i;
  }
  for (const arr of [lo, hi]) {
    for (const i of arr) {
      if (i >= 0 && !chosen[i]) {
        chosen[i] = 1;
        kept++;
      }
    }
  }
  const keep = new Uint32Array(kept);
  let k = 0;
  for (let i = 0; i < px.length; i++) if (chosen[i]) keep[k++] = i;
  return keep;
}

function clamp(v: number, max: number): number {
  return v < 0 ? 0 : v > max ? max : v;
}

function successFirst(keep: Uint32Array, cls: Uint8Array): Uint32Array {
  const out = new Uint32Array(keep.length);
  let k = 0;
  for (const i of keep) if (cls[i] === SUCCESS) out[k++] = i;
  for (const i of keep) if (cls[i] !== SUCCESS) out[k++] = i;
  return out;
}
