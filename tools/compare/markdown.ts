// The comparison as GitHub Markdown (a pull-request comment or the job
// summary): verdict and gates first, then the report's tables side by side.
import { duration } from '../../lib/summary/format.ts';
import type { Comparison, Row, Table } from './diff.ts';
import { unevaluatedSummary, type RuleResult } from './rules.ts';
import { APPROX_NOTE, basisText, delta, deltaUnit, headline, leftOutReason, value } from './view.ts';

const esc = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
const line = (cs: string[]): string => `| ${cs.join(' | ')} |`;

function cellText(t: Table, r: Row, i: number): string {
  const c = r.cells[i]!;
  const d = delta(c, t.kind);
  const s = d ? `${value(c)} (${d})` : value(c);
  return c.mark === 'regression' ? `**${s}**` : s;
}

export function table(t: Table, labels: string[]): string[] {
  return [
    line([t.keyHeader, ...labels.map((l, i) => esc(i === 0 ? `${l} (baseline)` : l))]),
    line([':---', ...labels.map(() => '---:')]),
    ...t.rows.map((r) => line([r.total ? `*${esc(r.label)}*` : esc(r.label), ...r.cells.map((_, i) => cellText(t, r, i))])),
  ];
}

function gates(results: RuleResult[]): string[] {
  if (results.length === 0) return [];
  const o = ['### Gates (--fail-on)', '', line(['Rule', 'Result']), line([':---', ':---'])];
  for (const r of results) {
    const ok = r.violations.length === 0;
    o.push(line([`\`${esc(r.rule)}\``, ok ? 'pass' : `**FAIL** (${r.violations.length})`]));
  }
  o.push('');
  for (const r of results) for (const v of r.violations) o.push(`- **${esc(v.rule)}**: ${esc(v.message)}`);
  for (const u of unevaluatedSummary(results)) o.push(`- ${esc(u)}`);
  return o.at(-1) === '' ? o : [...o, ''];
}

export function renderMarkdown(c: Comparison, results: RuleResult[] = []): string {
  const labels = c.runs.map((r) => r.label);
  const o: string[] = [];
  o.push(`## party-perf comparison: ${labels.map(esc).join(' vs ')}`, '');
  o.push(headline(c), '');
  o.push(line(['', 'Label', 'Profile', 'Started', 'Duration', 'Planned', 'Not sent', 'Not scheduled', 'Not run', 'File']), line([':---', ':---', ':---', ':---', '---:', '---:', '---:', '---:', '---:', ':---']));
  c.runs.forEach((r, i) => o.push(line([i === 0 ? 'baseline' : `run ${i}`, esc(r.label), esc(r.profile), esc(r.startTime), duration(r.durationMs), String(r.planned), String(r.notSent), String(r.notScheduled), String(r.notRun), `\`${esc(r.file)}\``])));
  o.push('');
  o.push(...gates(results));

  o.push(`Compared on ${basisText(c.basis, c.compared)}.`, '');
  for (const l of c.leftOut) {
    o.push(`- **${esc(l.run)}**: ${esc(leftOutReason(l))}.`);
    o.push(`  <details><summary>left out of ${esc(l.run)}</summary>${esc(l.scenarios.join(', '))}</details>`);
  }
  for (const n of c.notes) o.push(`- ${esc(n)}`);
  if (c.leftOut.length || c.notes.length) o.push('');
  if (c.basis === 'none') return o.join('\n');

  const t = (tb: Table, heading: string) => o.push(`${heading} ${tb.title}`, '', ...table(tb, labels), '');
  o.push('### Success (200), % of planned', '', `Differences to the baseline in ${deltaUnit(c.perRoute)}; ▼ / ▲ beyond the tolerance.`, '');
  t(c.perRoute, '####');
  t(c.overall, '####');
  if (c.byCount.length) {
    o.push('<details><summary>Per request count</summary>', '');
    for (const tb of c.byCount) t(tb, '####');
    o.push('</details>', '');
  }
  o.push('### No response, % of planned', '');
  t(c.noResponse, '####');
  if (c.causes) t(c.causes, '####');
  else o.push('No run recorded no-response causes.', '');
  if (c.shortfall) t(c.shortfall, '###');

  o.push('### Response times of successful answers (ms)', '', `Differences to the baseline in ${deltaUnit(c.latency.p95)}.`, '');
  for (const tb of [c.latency.median, c.latency.p95, c.latency.max]) t(tb, '####');
  const approx = [c.latency.median, c.latency.p95, c.latency.max].some((tb) => tb.rows.some((r) => r.cells.some((x) => x.approx)));
  if (approx) o.push(`_${APPROX_NOTE}_`, '');
  return o.join('\n');
}
