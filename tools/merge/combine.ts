// Several instances' summaries (one per k6 execution segment) -> one summary
// of the whole run. Pure: counts add exactly; latency comes exact from the raw
// samples when given, otherwise approximate and marked so. Refuses inputs
// that are not the segments of one run, naming the file and the fix.
import { CAUSES, CLASSES } from '../../lib/classify.ts';
import { parseSegment, parseSequence, ratValue, segmentString, sequenceString, type Segment } from '../../lib/segment.ts';
import { breakingPoints, generatorHealth, sumSchedules, totalsOf } from '../../lib/summary/build.ts';
import { judge } from '../../lib/summary/verdict.ts';
import { rejudgeWindows } from '../../lib/summary/windows.ts';
import type {
  GeneratorHealth, GeneratorLimit, HostHealth, InvalidBody, Latency, MergeInfo, RouteResult, ScenarioResult, SummaryModel, ThresholdResult,
} from '../../lib/summary/model.ts';
import { holds, parseExpression } from '../../lib/summary/thresholds.ts';
import { iso } from '../../lib/summary/format.ts';
import { MergeError } from './errors.ts';
import { approximateLatency, APPROXIMATE_METHOD, exactLatency, Samples } from './latency.ts';

export interface Instance {
  file: string;
  model: SummaryModel;
}

/** Exact samples per scenario (tools/merge/raw.ts); null: approximate latency. */
export type RawByScenario = Map<string, Samples> | null;

const SEGMENT_NOTE = /^This instance ran execution segment /;

interface Placed extends Instance {
  seg: Segment;
  sequence: string;
}

/** Same run: profile, label, target, order, gates and the scenario list. */
function checkSameRun(list: Instance[]): void {
  const [first, ...rest] = list;
  const plan = (m: SummaryModel) => m.scenarios.map((s) => `${s.name}:${s.route}:${s.count}:${s.offset}`).join(',');
  const facts: Array<[string, (m: SummaryModel) => unknown, string]> = [
    ['profile', (m) => m.profile, 'PROFILE'],
    ['label', (m) => m.label, 'LABEL'],
    ['target', (m) => m.target, 'BASE_URL'],
    ['version', (m) => m.version, 'the same party-perf version'],
    ['order', (m) => m.order, 'ORDER'],
    ['gates', (m) => JSON.stringify(m.gates), 'the GATE_* variables'],
    ['plan', plan, 'ROUTES, COUNTS, OFFSETS'],
  ];
  for (const other of rest) {
    for (const [name, get, vars] of facts) {
      const a = get(first!.model);
      const b = get(other.model);
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        const show = (v: unknown) => (name === 'plan' ? `${String(v).split(',').length} scenarios` : JSON.stringify(v));
        const detail = name === 'plan' ? firstPlanDifference(first!.model, other.model) : `${show(b)}, but ${first!.file} has ${show(a)}`;
        throw new MergeError(`${other.file}: ${name} ${detail}. Merge only the instances of one run: started together with the same ${vars} and different --execution-segment.`);
      }
    }
  }
}

function firstPlanDifference(a: SummaryModel, b: SummaryModel): string {
  const names = (m: SummaryModel) => new Set(m.scenarios.map((s) => s.name));
  const na = names(a);
  const nb = names(b);
  const onlyB = [...nb].find((n) => !na.has(n));
  const onlyA = [...na].find((n) => !nb.has(n));
  if (onlyB) return `has scenario ${onlyB}, which the first input lacks`;
  if (onlyA) return `lacks scenario ${onlyA}`;
  return 'orders or sizes its scenarios differently';
}

/** The segments must be of one sequence and cover 0..1 once. */
function placeSegments(list: Instance[]): Placed[] {
  const placed: Placed[] = list.map((i) => {
    const info = i.model.segment;
    const seg = parseSegment(info ? info.segment : null);
    return { ...i, seg, sequence: info ? sequenceString(parseSequence(info.sequence)!) : '0,1' };
  });
  const seqs = [...new Set(placed.map((p) => p.sequence))];
  if (seqs.length > 1) {
    const odd = placed.find((p) => p.sequence !== placed[0]!.sequence)!;
    throw new MergeError(`${odd.file}: ran with execution segment sequence ${odd.sequence}, but ${placed[0]!.file} with ${placed[0]!.sequence}. Every instance of a run needs the same --execution-segment-sequence.`);
  }
  placed.sort((a, b) => ratValue(a.seg.from) - ratValue(b.seg.from) || ratValue(a.seg.to) - ratValue(b.seg.to));
  const sequence = parseSequence(placed[0]!.sequence)!;
  const name = (p: Placed) => segmentString(p.seg);
  const missingBetween = (from: number, to: number): string => {
    const want = sequence.filter((s) => ratValue(s.from) >= from && ratValue(s.to) <= to).map(segmentString);
    return want.length ? want.join(', ') : `${from}:${to}`;
  };
  let end = 0;
  let prev: Placed | null = null;
  for (const p of placed) {
    const from = ratValue(p.seg.from);
    if (prev && from < end) {
      throw new MergeError(`${p.file}: segment ${name(p)} overlaps ${name(prev)} of ${prev.file}: the same requests would count twice. Pass each instance's results once (a re-run of a segment replaces the old one).`);
    }
    if (from > end) {
      throw new MergeError(`segment ${missingBetween(end, from)} is missing (before ${name(p)} of ${p.file}): add the results of the instance run with --execution-segment ${missingBetween(end, from).split(', ')[0]}, or re-run that segment.`);
    }
    end = ratValue(p.seg.to);
    prev = p;
  }
  if (end < 1) {
    throw new MergeError(`segment ${missingBetween(end, 1)} is missing (after ${name(prev!)} of ${prev!.file}): add the results of the instance run with --execution-segment ${missingBetween(end, 1).split(', ')[0]}, or re-run that segment.`);
  }
  return placed;
}

function sumRecord(into: Record<string, number>, from: Record<string, number> | undefined): void {
  if (!from) return;
  for (const k of Object.keys(from)) into[k] = (into[k] ?? 0) + from[k]!;
}

function mergeScenario(parts: ScenarioResult[], latency: Latency | null): ScenarioResult {
  const s0 = parts[0]!;
  const out: ScenarioResult = {
    ...s0, planned: 0, sent: 0, notSent: 0, notRun: 0, notScheduled: 0, extra: 0,
    classes: { ...s0.classes }, causes: null, latency, statuses: {},
  };
  for (const c of CLASSES) out.classes[c] = 0;
  for (const p of parts) {
    out.planned += p.planned;
    out.sent += p.sent;
    out.notSent += p.notSent;
    out.notRun += p.notRun;
    out.notScheduled += p.notScheduled ?? 0;
    out.extra += p.extra;
    for (const c of CLASSES) out.classes[c] += p.classes[c] ?? 0;
    if (p.causes) {
      const oc = out.causes ?? (out.causes = { refused: 0, reset: 0, closed: 0, timeout: 0, other: 0 });
      for (const c of CAUSES) oc[c] += p.causes[c];
    }
    sumRecord(out.statuses, p.statuses);
  }
  out.schedule = sumSchedules(parts.map((p) => p.schedule));
  return out;
}

/** The instances' generators as one: counts add, the worst lag is the worst of any; VUs add, unknown where any instance lacks them. */
function mergeGenerator(list: Instance[], totals: SummaryModel['totals'], limit: GeneratorLimit | null): GeneratorHealth | undefined {
  const gs = list.map((i) => i.model.generator);
  if (gs.some((g) => !g)) return undefined;
  const sum = (f: (g: GeneratorHealth) => number | null): number | null =>
    gs.some((g) => f(g!) === null) ? null : gs.reduce((a, g) => a + f(g!)!, 0);
  return generatorHealth(totals, limit, { busyMax: sum((g) => g.vusBusyMax), allocated: sum((g) => g.vusAllocated) });
}

/** The busiest instance's machine: a run is as trustworthy as its least trustworthy generator. */
function busiestHost(list: Instance[]): HostHealth | undefined {
  let best: HostHealth | undefined;
  for (const i of list) {
    const h = i.model.host;
    if (h && (!best || (h.saturatedShare ?? 0) > (best.saturatedShare ?? 0))) best = h;
  }
  return best;
}

const LATENCY_STAT: Record<string, keyof Latency> = {
  min: 'min', max: 'max', avg: 'mean', med: 'median', 'p(90)': 'p90', 'p(95)': 'p95', 'p(99)': 'p99', count: 'count',
};

/**
 * Thresholds re-evaluated on the merged figures: counts add; the checks rate
 * is successes over all checks (each instance's checks = its successes / its
 * rate); latency stats come from the merged overall latency. What cannot be
 * recomputed passes only if it passed on every instance.
 */
function mergeThresholds(list: Instance[], overall: Latency | null, approximate: boolean, notes: string[]): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  const key = (t: ThresholdResult) => `${t.metric} ${t.expression}`;
  const seen = new Set<string>();
  for (const inst of list) {
    for (const t of inst.model.thresholds) {
      const k = key(t);
      if (seen.has(k)) continue;
      seen.add(k);
      const all = list.map((i) => i.model.thresholds.find((x) => key(x) === k) ?? null);
      const p = parseExpression(t.expression);
      let observed: number | null = null;
      if (p && all.every((x) => x !== null && x.observed !== null)) {
        const obs = all.map((x) => x!.observed!);
        if (p.stat === 'count') observed = obs.reduce((a, b) => a + b, 0);
        else if (p.stat === 'rate' && t.metric === 'checks') {
          let passes = 0;
          let total = 0;
          list.forEach((i, n) => {
            const ok = i.model.totals.classes.success;
            passes += ok;
            total += obs[n]! > 0 ? Math.round(ok / obs[n]!) : i.model.totals.sent;
          });
          observed = total > 0 ? passes / total : null;
        } else if (t.metric.startsWith('http_req_duration{expected_response:true') && LATENCY_STAT[p.stat] && overall) {
          observed = overall[LATENCY_STAT[p.stat]!] as number | null;
          if (approximate && p.stat !== 'count' && p.stat !== 'min' && p.stat !== 'max' && p.stat !== 'avg') {
            notes.push(`Gate ${t.metric} ${t.expression} was judged on the approximate merged latency.`);
          }
        }
      }
      const ok = observed !== null && p ? holds(observed, p.op, p.limit) : all.every((x) => x !== null && x.ok);
      out.push({ ...t, ok, observed: observed ?? (all.length === 1 ? t.observed : null) });
    }
  }
  return out;
}

function mergeInvalid(list: Instance[]): InvalidBody[] | undefined {
  const map = new Map<string, InvalidBody>();
  for (const i of list) {
    for (const b of i.model.invalidBodies ?? []) {
      const k = `${b.route}\u0000${b.problem}`;
      const have = map.get(k);
      if (have) have.vus += b.vus;
      else map.set(k, { ...b });
    }
  }
  return list.some((i) => i.model.invalidBodies) ? [...map.values()] : undefined;
}

function mergeGeneratorLimit(list: Instance[]): GeneratorLimit | null {
  const parts = list.map((i) => i.model.generatorLimited).filter((g): g is GeneratorLimit => !!g);
  if (parts.length === 0) return null;
  return {
    scenarios: [...new Set(parts.flatMap((g) => g.scenarios))],
    notScheduled: parts.reduce((a, g) => a + g.notScheduled, 0),
    droppedWithFreeVUs: parts.reduce((a, g) => a + g.droppedWithFreeVUs, 0),
  };
}

export function mergeSummaries(inputs: Instance[], raw: RawByScenario): SummaryModel {
  if (inputs.length === 0) throw new MergeError('nothing to merge: name the results folders or summary.json files of the instances');
  checkSameRun(inputs);
  const list = placeSegments(inputs);
  const first = list[0]!.model;

  // Planned shares must add up to the plan: the segments were cut from one sequence.
  for (let i = 0; i < first.scenarios.length; i++) {
    const s = first.scenarios[i]!;
    const planned = list.reduce((a, p) => a + p.model.scenarios[i]!.planned, 0);
    if (planned !== s.count) {
      throw new MergeError(`scenario ${s.name}: the instances planned ${planned} requests but the plan has ${s.count} (${list.map((p) => `${p.file}: ${p.model.scenarios[i]!.planned}`).join(', ')}). Were they run with different segments or plans? Re-run every segment of one sequence.`);
    }
  }

  const approximate = raw === null;
  if (raw) {
    for (let i = 0; i < first.scenarios.length; i++) {
      const name = first.scenarios[i]!.name;
      const timed = list.reduce((a, p) => a + (p.model.scenarios[i]!.latency?.count ?? 0), 0);
      const got = raw.get(name)?.length ?? 0;
      if (got !== timed) {
        throw new MergeError(`scenario ${name}: the raw outputs hold ${got} timed answers but the summaries count ${timed}. Pass each instance's raw output once (--raw), matching the summaries, or none for approximate latency.`);
      }
    }
  }
  const scenarios = first.scenarios.map((s, i) => {
    const parts = list.map((p) => p.model.scenarios[i]!);
    const latency = raw ? exactLatency(raw.get(s.name)!) : approximateLatency(parts.map((p) => p.latency));
    return mergeScenario(parts, latency);
  });
  const pooled = (names: string[]): Latency | null => {
    const all = new Samples();
    for (const n of names) all.append(raw!.get(n)!);
    return exactLatency(all);
  };
  const routes: RouteResult[] = first.routes.map((r, i) => {
    const names = first.scenarios.filter((s) => s.route === r.route).map((s) => s.name);
    const latency = raw ? pooled(names) : approximateLatency(list.map((p) => p.model.routes[i]!.latency));
    return { ...r, latency, latencySource: latency ? 'k6' : 'none' };
  });
  const overall = raw ? pooled(first.scenarios.map((s) => s.name)) : approximateLatency(list.map((p) => p.model.totals.latency));
  const totals = totalsOf(scenarios, overall);

  const starts = list.map((p) => Date.parse(p.model.startTime));
  const start = Math.min(...starts);
  const end = Math.max(...list.map((p, i) => starts[i]! + p.model.durationMs));
  const same = <T>(get: (m: SummaryModel) => T): T | null => {
    const v = get(first);
    return list.every((p) => JSON.stringify(get(p.model)) === JSON.stringify(v)) ? v : null;
  };
  const merged: MergeInfo = {
    instances: list.map((p) => ({
      file: p.file, segment: segmentString(p.seg), sequence: p.sequence, planned: p.model.totals.planned,
      startTime: p.model.startTime, durationMs: p.model.durationMs,
      ...(p.model.verdict ? { verdict: p.model.verdict } : {}),
      ...(p.model.host ? { host: p.model.host } : {}),
    })),
    latency: approximate ? 'approximate' : 'exact',
    latencyMethod: approximate ? APPROXIMATE_METHOD
      : 'exact: every percentile computed from the raw samples of all instances, as k6 computes them',
  };

  const notes: string[] = [
    `Merged from ${list.length} instances (execution segments ${list.map((p) => segmentString(p.seg)).join(', ')} of ${list[0]!.sequence}): counts are their exact sums.`,
    approximate ? `Latency is ${APPROXIMATE_METHOD}.` : 'Latency is exact: computed from the raw samples of all instances.',
  ];
  const thresholds = mergeThresholds(list, overall, approximate, notes);
  for (const p of list) for (const w of p.model.warnings) if (!SEGMENT_NOTE.test(w)) notes.push(`${p.file}: ${w}`);

  const gate = first.gates ? first.gates.successRate : 0.99;
  const model: SummaryModel = {
    ...first,
    startTime: iso(start),
    durationMs: end - start,
    seed: same((m) => m.seed),
    k6Version: same((m) => m.k6Version),
    interrupted: list.some((p) => p.model.interrupted === true) ? true : list.some((p) => p.model.interrupted === null) ? null : false,
    thresholds,
    bookkeepingThresholds: {
      count: first.bookkeepingThresholds.count,
      failed: list.reduce((a, p) => a + p.model.bookkeepingThresholds.failed, 0),
    },
    scenarios,
    routes,
    breakingPoints: breakingPoints(scenarios, gate),
    totals,
    missingCells: {
      count: list.reduce((a, p) => a + p.model.missingCells.count, 0),
      examples: [...new Set(list.flatMap((p) => p.model.missingCells.examples))].slice(0, 5),
    },
    generatorLimited: mergeGeneratorLimit(list),
    warnings: notes,
    merged,
  };
  delete model.segment;
  const generator = mergeGenerator(list, totals, model.generatorLimited);
  if (generator) model.generator = generator;
  else delete model.generator;
  const host = busiestHost(list);
  if (host) model.host = host;
  else delete model.host;
  // Each instance of a distributed run runs its own setup: any refusal counts.
  const refused = list.find((p) => p.model.setupProblem);
  if (refused) model.setupProblem = `${refused.file}: ${refused.model.setupProblem}`;
  else delete model.setupProblem;
  const invalid = mergeInvalid(list);
  if (invalid) model.invalidBodies = invalid;
  else delete model.invalidBodies;
  model.verdict = judge(model);
  // A soak's drift or a spike's recovery, judged on the summed windows.
  if (first.windows) model.windows = rejudgeWindows(first.windows, scenarios);
  else delete model.windows;
  return model;
}
