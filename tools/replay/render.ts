// The replay's result as terminal text and Markdown, and the checks that say
// whether the report's shape came out. A check that involves a preset whose
// run was not trustworthy (its verdict: the load generator fell behind, or
// the machine was saturated) is not judged: its figures are the machine's as
// much as the target's. Pure.
import { duration, fixed } from '../../lib/summary/format.ts';
import type { VerdictStatus } from '../../lib/summary/model.ts';
import { align } from '../../lib/summary/text.ts';
import type { ReplayOrder } from './order.ts';
import { REPLAY_BUDGET_MS, timeBudgetMs } from './order.ts';
import type { FailureShares, SideBySide } from './published.ts';
import { COUNTERPARTS, pct, signed } from './published.ts';

/** A preset's run as its summary.json judged it (with the machine's samples). */
export interface PresetVerdict {
  preset: string;
  /** null: its summary has no verdict (written before verdicts): judged as before. */
  status: VerdictStatus | null;
  headline: string;
}

export interface ReplayResult {
  speed: number;
  /** Wall time of the whole replay, start to end. */
  wallMs: number;
  sideBySide: SideBySide;
  /** Each preset's whole run, and its counterpart in the report when published. */
  failures: Array<{ preset: string; replay: FailureShares; report: FailureShares | null }>;
  /** Median latency of successful answers, all routes, replay ms. */
  medians: Array<{ preset: string; ms: number | null }>;
  /** One line per preset from the target's /metrics. */
  targetLines: string[];
  /** Each preset's graph in words (tools/plot/words.ts), `<preset>: <line>`; absent or empty: not read. */
  graphLines?: string[];
  /** How the presets ran; absent in a replay from before it was recorded: side by side. */
  order?: ReplayOrder;
  /** Each preset's verdict; absent: none known (every check judged, as before verdicts). */
  verdicts?: PresetVerdict[];
}

export interface Check {
  /** true holds, false FAIL, null not judged (a preset it involves ran untrustworthy: see why). */
  ok: boolean | null;
  text: string;
  /** The presets whose runs the check reads; empty for the replay's own time. */
  presets: string[];
  /** Why it was not judged; absent when judged. */
  why?: string;
}

/** npm start's code for runs the load generator, not the target, decided (tools/run.ts UNTRUSTED_EXIT). */
export const NOTHING_JUDGED_EXIT = 3;

/** Whether a preset's figures may be judged: its run was trustworthy, or no verdict says otherwise. */
export function judged(v: PresetVerdict | undefined): boolean {
  return !v || v.status === null || v.status === 'trustworthy';
}

/** The presets of `r` whose runs were not trustworthy, with their verdicts. */
export function untrustedPresets(r: Pick<ReplayResult, 'verdicts'>): PresetVerdict[] {
  return (r.verdicts ?? []).filter((v) => !judged(v));
}

/** Noise allowed when asking whether success rises with spacing (points). */
export const RISE_NOISE = 5;

/** A check on the figures of `presets`: not judged when one of them ran untrustworthy. */
function check(r: ReplayResult, presets: string[], ok: boolean, text: string): Check {
  const bad = presets.map((p) => r.verdicts?.find((v) => v.preset === p)).filter((v): v is PresetVerdict => !judged(v));
  if (bad.length === 0) return { ok, text, presets };
  const why = bad.map((v) => `${v.preset}'s run was not trustworthy: ${v.headline}`).join('; ');
  return { ok: null, text, presets, why };
}

/** The report's shape, as the issue states it. */
export function shapeChecks(r: ReplayResult): Check[] {
  const col = (p: string) => r.sideBySide.presets.indexOf(p);
  const values = (p: string) => r.sideBySide.rows.map((row) => row.cells[col(p)]?.replay ?? null);
  const checks: Check[] = [];
  const b = values('report-baseline');
  const base = ['report-baseline'];
  if (col('report-baseline') >= 0 && b.every((v) => v !== null)) {
    const v = b as number[];
    const falls = v.flatMap((x, i) => (i > 0 && x < v[i - 1]! - RISE_NOISE ? [`${fixed(v[i - 1]!, 2)} -> ${fixed(x, 2)}`] : []));
    checks.push(check(r, base, falls.length === 0, `report-baseline: success rises with spacing (within ${RISE_NOISE} points)${falls.length ? `: falls ${falls.join(', ')}` : ''}`));
    checks.push(check(r, base, v[0]! < 90, `report-baseline: under 90 % at the shortest spacing (${fixed(v[0]!, 2)} %)`));
    const f = r.failures.find((x) => x.preset === 'report-baseline')?.replay;
    if (f) {
      const largest = Math.max(f.serverError, f.other, f.notSent);
      checks.push(check(r, base, f.noResponse > largest, `report-baseline: No Response is the largest failure class (${fixed(f.noResponse, 2)} % vs 500 ${fixed(f.serverError, 2)} %, other ${fixed(f.other, 2)} %, not sent ${fixed(f.notSent, 2)} %)`));
    }
  }
  const p = values('pool-100');
  if (col('pool-100') >= 0) {
    const low = p.filter((x) => x === null || x < 99);
    checks.push(check(r, ['pool-100'], low.length === 0, `pool-100: at least 99 % at every spacing (lowest ${pct(Math.min(...p.map((x) => x ?? 0)))} %)`));
  }
  const mb = r.medians.find((m) => m.preset === 'report-baseline')?.ms ?? null;
  const mc = r.medians.find((m) => m.preset === 'cached')?.ms ?? null;
  if (col('cached') >= 0 && col('report-baseline') >= 0) {
    checks.push(check(r, ['cached', 'report-baseline'], mb !== null && mc !== null && mc < mb, `cached: median latency below report-baseline's (${pct(mc)} vs ${pct(mb)} ms)`));
  }
  const order = r.order ?? 'side by side';
  const n = r.sideBySide.presets.length;
  const budget = timeBudgetMs(n, order);
  checks.push({
    ok: r.wallMs < budget,
    text: order === 'in turn' && budget !== timeBudgetMs(n, 'side by side')
      ? `the whole replay under ${Math.round(budget / 60_000)} minutes (${Math.round(REPLAY_BUDGET_MS / 60_000)} per preset, in turn) (${duration(r.wallMs)})`
      : `the whole replay under ${Math.round(budget / 60_000)} minutes (${duration(r.wallMs)})`,
    presets: [],
  });
  return checks;
}

/**
 * The replay's exit code: 1 when a judged check fails; NOTHING_JUDGED_EXIT
 * (3) when none fails but no check on a preset's figures could be judged
 * (every such preset ran untrustworthy); 0 otherwise, not-judged checks
 * included.
 */
export function replayExitCode(checks: Check[]): number {
  if (checks.some((c) => c.ok === false)) return 1;
  const onPresets = checks.filter((c) => c.presets.length > 0);
  if (onPresets.length > 0 && onPresets.every((c) => c.ok === null)) return NOTHING_JUDGED_EXIT;
  return 0;
}

function overallRows(r: ReplayResult): { header: string[]; rows: string[][] } {
  const header = ['Offset', 'replay ms'];
  r.sideBySide.presets.forEach((p, i) => header.push(p, r.sideBySide.headings[i]!, 'diff'));
  const rows = r.sideBySide.rows.map((row) => [
    String(row.reportOffset), String(row.replayOffset),
    ...row.cells.flatMap((c) => [pct(c.replay), pct(c.report), signed(c.diff)]),
  ]);
  return { header, rows };
}

function failureRows(r: ReplayResult): { header: string[]; rows: string[][] } {
  const header = ['Run', 'Success (200)', 'No Response', '500', 'Other', 'Not sent'];
  const row = (label: string, f: FailureShares) => [label, pct(f.success), pct(f.noResponse), pct(f.serverError), pct(f.other), pct(f.notSent)];
  const rows: string[][] = [];
  for (const f of r.failures) {
    rows.push(row(f.preset, f.replay));
    if (f.report) rows.push(row(`  ${COUNTERPARTS[f.preset]?.label ?? 'report'}`, f.report));
  }
  return { header, rows };
}

function medianRows(r: ReplayResult): { header: string[]; rows: string[][] } {
  return {
    header: ['Run', 'Median (replay ms)', `x ${r.speed} (report time)`],
    rows: r.medians.map((m) => [m.preset, pct(m.ms), m.ms === null ? 'n/a' : fixed(m.ms * r.speed, 0)]),
  };
}

const checkLine = (c: Check) => (c.ok === null ? `not judged  ${c.text}: ${c.why}` : `${c.ok ? 'ok  ' : 'FAIL'}  ${c.text}`);

/** "a, b, c side by side" / "a, b, c in turn". */
const ranAs = (r: ReplayResult): string => r.sideBySide.presets.join(', ') + (r.sideBySide.presets.length > 1 ? ` ${r.order ?? 'side by side'}` : '');

function verdictRows(r: ReplayResult): { rows: string[][] } {
  return {
    rows: (r.verdicts ?? []).map((v) => [v.preset, v.status ?? 'n/a', v.status === null ? 'no verdict in its summary.json: judged as before verdicts' : v.headline]),
  };
}

/** Run, verdict, headline: left-aligned, the headline last and free to run long. */
function verdictLines(rows: string[][]): string[] {
  const w0 = Math.max(...rows.map((r) => r[0]!.length));
  const w1 = Math.max(...rows.map((r) => r[1]!.length));
  return rows.map((r) => `  ${r[0]!.padEnd(w0)}  ${r[1]!.padEnd(w1)}  ${r[2]}`.replace(/\s+$/, ''));
}

/** The lines under "Shape of the report" that say what was not judged and what the exit code does with it. */
function notJudgedNote(r: ReplayResult): string[] {
  const bad = untrustedPresets(r);
  if (bad.length === 0) return [];
  return [`${bad.map((v) => v.preset).join(', ')} not judged: ${bad.length === 1 ? 'its run was' : 'their runs were'} not trustworthy, so the checks on ${bad.length === 1 ? 'it' : 'them'} neither hold nor fail ` +
    `(exit 0 when every judged check holds, ${NOTHING_JUDGED_EXIT} when nothing could be judged).`];
}

export function renderReplayText(r: ReplayResult): string {
  const o = overallRows(r);
  const f = failureRows(r);
  const m = medianRows(r);
  const v = verdictRows(r);
  return [
    `party-perf replay: the report's story at ${r.speed}x, ${ranAs(r)} (${duration(r.wallMs)})`,
    '',
    ...(v.rows.length ? ['Can each run be trusted? (its verdict: the figures describe the target only when trustworthy)', ...verdictLines(v.rows), ''] : []),
    'Overall success (200), % of planned, per offset (the report\'s ms; replayed at "replay ms"), beside the report\'s published rows',
    ...align(o.header, o.rows),
    '',
    'All offsets, % of planned',
    ...align(f.header, f.rows),
    '',
    'Successful answers, all routes',
    ...align(m.header, m.rows),
    '',
    'Target counters',
    ...r.targetLines.map((l) => `  ${l}`),
    '',
    ...(r.graphLines?.length ? ['The graph in words', ...r.graphLines.map((l) => `  ${l}`), ''] : []),
    'Shape of the report',
    ...shapeChecks(r).map((c) => `  ${checkLine(c)}`),
    ...notJudgedNote(r).map((l) => `  ${l}`),
  ].join('\n');
}

const mdTable = (header: string[], rows: string[][]): string[] => [
  `| ${header.join(' | ')} |`,
  `| :--- | ${header.slice(1).map(() => '---:').join(' | ')} |`,
  ...rows.map((row) => `| ${row.map((c) => c.trim()).join(' | ')} |`),
];

export function renderReplayMarkdown(r: ReplayResult): string {
  const o = overallRows(r);
  const f = failureRows(r);
  const m = medianRows(r);
  const v = verdictRows(r);
  return [
    `## party-perf replay: the report's story at ${r.speed}x`,
    '',
    `${ranAs(r).replace(/ (side by side|in turn)$/, ', $1')}, ${duration(r.wallMs)}. Offsets in the report's ms; the replay ran them ${r.speed} times faster, with the target's hold, pool timeout and cache TTL shortened as much.`,
    '',
    ...(v.rows.length ? ['### Can each run be trusted?', '', '| Run | Verdict | Why |', '| :--- | :--- | :--- |', ...v.rows.map((row) => `| ${row.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`), ''] : []),
    '### Overall success (200), % of planned, beside the report',
    '',
    ...mdTable(o.header, o.rows),
    '',
    ...r.sideBySide.presets.map((p) => `- ${COUNTERPARTS[p]?.label ?? p}: ${COUNTERPARTS[p]?.note ?? 'no published counterpart'}.`),
    '',
    '### All offsets, % of planned',
    '',
    ...mdTable(f.header, f.rows),
    '',
    '### Successful answers, all routes',
    '',
    ...mdTable(m.header, m.rows),
    '',
    '### Target counters',
    '',
    ...r.targetLines.map((l) => `- ${l}`),
    '',
    ...(r.graphLines?.length
      ? ['### The graph in words', '', 'Each preset\'s requests in send order, as the report read its latency-over-time graph (the rules: docs/results.md, "The graph in words"; the marks: each preset\'s raw.csv.gz.plot.html).', '', ...r.graphLines.map((l) => `- ${l}`), '']
      : []),
    '### Shape of the report',
    '',
    ...shapeChecks(r).map((c) => (c.ok === null ? `- not judged: ${c.text} (${c.why})` : `- ${c.ok ? 'ok' : '**FAIL**'}: ${c.text}`)),
    ...notJudgedNote(r).map((l) => `\n${l}`),
    '',
  ].join('\n');
}
