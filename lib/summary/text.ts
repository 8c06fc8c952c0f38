// The terminal summary: the report's tables aligned as text, the gates and
// where the files went. Colour only on a terminal that accepts it.
import { duration, fixed, padEnd, padStart } from './format.ts';
import type { SummaryModel } from './model.ts';
import { LATENCY_COLUMNS, latencyCells, type CountTable, type LatencyTable, type PctTable, type Tables, type Trust } from './tables.ts';
import { verdictLine } from './verdict.ts';

export interface TextOptions {
  color: boolean;
  /** Paths written, in order. */
  written: string[];
  /** Renderers that failed: "report.html: <message>". */
  failures: string[];
}

type Paint = (code: string, s: string) => string;

/** Left-aligned first column, right-aligned numbers; widths from the plain text. */
export function align(header: string[], rows: string[][], indent = '  '): string[] {
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? '').length), h.length));
  const line = (cells: string[]) =>
    indent + cells.map((c, i) => (i === 0 ? padEnd(c, widths[i]!) : padStart(c, widths[i]!))).join('  ').replace(/\s+$/, '');
  return [line(header), ...rows.map(line)];
}

const pctLines = (t: PctTable): string[] =>
  align([t.keyHeader, ...t.columns], t.rows.map((r) => [r.label, ...r.pcts.map((p) => fixed(p, 2))]));

const latencyLines = (t: LatencyTable): string[] =>
  align([t.keyHeader, ...LATENCY_COLUMNS], t.rows.map((r) => [r.label, ...latencyCells(r.latency)]));

const countLines = (t: CountTable): string[] => align([t.keyHeader, ...t.columns], t.rows.map((r) => [r.label, ...r.cells]));

/** Green when trustworthy, red when the figures are not the target's, yellow when not judged. */
export const trustColour = (v: Pick<Trust, 'status'>): string => (v.status === 'trustworthy' ? '32' : v.status === 'not-judged' ? '33' : '31;1');

export function renderText(m: SummaryModel, t: Tables, o: TextOptions): string {
  const paint: Paint = o.color ? (code, s) => `\x1b[${code}m${s}\x1b[0m` : (_c, s) => s;
  const title = (s: string) => paint('1', s);
  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines);

  push('', title(`party-perf results: ${m.label}`) + `  (profile ${m.profile}${m.target ? `, target ${m.target}` : ''}, ${duration(m.durationMs)}, started ${m.startTime}${m.seed !== null ? `, SEED=${m.seed}` : ''})`);
  // Can the figures below be trusted? First, before any table.
  push('', paint(trustColour(t.trust), verdictLine(t.trust)));
  if (t.verdict.word === 'NOT RUN') push('', paint('31;1', `NOT RUN: ${t.verdict.line}`));
  push('', `Total Sample Size: ${t.sampleSize}  (percentages of planned requests per row)`);
  if (t.alert) push('', paint('31;1', `WARNING: ${t.alert}`));
  for (const table of t.byCount) push('', title(table.title), ...pctLines(table));
  push('', title(t.overall.title), ...pctLines(t.overall));
  push('', title(t.perRoute.title), ...pctLines(t.perRoute));
  push('', title(t.latency.title), ...latencyLines(t.latency));
  for (const r of t.latency.rows) if (r.note) push(`  ${r.label}: ${r.note}`);
  if (t.causes) push('', title(t.causes.title), ...countLines(t.causes));
  else push('', 'No response causes: not recorded in this data.');
  if (t.statuses) push('', title(t.statuses.title), ...countLines(t.statuses));
  if (t.breaking) push('', title(t.breaking.title), ...countLines(t.breaking));
  if (t.windows) push('', title(t.windows.title), `  ${t.windows.headline}`, ...countLines(t.windows.findings), `  (every window: report.md, "${t.windows.windows.title}")`);
  const invalid = m.invalidBodies || [];
  if (invalid.length) push('', title('Invalid bodies (first schema problem per VU and route)'), ...align(['Route', 'Problem', 'VUs'], invalid.map((b) => [b.route, b.problem, String(b.vus)])));

  const acc = m.totals;
  push('', `${title('Accounting')}: planned ${acc.planned} / answered ${acc.answered} / no response ${acc.noResponse} / not sent ${acc.notSent} / not scheduled ${acc.notScheduled ?? 0} / not run ${acc.notRun}${acc.extra > 0 ? ` / extra ${acc.extra}` : ''}`);
  for (const n of t.notes) push(`  note: ${n}`);

  push('', title('Gates'));
  if (t.thresholds.length === 0) push('  (no gate thresholds in this run)');
  const nameW = t.thresholds.reduce((w, r) => Math.max(w, r.name.length), 0);
  for (const r of t.thresholds) {
    const status = r.ok ? paint('32', 'PASS') : paint('31;1', 'FAIL');
    push(`  ${status}  ${padEnd(r.name, nameW)}  observed ${r.observed}${r.gate ? '' : '  (user threshold)'}`);
  }
  const failed = t.thresholds.filter((r) => !r.ok).length;
  if (t.verdict.word === 'NOT RUN') push(`  ${paint('31;1', 'NOT RUN: the gates judged no planned request')}`);
  else if (t.thresholds.length > 0) push(`  ${failed === 0 ? paint('32', 'all gates passed') : paint('31;1', `${failed} of ${t.thresholds.length} failed`)}`);

  if (o.failures.length > 0) {
    push('', paint('31;1', 'Summary problems (the other files were still written):'));
    for (const f of o.failures) push(`  ${f}`);
  }
  push('', title('Results written'));
  for (const p of o.written) push(`  ${p}`);
  push('');
  return out.join('\n');
}
