// The latency-over-time graph read in words, as the optimisations report read
// its own by eye ("under 100 ms for the first ~1600 requests", "a plateau of
// ~16 s", times falling "as the spacing of requests increases"): where
// degradation began (onset), the level it held (plateau), and where and why it
// ended (recovery). Pure and deterministic: a Dataset in, a Reading out, then
// one terminal line, a report.md section and a report.html fragment.
//
// The rules (docs/results.md#the-graph-in-words says the same):
// - Requests in send order (ties keep input order). A request is degraded when
//   it took longer than the SLO or was not a success (no response included).
// - Windows of the trailing k requests, k = clamp(round(n / 50), 20, 200).
//   A window is bad when its p95 is over the SLO (a request that failed counts
//   as infinitely slow) or its success share is under the success rate.
// - A degraded stretch is at least 2k bad windows in a row. One bad request
//   spoils at most k windows, a burst of b <= k requests at most b + k - 1 < 2k,
//   so isolated outliers and short bursts never make one.
// - ONSET: the first degraded request in the first bad window of the first
//   stretch: a step change is found at its own request, not k x 5 % later.
// - RECOVERY: the first window after the stretch that starts at least k good
//   windows in a row (or good windows to the end). Bad spells in between
//   belong to the same degradation. Reported at the request after the last
//   degraded one of the last bad window, the onset's rule mirrored.
// - PLATEAU: inside onset..(recovery - 1), the longest run of windows whose
//   rolling median stays within ±25 % of that span's median; the rise and the
//   fall are left out, so its duration is the flat part's. Level: the median
//   latency of the successes in it.
// - Fewer requests than one stretch needs (k for the first window, then 2k bad
//   windows: 3k - 1) cannot be read.
// Only counts slide along the windows (p95 > SLO ⟺ more than k - ceil(0.95k)
// requests over it), so a million requests cost one sort and a few passes.

import { CLASS_INDEX } from './model.ts';
import type { Dataset } from './model.ts';
import { formatMs } from './scale.ts';
import { esc } from './svg.ts';

export interface ReadOptions {
  /** The p95 latency gate, ms. */
  sloMs: number;
  /** The success-rate gate, 0..1. */
  successRate: number;
  /** The k6 profile: `spike` explains a recovery at the same spacing. */
  profile?: string;
}

export interface Onset {
  /** Position in send order, from 0 (the words count requests from 1). */
  index: number;
  /** ms since the first request was sent. */
  atMs: number;
  /** Which rule the first bad window broke, e.g. `p95 > 1000 ms`. */
  cause: string;
  scenario: string;
}

export interface Plateau {
  /** Median latency of the plateau's successful requests; null when none succeeded. */
  levelMs: number | null;
  fromIndex: number;
  toIndex: number;
  fromMs: number;
  toMs: number;
  durationMs: number;
  /** Share of the plateau's requests that succeeded, 0..1. */
  successShare: number;
}

export interface Recovery {
  index: number;
  atMs: number;
  reason: string;
  scenario: string;
}

export interface Reading {
  n: number;
  sloMs: number;
  successRate: number;
  /** k: requests per rolling window. */
  window: number;
  /** Fewer requests than a degraded stretch needs: nothing else was read. */
  tooFew: boolean;
  onset: Onset | null;
  plateau: Plateau | null;
  recovery: Recovery | null;
  /** Degraded stretches that began after the recovery. */
  moreStretches: number;
  /** Runs of bad windows too short to count (under 2k). */
  ignoredBursts: number;
  /** One terminal line, `graph: ...`. */
  line: string;
}

export const PLATEAU_BAND = 0.25;

/** k = clamp(round(n / 50), 20, 200). */
export function windowSize(n: number): number {
  return Math.min(200, Math.max(20, Math.round(n / 50)));
}

/** k trailing requests for the first window, then 2k bad windows. */
export function minRequests(k: number): number {
  return 3 * k - 1;
}

export function readGraph(ds: Dataset, o: ReadOptions): Reading {
  const n = ds.n;
  const k = windowSize(n);
  const base = { n, sloMs: o.sloMs, successRate: o.successRate, window: k, onset: null, plateau: null, recovery: null, moreStretches: 0, ignoredBursts: 0 };
  if (n < minRequests(k)) {
    return { ...base, tooFew: true, line: `graph: too few requests to read (${num(n)}; a reading needs at least ${num(minRequests(k))})` };
  }
  const order = sendOrder(ds);
  const t0 = ds.sent[order[0]!]!;
  const at = (j: number) => ds.sent[order[j]!]! - t0;
  const groupAt = (j: number) => ds.groups[ds.group[order[j]!]!]!;
  // Latency in send order; a request that did not succeed is infinitely slow.
  const success = CLASS_INDEX.success;
  const v = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    v[j] = ds.cls[i] === success ? ds.durationMs[i]! : Infinity;
  }
  const bad = badWindows(v, k, o);
  const runs = runsOf(bad);
  const stretches = runs.filter(([a, b]) => b - a + 1 >= 2 * k);
  if (stretches.length === 0) {
    const ignored = runs.length;
    const tail = ignored ? `; ${ignored} burst${ignored === 1 ? '' : 's'} too short to count ignored` : '';
    return {
      ...base, tooFew: false, ignoredBursts: ignored,
      line: `graph: no degradation (rolling p95 stayed under ${o.sloMs} ms, success at or above ${pct(o.successRate)}${tail})`,
    };
  }

  const first = stretches[0]!;
  const onsetIdx = firstDegraded(v, o.sloMs, first[0] - k + 1, first[0]);
  const onset: Onset = { index: onsetIdx, atMs: at(onsetIdx), cause: causeOf(bad[first[0]]!, o), scenario: groupAt(onsetIdx).scenario };

  // The degradation lasts until k good windows in a row (or good to the end).
  let r = -1;
  let lastBad = first[1];
  for (let s = runs.indexOf(first); s < runs.length; s++) {
    lastBad = runs[s]![1];
    const nextBad = s + 1 < runs.length ? runs[s + 1]![0] : n;
    if (lastBad + 1 < n && (nextBad - (lastBad + 1) >= k || nextBad === n)) {
      r = lastBad + 1;
      break;
    }
  }
  const lastDegraded = lastDegradedIn(v, o.sloMs, lastBad - k + 1, lastBad);
  const plateau = findPlateau(v, onsetIdx, lastDegraded, k, at);

  let recovery: Recovery | null = null;
  let moreStretches = 0;
  if (r >= 0) {
    const idx = lastDegraded + 1;
    recovery = { index: idx, atMs: at(idx), reason: reasonFor(groupAt(onsetIdx).offset, groupAt(idx).offset, o.profile), scenario: groupAt(idx).scenario };
    moreStretches = stretches.filter(([a]) => a > r).length;
  }
  const reading = { ...base, tooFew: false, onset, plateau, recovery, moreStretches, ignoredBursts: runs.length - stretches.length };
  return { ...reading, line: `graph: ${degradedText(reading, o)}` };
}

/** Indices by send time; equal times keep input order. */
export function sendOrder(ds: Dataset): Uint32Array {
  const order = new Uint32Array(ds.n);
  let sorted = true;
  for (let i = 0; i < ds.n; i++) {
    order[i] = i;
    if (i > 0 && ds.sent[i]! < ds.sent[i - 1]!) sorted = false;
  }
  if (sorted) return order;
  // k6 writes samples as responses end, so the input is nearly in send order:
  // Array's sort (TimSort) takes such runs about twice as fast as a typed array's.
  const plain = Array.from(order);
  plain.sort((a, b) => ds.sent[a]! - ds.sent[b]! || a - b);
  order.set(plain);
  return order;
}

const P95_BAD = 1;
const SUCCESS_BAD = 2;

/** Per window end j >= k - 1: P95_BAD | SUCCESS_BAD for the rules broken by requests j-k+1..j; 0 when good (or no full window yet). */
export function badWindows(v: Float64Array, k: number, o: Pick<ReadOptions, 'sloMs' | 'successRate'>): Uint8Array {
  // p95 = the ceil(0.95k)-th smallest, so it is over the SLO exactly when more than k - ceil(0.95k) are.
  const allowed = k - Math.ceil((95 * k) / 100);
  const bad = new Uint8Array(v.length);
  let over = 0;
  let failed = 0;
  for (let j = 0; j < v.length; j++) {
    if (v[j]! > o.sloMs) over++;
    if (v[j] === Infinity) failed++;
    if (j >= k) {
      if (v[j - k]! > o.sloMs) over--;
      if (v[j - k] === Infinity) failed--;
    }
    if (j < k - 1) continue;
    bad[j] = (over > allowed ? P95_BAD : 0) | ((k - failed) / k < o.successRate ? SUCCESS_BAD : 0);
  }
  return bad;
}

/** Maximal runs [first, last] of bad windows. */
function runsOf(bad: Uint8Array): [number, number][] {
  const runs: [number, number][] = [];
  for (let j = 0; j < bad.length; j++) {
    if (!bad[j]) continue;
    const a = j;
    while (j + 1 < bad.length && bad[j + 1]) j++;
    runs.push([a, j]);
  }
  return runs;
}

function firstDegraded(v: Float64Array, slo: number, from: number, to: number): number {
  for (let j = Math.max(0, from); j <= to; j++) if (v[j]! > slo) return j;
  return to;
}

function lastDegradedIn(v: Float64Array, slo: number, from: number, to: number): number {
  for (let j = to; j >= Math.max(0, from); j--) if (v[j]! > slo) return j;
  return to;
}

function causeOf(bits: number, o: ReadOptions): string {
  const out: string[] = [];
  if (bits & P95_BAD) out.push(`p95 > ${o.sloMs} ms`);
  if (bits & SUCCESS_BAD) out.push(`success < ${pct(o.successRate)}`);
  return out.join(', ');
}

/**
 * The longest run of windows inside a..b whose median stays within ±25 % of
 * a..b's own median (when most of a..b failed, that median is a failure and
 * so must the windows' be). Windows are counted, not sorted: the median (the
 * ceil(k/2)-th smallest) is >= lo when fewer than ceil(k/2) are under lo, and
 * <= hi when at least ceil(k/2) are at or under hi.
 */
function findPlateau(v: Float64Array, a: number, b: number, k: number, at: (j: number) => number): Plateau {
  const span = v.slice(a, b + 1).sort();
  const m = span[Math.ceil(span.length / 2) - 1]!;
  const lo = m * (1 - PLATEAU_BAND);
  const hi = m * (1 + PLATEAU_BAND);
  const h = Math.ceil(k / 2);
  let from = a;
  let to = b;
  let best = -1;
  let bestLen = 0;
  let runStart = -1;
  let under = 0;
  let atMost = 0;
  for (let j = a; j <= b; j++) {
    if (v[j]! < lo) under++;
    if (v[j]! <= hi) atMost++;
    if (j - k >= a) {
      if (v[j - k]! < lo) under--;
      if (v[j - k]! <= hi) atMost--;
    }
    if (j - a < k - 1) continue;
    if (under < h && atMost >= h) {
      if (runStart < 0) runStart = j;
      if (j - runStart + 1 > bestLen) {
        bestLen = j - runStart + 1;
        best = runStart;
      }
    } else runStart = -1;
  }
  // A span shorter than a window, or one no window's median keeps near: the span itself.
  if (best >= 0) {
    from = best - k + 1;
    to = best + bestLen - 1;
  }
  // Failures sort last (Infinity): the successes are the first `answered`.
  const sorted = v.slice(from, to + 1).sort();
  let answered = 0;
  while (answered < sorted.length && sorted[answered] !== Infinity) answered++;
  const ok = sorted.subarray(0, answered);
  const mid = ok.length >> 1;
  const level = ok.length === 0 ? null : ok.length % 2 ? ok[mid]! : (ok[mid - 1]! + ok[mid]!) / 2;
  return { levelMs: level, fromIndex: from, toIndex: to, fromMs: at(from), toMs: at(to), durationMs: at(to) - at(from), successShare: ok.length / (to - from + 1) };
}

/** Why the graph came back down, from the spacing of the requests at the onset and at the recovery. */
export function reasonFor(onsetOffset: number, recoveryOffset: number, profile?: string): string {
  const known = Number.isFinite(onsetOffset) && Number.isFinite(recoveryOffset);
  if (known && recoveryOffset > onsetOffset) {
    const grew = `the spacing grew from ${onsetOffset} ms to ${recoveryOffset} ms`;
    return profile === 'spike' ? `the spike ended (${grew})` : grew;
  }
  if (profile === 'spike' && !known) return 'the spike ended';
  if (known && recoveryOffset < onsetOffset) return `although the spacing shrank from ${onsetOffset} ms to ${recoveryOffset} ms`;
  if (known) return `at the same spacing (${recoveryOffset} ms)`;
  return 'at the same spacing, as far as the scenarios tell (no offset tag)';
}

type Degraded = Omit<Reading, 'line'> & { onset: Onset; plateau: Plateau };

function degradedText(r: Degraded, o: ReadOptions): string {
  const onset = `degraded from request ${num(r.onset.index + 1)} (at ${clock(r.onset.atMs)}; ${r.onset.cause})`;
  const plateau = `plateau ${plateauLevel(r.plateau, o.successRate)} for ${clock(r.plateau.durationMs)}`;
  const end = r.recovery
    ? `recovered at request ${num(r.recovery.index + 1)} (at ${clock(r.recovery.atMs)}): ${r.recovery.reason}`
    : 'did not recover by the end of the run';
  const more = r.moreStretches ? `; ${r.moreStretches} more degraded stretch${r.moreStretches === 1 ? '' : 'es'} later` : '';
  return `${onset}, ${plateau}, ${end}${more}`;
}

/** A plateau of failures is not read as its few successes' latency. */
function plateauLevel(p: Plateau, successRate: number): string {
  if (p.levelMs === null) return 'with no successful answers';
  if (p.successShare < 0.5) return `mostly failures (${pct(p.successShare)} success, answered in a median ${formatMs(p.levelMs)})`;
  return `${formatMs(p.levelMs)}${p.successShare < successRate ? ` (${pct(p.successShare)} success)` : ''}`;
}

/** Time into the test as the report wrote it: 4.2s, 42s, 1m 21s, 8m 02s, 1h 05m 00s. */
export function clock(ms: number): string {
  const s = ms / 1000;
  if (s < 9.95) return `${s.toFixed(1)}s`;
  const t = Math.round(s);
  if (t < 60) return `${t}s`;
  const two = (x: number) => String(x).padStart(2, '0');
  const hours = Math.floor(t / 3600);
  const rest = `${two(Math.floor(t / 60) % 60)}m ${two(t % 60)}s`;
  return hours ? `${hours}h ${rest}` : `${Math.floor(t / 60)}m ${two(t % 60)}s`;
}

function num(x: number): string {
  return x.toLocaleString('en-GB');
}

function pct(share: number): string {
  return `${Number((share * 100).toFixed(2))} %`;
}

export const SECTION_TITLE = 'The graph in words';

/** The rows under the line: what each mark on the plot is. */
function rows(r: Reading): [string, string, string, string][] {
  const out: [string, string, string, string][] = [];
  if (r.onset) out.push(['Onset', num(r.onset.index + 1), clock(r.onset.atMs), `${r.onset.cause} (scenario ${r.onset.scenario})`]);
  if (r.plateau) {
    const p = r.plateau;
    const level = p.levelMs === null ? 'no successful answers' : `median ${formatMs(p.levelMs)}, ${pct(p.successShare)} success`;
    out.push(['Plateau', `${num(p.fromIndex + 1)} to ${num(p.toIndex + 1)}`, `${clock(p.fromMs)} to ${clock(p.toMs)} (${clock(p.durationMs)})`, level]);
  }
  if (r.onset) {
    out.push(r.recovery
      ? ['Recovery', num(r.recovery.index + 1), clock(r.recovery.atMs), `${r.recovery.reason} (scenario ${r.recovery.scenario})`]
      : ['Recovery', 'none', '', 'did not recover by the end of the run']);
  }
  return out;
}

function how(r: Reading): string {
  return (
    `Read from the requests in send order, in windows of the last ${num(r.window)}: a window is bad when its p95 is over ${r.sloMs} ms ` +
    `(a request that failed counts as infinitely slow) or fewer than ${pct(r.successRate)} of it succeeded. ` +
    `Only ${num(2 * r.window)} bad windows in a row count as degradation, so an isolated slow request or a burst of up to ${num(r.window)} never does.`
  );
}

/** The line without its `graph: ` prefix, as a sentence. */
function sentence(r: Reading): string {
  const s = r.line.replace(/^graph: /, '');
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
}

/** `## The graph in words` for report.md; `plotFile` links the page the marks are on. */
export function readingMarkdown(r: Reading, plotFile?: string): string {
  const out = [`## ${SECTION_TITLE}`, '', sentence(r), ''];
  const body = rows(r);
  if (body.length) {
    out.push('| | request | time into the test | |', '| --- | --- | --- | --- |');
    for (const row of body) out.push(`| ${row.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
    out.push('');
  }
  if (!r.tooFew) out.push(how(r) + (plotFile ? ` The plot marks them: [${plotFile}](${encodeURI(plotFile)}).` : ''), '');
  return out.join('\n');
}

/** The same as an HTML section, for report.html and above the plot's charts. */
export function readingHtml(r: Reading, plotFile?: string): string {
  const status = r.onset ? (r.recovery ? 'warn' : 'fail') : r.tooFew ? 'warn' : 'pass';
  const body = rows(r);
  const table = body.length
    ? `<div class="scroll"><table class="left"><thead><tr><th></th><th>Request</th><th>Time into the test</th><th></th></tr></thead><tbody>` +
      body.map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('') +
      '</tbody></table></div>'
    : '';
  const link = plotFile ? ` The plot marks them: <a href="${esc(encodeURI(plotFile))}">${esc(plotFile)}</a>.` : '';
  const notes = r.tooFew ? '' : `<p class="notes">${esc(how(r))}${link}</p>`;
  return `<section class="graph-words" id="the-graph-in-words"><h2>${SECTION_TITLE}</h2><p class="status ${status}" data-graph-line>${esc(sentence(r))}</p>${table}${notes}</section>`;
}
