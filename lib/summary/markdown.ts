// report.md: the report's layout in Markdown (GitHub tables), after the
// gates' line and the run, the verdict: can this run be trusted?
import { duration, fixed, int } from './format.ts';
import type { SummaryModel } from './model.ts';
import { LATENCY_COLUMNS, latencyCells, type CountTable, type LatencyTable, type PctTable, type Tables } from './tables.ts';

const cell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');

function table(header: string[], rows: Array<{ cells: string[]; total?: boolean }>): string[] {
  const align = header.map((_, i) => (i === 0 ? ':---' : '---:'));
  const line = (cs: string[]) => `| ${cs.map(cell).join(' | ')} |`;
  return [
    line(header), `| ${align.join(' | ')} |`,
    ...rows.map((r) => line(r.total ? [`*${r.cells[0]}*`, ...r.cells.slice(1)] : r.cells)),
  ];
}

const pct = (t: PctTable) => table([t.keyHeader, ...t.columns], t.rows.map((r) => ({ cells: [r.label, ...r.pcts.map((p) => fixed(p, 2))], total: r.total })));
const lat = (t: LatencyTable) => table([t.keyHeader, ...LATENCY_COLUMNS], t.rows.map((r) => ({ cells: [r.label, ...latencyCells(r.latency)], total: r.total })));
const counts = (t: CountTable) => table([t.keyHeader, ...t.columns], t.rows.map((r) => ({ cells: [r.label, ...r.cells], total: r.total })));

/** Can this run be trusted? The first section; one line for a file from before the verdict. */
function trust(t: Tables): string[] {
  const v = t.trust;
  if (!v.recorded) return [`_${cell(v.headline)}_`, ''];
  const o = ['## Can this run be trusted?', '', `**${cell(v.headline)}**`, ''];
  if (v.reasons.length) o.push(...v.reasons.map((r) => `- ${cell(r)}`), '');
  if (v.status !== 'trustworthy') {
    if (v.meaning) o.push(cell(v.meaning), '');
    if (v.advice) o.push(`What to do: ${cell(v.advice)}`, '');
  }
  if (v.figures.length) o.push(...table(['Load generator', ''], v.figures.map(([k, x]) => ({ cells: [k, x] }))), '');
  return o;
}

export function renderMarkdown(m: SummaryModel, t: Tables): string {
  const o: string[] = [];
  const failed = t.thresholds.filter((r) => !r.ok).length;
  o.push(`# party-perf results: ${cell(m.label)}`, '');
  o.push(t.verdict.word === 'NOT RUN'
    ? `**NOT RUN**: ${cell(t.verdict.line).replace(/\.$/, '')}.`
    : t.thresholds.length === 0
    ? '**NO GATES**: no gate thresholds in this run.'
    : `**${failed === 0 ? 'PASS' : 'FAIL'}**: ${t.thresholds.length - failed} of ${t.thresholds.length} thresholds passed.`, '');
  o.push(
    `- Profile: ${cell(m.profile)}${m.order ? ` (${m.order})` : ''}`,
    `- Target: ${m.target ? `\`${m.target}\`` : 'unknown'}`,
    `- Started: ${m.startTime}, duration ${duration(m.durationMs)}`,
    `- Seed: ${m.seed === null ? 'unknown' : m.seed}; k6 ${m.k6Version ?? 'version unknown'}`,
    '',
  );
  o.push(...trust(t));
  if (t.alert) o.push(`> **Warning:** ${cell(t.alert)}`, '');
  o.push('## Thresholds', '');
  if (t.thresholds.length > 0) {
    o.push(...table(['Status', 'Threshold', 'Observed', 'Kind'], t.thresholds.map((r) => ({ cells: [r.ok ? 'PASS' : '**FAIL**', `\`${r.name}\``, r.observed, r.gate ? 'gate' : 'user'] }))), '');
  } else o.push('No gate thresholds in this run.', '');
  if (t.breaking) o.push(`## ${t.breaking.title}`, '', ...counts(t.breaking), '');
  if (t.windows) o.push(`## ${t.windows.title}`, '', `**${cell(t.windows.headline)}**`, '', ...counts(t.windows.findings), '');

  o.push('## Results', '', `Total Sample Size: ${t.sampleSize}`, '', m.axis === 'rate' ? 'Percentages of the planned requests per row; rates in requests per second per route, offsets (ms between requests) in brackets.' : 'Percentages of the planned requests per row; offsets in ms between requests.', '');
  for (const tb of t.byCount) o.push(`### ${tb.title}`, '', ...pct(tb), '');
  o.push(`### ${t.overall.title}`, '', ...pct(t.overall), '');
  o.push(`### ${t.perRoute.title}`, '', ...pct(t.perRoute), '');

  o.push('## Response times', '', 'Milliseconds, from successful answers only (a refused request has no response time).', '', ...lat(t.latency), '');
  for (const r of t.latency.rows) if (r.note) o.push(`- ${cell(r.label)}: ${r.note}`);
  for (const tb of t.latencyByScenario) o.push('', `### ${cell(tb.title)}`, '', ...lat(tb));
  if (t.trust.late) o.push('', `### ${t.trust.late.title}`, '', 'Their response times may include k6\'s own delay.', '', ...counts(t.trust.late));
  o.push('');

  if (t.windows) o.push(`## ${t.windows.windows.title}`, '', ...counts(t.windows.windows), '');

  o.push('## No response: causes', '');
  if (t.causes) o.push(...counts(t.causes), '');
  else o.push('Not recorded in this data (the run did not count causes).', '');

  if (t.statuses) o.push(`## ${t.statuses.title}`, '', ...counts(t.statuses), '');

  const invalid = m.invalidBodies || [];
  if (invalid.length) {
    o.push('## Invalid bodies', '', 'The first schema problem each VU saw on each route (a body with the expected status that does not match its schema counts as Invalid body).', '',
      ...table(['Route', 'Problem', 'VUs'], invalid.map((b) => ({ cells: [b.route, b.problem, String(b.vus)] }))), '');
  }

  o.push('## Accounting', '', ...table(['', 'Requests'], t.accounting.map(([k, v]) => ({ cells: [k, v] }))), '');
  for (const n of t.notes) o.push(`- ${n}`);
  o.push('', `_Summary model v${m.version}; ${int(m.scenarios.length)} scenarios._`, '');
  return o.join('\n');
}
