// The replay's result as terminal text and Markdown, and the checks that say
// whether the report's shape came out. Pure.
import { duration, fixed } from '../../lib/summary/format.ts';
import { align } from '../../lib/summary/text.ts';
import type { FailureShares, SideBySide } from './published.ts';
import { COUNTERPARTS, pct, signed } from './published.ts';

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
}

export interface Check { ok: boolean; text: string }

/** Noise allowed when asking whether success rises with spacing (points). */
export const RISE_NOISE = 5;

/** The report's shape, as the issue states it. */
export function shapeChecks(r: ReplayResult): Check[] {
  const col = (p: string) => r.sideBySide.presets.indexOf(p);
  const values = (p: string) => r.sideBySide.rows.map((row) => row.cells[col(p)]?.replay ?? null);
  const checks: Check[] = [];
  const b = values('report-baseline');
  if (col('report-baseline') >= 0 && b.every((v) => v !== null)) {
    const v = b as number[];
    const falls = v.flatMap((x, i) => (i > 0 && x < v[i - 1]! - RISE_NOISE ? [`${fixed(v[i - 1]!, 2)} -> ${fixed(x, 2)}`] : []));
    checks.push({ ok: falls.length === 0, text: `report-baseline: success rises with spacing (within ${RISE_NOISE} points)${falls.length ? `: falls ${falls.join(', ')}` : ''}` });
    checks.push({ ok: v[0]! < 90, text: `report-baseline: under 90 % at the shortest spacing (${fixed(v[0]!, 2)} %)` });
    const f = r.failures.find((x) => x.preset === 'report-baseline')?.replay;
    if (f) {
      const largest = Math.max(f.serverError, f.other, f.notSent);
      checks.push({ ok: f.noResponse > largest, text: `report-baseline: No Response is the largest failure class (${fixed(f.noResponse, 2)} % vs 500 ${fixed(f.serverError, 2)} %, other ${fixed(f.other, 2)} %, not sent ${fixed(f.notSent, 2)} %)` });
    }
  }
  const p = values('pool-100');
  if (col('pool-100') >= 0) {
    const low = p.filter((x) => x === null || x < 99);
    checks.push({ ok: low.length === 0, text: `pool-100: at least 99 % at every spacing (lowest ${pct(Math.min(...p.map((x) => x ?? 0)))} %)` });
  }
  const mb = r.medians.find((m) => m.preset === 'report-baseline')?.ms ?? null;
  const mc = r.medians.find((m) => m.preset === 'cached')?.ms ?? null;
  if (col('cached') >= 0 && col('report-baseline') >= 0) {
    checks.push({ ok: mb !== null && mc !== null && mc < mb, text: `cached: median latency below report-baseline's (${pct(mc)} vs ${pct(mb)} ms)` });
  }
  checks.push({ ok: r.wallMs < 15 * 60_000, text: `the whole replay under 15 minutes (${duration(r.wallMs)})` });
  return checks;
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

const checkLine = (c: Check) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.text}`;

export function renderReplayText(r: ReplayResult): string {
  const o = overallRows(r);
  const f = failureRows(r);
  const m = medianRows(r);
  return [
    `party-perf replay: the report's story at ${r.speed}x, ${r.sideBySide.presets.join(', ')} side by side (${duration(r.wallMs)})`,
    '',
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
    'Shape of the report',
    ...shapeChecks(r).map((c) => `  ${checkLine(c)}`),
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
  return [
    `## party-perf replay: the report's story at ${r.speed}x`,
    '',
    `${r.sideBySide.presets.join(', ')}, side by side, ${duration(r.wallMs)}. Offsets in the report's ms; the replay ran them ${r.speed} times faster, with the target's hold, pool timeout and cache TTL shortened as much.`,
    '',
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
    '### Shape of the report',
    '',
    ...shapeChecks(r).map((c) => `- ${c.ok ? 'ok' : '**FAIL**'}: ${c.text}`),
    '',
  ].join('\n');
}
