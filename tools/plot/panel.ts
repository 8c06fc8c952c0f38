// The SVG of one route: response time per request against time into the
// test, scenario bands, rolling median/p95, then requests per second by class
// and the class mix, all on one time axis.

import { CLASSES } from '../../lib/classify.ts';
import type { ResponseClass } from '../../lib/classify.ts';
import { pickMarks } from './decimate.ts';
import type { MarkOptions } from './decimate.ts';
import type { Dataset, Group } from './model.ts';
import { formatMs, formatSeconds, linearScale, logScale, niceTicks } from './scale.ts';
import type { Scale } from './scale.ts';
import { binPanel } from './stats.ts';
import type { Bins } from './stats.ts';
import { attrs, esc, n1 } from './svg.ts';
import { MEDIAN_COLOUR, P95_COLOUR, classLabel } from './theme.ts';

export interface PanelInput {
  ds: Dataset;
  route: number;
  /** Indices of this route's requests. */
  idx: Uint32Array;
  originMs: number;
  /** Shared by every panel so heights compare. */
  yDomain: [number, number];
  yLog: boolean;
  /** Time resolution of the inputs, s. */
  resolution: number;
  /** Unit of the time axis, the same on every panel. */
  timeUnit: TimeUnit;
  marks: MarkOptions;
  /** The graph in words, marked on the scatter. */
  reading?: PanelMarks;
}

/** Where "the graph in words" puts its marks, seconds into the test. */
export interface PanelMarks {
  sloMs: number;
  onsetS: number | null;
  plateau: { fromS: number; toS: number; levelMs: number | null } | null;
  recoveryS: number | null;
}

export type TimeUnit = 's' | 'min';

/** Minutes read better than four-digit seconds once a test passes 20 minutes. */
export function timeUnitFor(spanSeconds: number): TimeUnit {
  return spanSeconds >= 1200 ? 'min' : 's';
}

export interface PanelOutput {
  svg: string;
  byClass: Record<ResponseClass, number>;
  marks: number;
  full: boolean;
  /** Requests drawn on the floor of a log axis (0 ms: refused before sending). */
  onFloor: number;
}

const W = 1200;
const ML = 84;
const MR = 28;
const PW = W - ML - MR;
const SCATTER_H = 300;
const RPS_H = 90;
const MIX_H = 56;
const AXIS_H = 34;
const GAP = 16;
const MARK_R = 3;

export function renderPanel(p: PanelInput): PanelOutput {
  const { ds, idx, originMs } = p;
  const n = idx.length;
  let tMin = Infinity;
  let tMax = -Infinity;
  for (let j = 0; j < n; j++) {
    const t = ds.sent[idx[j]!]!;
    if (t < tMin) tMin = t;
    if (t > tMax) tMax = t;
  }
  let x0 = (tMin - originMs) / 1000;
  let x1 = (tMax - originMs) / 1000;
  const pad = Math.max((x1 - x0) * 0.015, 0.05);
  x0 = Math.max(0, x0 - pad);
  x1 += pad;

  const groups = groupSpans(ds, idx, originMs);
  const labels = scenarioLabels(groups, x0, x1);
  const stripH = labels.rotated ? 70 : 22;
  const scatterTop = stripH + 6;
  const rpsTop = scatterTop + SCATTER_H + AXIS_H + GAP;
  const mixTop = rpsTop + RPS_H + GAP;
  const height = mixTop + MIX_H + AXIS_H + 12;
  const minutes = p.timeUnit === 'min';
  const x = timeScale(x0, x1, minutes);
  const y = p.yLog
    ? logScale(p.yDomain[0], p.yDomain[1], scatterTop + SCATTER_H, scatterTop, formatMs)
    : linearScale(0, p.yDomain[1], scatterTop + SCATTER_H, scatterTop, formatMs, 6);

  // Pixel positions for the marks.
  const px = new Float32Array(n);
  const py = new Float32Array(n);
  const cls = new Uint8Array(n);
  const byClass = Object.fromEntries(CLASSES.map((c) => [c, 0])) as Record<ResponseClass, number>;
  let onFloor = 0;
  for (let j = 0; j < n; j++) {
    const i = idx[j]!;
    px[j] = x((ds.sent[i]! - originMs) / 1000);
    const d = ds.durationMs[i]!;
    py[j] = y(d);
    if (p.yLog && d < p.yDomain[0]) onFloor++;
    cls[j] = ds.cls[i]!;
    byClass[CLASSES[cls[j]!]!]++;
  }
  const picked = pickMarks(px, py, cls, PW, SCATTER_H, p.marks);
  // Fine bins for the rolling quantiles; coarse ones so each bar of the
  // rate and mix charts holds enough requests to mean something.
  const fine = binPanel(ds, idx, originMs, x0, x1, p.resolution, 160);
  const coarse = binPanel(ds, idx, originMs, x0, x1, p.resolution, 50, false);
  const route = ds.routes[p.route]!;

  const out: string[] = [];
  out.push(
    `<svg class="panel-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}"` +
      attrs({ role: 'img', 'aria-label': `Response times for route ${route}`, 'data-route': route, 'data-requests': n, 'data-marks': picked.keep.length, 'data-decimated': picked.full ? 'false' : 'true' }) +
      '>',
  );
  out.push(`<rect x="0" y="0" width="${W}" height="${height}" fill="#fff"/>`);
  // Scenario bands behind all three charts.
  for (const [top, h] of [[scatterTop, SCATTER_H], [rpsTop, RPS_H], [mixTop, MIX_H]] as const) {
    out.push(bands(groups, x, top, h));
  }
  if (p.reading?.plateau) out.push(plateauBand(p.reading.plateau, x, x0, x1, scatterTop));
  out.push(labels.svg(x, stripH));
  out.push(yAxis(y, scatterTop, SCATTER_H, p.yLog ? 'Response time (log scale)' : 'Response time'));
  out.push(xAxis(x, scatterTop + SCATTER_H, scatterTop, SCATTER_H, minutes));
  out.push(`<g clip-path="url(#clip-${p.route})">`);
  out.push(`<clipPath id="clip-${p.route}"><rect x="${ML - MARK_R - 1}" y="${scatterTop - MARK_R - 1}" width="${PW + 2 * MARK_R + 2}" height="${SCATTER_H + 2 * MARK_R + 2}"/></clipPath>`);
  out.push(marks(ds, idx, picked.keep, picked.full, px, py, cls, originMs));
  out.push(quantileLines(fine, x, y));
  out.push('</g>');
  if (p.reading) out.push(readingMarks(p.reading, x, y, x0, x1, scatterTop));
  out.push(rpsChart(coarse, x, rpsTop));
  out.push(mixChart(coarse, x, mixTop, minutes));
  out.push('</svg>');
  return { svg: out.join(''), byClass, marks: picked.keep.length, full: picked.full, onFloor };
}

/** Seconds in, pixels out; ticks on round seconds or round minutes. */
function timeScale(x0: number, x1: number, minutes: boolean): Scale {
  const u = minutes ? 60 : 1;
  const x = linearScale(x0, x1, ML, ML + PW, formatSeconds, 12);
  x.ticks = niceTicks(x0 / u, x1 / u, 12).map((t) => t * u);
  x.format = (v) => String(Number((v / u).toPrecision(6)));
  return x;
}

interface Span {
  group: Group;
  start: number;
  end: number;
  n: number;
}

function groupSpans(ds: Dataset, idx: Uint32Array, originMs: number): Span[] {
  const spans = new Map<number, Span>();
  for (let j = 0; j < idx.length; j++) {
    const i = idx[j]!;
    const g = ds.group[i]!;
    const t = (ds.sent[i]! - originMs) / 1000;
    const s = spans.get(g);
    if (!s) spans.set(g, { group: ds.groups[g]!, start: t, end: t, n: 1 });
    else {
      if (t < s.start) s.start = t;
      if (t > s.end) s.end = t;
      s.n++;
    }
  }
  return [...spans.values()].sort((a, b) => a.start - b.start);
}

function bands(spans: Span[], x: Scale, top: number, h: number): string {
  const out: string[] = [];
  spans.forEach((s, k) => {
    const a = x(s.start);
    const b = Math.max(x(s.end), a + 1);
    if (k % 2 === 0) out.push(`<rect class="band" x="${n1(a)}" y="${top}" width="${n1(b - a)}" height="${h}"/>`);
    out.push(`<line class="boundary" x1="${n1(a)}" x2="${n1(a)}" y1="${top}" y2="${top + h}"/>`);
  });
  return out.join('');
}

/** Label texts from long to short; the panel uses the longest that fits every band. */
function labelTexts(g: Group): string[] {
  const c = Number.isNaN(g.count) ? undefined : g.count;
  const o = Number.isNaN(g.offset) ? undefined : g.offset;
  if (c === undefined && o === undefined) return [g.scenario || '(no scenario)'];
  const cs = c === undefined ? '?' : String(c);
  const os = o === undefined ? '?' : String(o);
  return [`count ${cs}, offset ${os} ms`, `${cs} × ${os} ms`, `c${cs} o${os}`];
}

function scenarioLabels(spans: Span[], x0: number, x1: number) {
  const pxPerS = PW / Math.max(x1 - x0, 1e-9);
  const widthOf = (s: string) => s.length * 6.2 + 6;
  let choice = -1;
  for (let k = 0; k < 3 && choice < 0; k++) {
    const fits = spans.every((s, j) => {
      const texts = labelTexts(s.group);
      const room = ((j + 1 < spans.length ? spans[j + 1]!.start : x1) - s.start) * pxPerS;
      return widthOf(texts[Math.min(k, texts.length - 1)]!) <= room;
    });
    if (fits) choice = k;
  }
  const rotated = choice < 0;
  return {
    rotated,
    svg(x: Scale, stripH: number): string {
      return spans
        .map((s) => {
          const texts = labelTexts(s.group);
          const text = texts[rotated ? texts.length - 1 : Math.min(choice, texts.length - 1)]!;
          const a = x(s.start);
          const title = `<title>${esc(`${s.group.scenario}: ${s.n} requests, ${formatSeconds(s.start)}–${formatSeconds(s.end)} s`)}</title>`;
          return rotated
            ? `<text class="scn" transform="translate(${n1(a + 4)},${stripH}) rotate(-60)">${esc(text)}${title}</text>`
            : `<text class="scn" x="${n1(a + 3)}" y="${stripH - 6}">${esc(text)}${title}</text>`;
        })
        .join('');
    },
  };
}

/** Behind the dots: the plateau's span, where it overlaps this panel's time range. */
function plateauBand(pl: NonNullable<PanelMarks['plateau']>, x: Scale, x0: number, x1: number, top: number): string {
  const a = Math.max(pl.fromS, x0);
  const b = Math.min(pl.toS, x1);
  if (b < a) return '';
  return `<rect class="w-plateau" data-mark="plateau" x="${n1(x(a))}" y="${top}" width="${n1(Math.max(x(b) - x(a), 1))}" height="${SCATTER_H}"/>`;
}

/**
 * Over the dots: the p95 gate, the onset and recovery lines and the plateau's
 * level, each labelled; a mark outside this panel's time range (another
 * route's requests) is left out.
 */
function readingMarks(r: PanelMarks, x: Scale, y: Scale, x0: number, x1: number, top: number): string {
  const out: string[] = [`<g class="reading">`];
  const inX = (t: number) => t >= x0 && t <= x1;
  if (r.sloMs >= y.domain[0] && r.sloMs <= y.domain[1]) {
    const yy = n1(y(r.sloMs));
    out.push(`<line class="slo" data-mark="slo" x1="${ML}" x2="${ML + PW}" y1="${yy}" y2="${yy}"/>`);
    out.push(`<text class="wlabel slo" x="${ML + PW - 4}" y="${n1(y(r.sloMs) - 4)}" text-anchor="end">p95 gate ${r.sloMs} ms</text>`);
  }
  const vline = (t: number, mark: string, label: string) => {
    const xx = n1(x(t));
    out.push(`<line class="w-${mark}" data-mark="${mark}" x1="${xx}" x2="${xx}" y1="${top}" y2="${top + SCATTER_H}"/>`);
    out.push(`<text class="wlabel ${mark}" x="${n1(x(t) + 4)}" y="${top + 12}">${esc(label)}<title>${esc(`${label}: ${formatSeconds(t)} s into the test`)}</title></text>`);
  };
  if (r.onsetS !== null && inX(r.onsetS)) vline(r.onsetS, 'onset', 'onset');
  const pl = r.plateau;
  if (pl && pl.levelMs !== null && pl.toS >= x0 && pl.fromS <= x1) {
    const a = x(Math.max(pl.fromS, x0));
    const b = x(Math.min(pl.toS, x1));
    const yy = y(pl.levelMs);
    out.push(`<line class="w-level" data-mark="plateau-level" x1="${n1(a)}" x2="${n1(b)}" y1="${n1(yy)}" y2="${n1(yy)}"/>`);
    out.push(`<text class="wlabel plateau" x="${n1((a + b) / 2)}" y="${n1(Math.max(yy - 6, top + 26))}" text-anchor="middle">plateau ${esc(formatMs(pl.levelMs))}</text>`);
  }
  if (r.recoveryS !== null && inX(r.recoveryS)) vline(r.recoveryS, 'recovery', 'recovered');
  out.push('</g>');
  return out.join('');
}

function yAxis(y: Scale, top: number, h: number, title: string): string {
  const out: string[] = [];
  for (const t of y.ticks) {
    const v = y(t);
    if (v < top - 0.5 || v > top + h + 0.5) continue;
    out.push(`<line class="grid" x1="${ML}" x2="${ML + PW}" y1="${n1(v)}" y2="${n1(v)}"/>`);
    out.push(`<text class="tick" x="${ML - 6}" y="${n1(v + 4)}" text-anchor="end">${esc(y.format(t))}</text>`);
  }
  out.push(`<line class="axis" x1="${ML}" x2="${ML}" y1="${top}" y2="${top + h}"/>`);
  out.push(`<text class="axis-title" transform="translate(16,${top + h / 2}) rotate(-90)" text-anchor="middle">${esc(title)}</text>`);
  return out.join('');
}

function xAxis(x: Scale, base: number, top: number, h: number, minutes: boolean, title = true): string {
  const out: string[] = [];
  for (const t of x.ticks) {
    const v = x(t);
    out.push(`<line class="grid" x1="${n1(v)}" x2="${n1(v)}" y1="${top}" y2="${base}"/>`);
    out.push(`<text class="tick" x="${n1(v)}" y="${base + 15}" text-anchor="middle">${esc(x.format(t))}</text>`);
  }
  out.push(`<line class="axis" x1="${ML}" x2="${ML + PW}" y1="${base}" y2="${base}"/>`);
  if (title) {
    out.push(`<text class="axis-title" x="${ML + PW / 2}" y="${base + 30}" text-anchor="middle">Time into test (${minutes ? 'min' : 's'}), by when each request was sent</text>`);
  }
  void h;
  return out.join('');
}

function marks(ds: Dataset, idx: Uint32Array, keep: Uint32Array, full: boolean, px: Float32Array, py: Float32Array, cls: Uint8Array, originMs: number): string {
  const out: string[] = [`<g class="marks">`];
  if (full) {
    const titles = keep.length <= 5000;
    for (const j of keep) {
      const c = CLASSES[cls[j]!]!;
      const i = idx[j]!;
      const title = titles
        ? `<title>${esc(`${formatSeconds((ds.sent[i]! - originMs) / 1000)} s: ${formatMs(ds.durationMs[i]!)}, ${classLabel(c)}, ${ds.groups[ds.group[i]!]!.scenario}`)}</title>`
        : '';
      out.push(`<circle data-class="${c}" cx="${n1(px[j]!)}" cy="${n1(py[j]!)}" r="${MARK_R}">${title}</circle>`);
    }
  } else {
    // One path per class: zero-length subpaths with round caps draw as dots,
    // far lighter for the browser than tens of thousands of elements.
    const paths = CLASSES.map(() => [] as string[]);
    for (const j of keep) paths[cls[j]!]!.push(`M${n1(px[j]!)} ${n1(py[j]!)}h0`);
    CLASSES.forEach((c, k) => {
      if (paths[k]!.length) out.push(`<path data-class="${c}" data-count="${paths[k]!.length}" class="dots" d="${paths[k]!.join('')}"/>`);
    });
  }
  out.push('</g>');
  return out.join('');
}

function quantileLines(bins: Bins, x: Scale, y: Scale): string {
  const line = (vals: Float64Array): string => {
    let d = '';
    let open = false;
    for (let b = 0; b < bins.size; b++) {
      const v = vals[b]!;
      if (Number.isNaN(v)) {
        open = false;
        continue;
      }
      const cx = n1(x(bins.start + (b + 0.5) * bins.width));
      d += `${open ? 'L' : 'M'}${cx} ${n1(y(v))}`;
      open = true;
    }
    return d;
  };
  const med = line(bins.median);
  const p95 = line(bins.p95);
  return (
    `<g class="quantiles">` +
    `<path class="halo" d="${p95}"/><path class="p95" stroke="${P95_COLOUR}" d="${p95}"/>` +
    `<path class="halo" d="${med}"/><path class="median" stroke="${MEDIAN_COLOUR}" d="${med}"/>` +
    `</g>`
  );
}

function stacked(bins: Bins, x: Scale, top: number, h: number, value: (b: number, count: number) => number, max: number): string {
  const out: string[] = [];
  const k = h / max;
  for (let b = 0; b < bins.size; b++) {
    if (!bins.total[b]) continue;
    const a = x(bins.start + b * bins.width);
    const w = Math.max(x(bins.start + (b + 1) * bins.width) - a - (bins.size < 80 ? 1 : 0.3), 0.8);
    let base = top + h;
    CLASSES.forEach((c, ci) => {
      const cnt = bins.byClass[ci]![b]!;
      if (!cnt) return;
      const hh = value(b, cnt) * k;
      base -= hh;
      out.push(`<rect class="bar" data-class="${c}" x="${n1(a)}" y="${n1(base)}" width="${n1(w)}" height="${n1(hh)}"/>`);
    });
  }
  return out.join('');
}

function rpsChart(bins: Bins, x: Scale, top: number): string {
  let peak = 0;
  for (let b = 0; b < bins.size; b++) peak = Math.max(peak, bins.total[b]! / bins.width);
  const y = linearScale(0, peak || 1, top + RPS_H, top, (v) => String(v), 3);
  const max = y.ticks.length ? Math.max(peak, y.ticks[y.ticks.length - 1]!) : peak || 1;
  const yy = linearScale(0, max, top + RPS_H, top, (v) => String(v), 3);
  return (
    yAxis(yy, top, RPS_H, 'Requests/s') +
    xAxis(x, top + RPS_H, top, RPS_H, false, false).replace(/<text class="tick"[^>]*>[^<]*<\/text>/g, '') +
    stacked(bins, x, top, RPS_H, (_b, c) => c / bins.width, max) +
    `<text class="note" x="${ML + PW}" y="${top - 4}" text-anchor="end">requests per second by class, ${formatSeconds(bins.width)} s bins</text>`
  );
}

function mixChart(bins: Bins, x: Scale, top: number, minutes: boolean): string {
  const y = linearScale(0, 100, top + MIX_H, top, (v) => `${v}%`, 2);
  return (
    yAxis(y, top, MIX_H, 'Class mix') +
    xAxis(x, top + MIX_H, top, MIX_H, minutes) +
    stacked(bins, x, top, MIX_H, (b, c) => (100 * c) / bins.total[b]!, 100)
  );
}
