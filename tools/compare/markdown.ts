// The comparison as GitHub Markdown (a pull-request comment or the job
// summary): each run's verdict (can it be trusted?), the regressions and the
// gates first, then the report's tables side by side.
import { duration } from '../../lib/summary/format.ts';
import { untrusted, type Comparison, type Row, type Table } from './diff.ts';
import { gateOutcome, type GateOutcome } from './gate.ts';
import { unevaluatedSummary, type RuleResult } from './rules.ts';
import { APPROX_NOTE, basisText, columnLabel, delta, deltaUnit, gateLine, headline, leftOutReason, ruleOutcome, runTag, value, verdictText } from './view.ts';

const esc = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
const line = (cs: string[]): string => `| ${cs.join(' | ')} |`;

function cellText(t: Table, r: Row, i: number): string {
  const c = r.cells[i]!;
  const d = delta(c, t.kind);
  const s = d ? `${value(c)} (${d})` : value(c);
  return c.mark === 'regression' ? `**${s}**` : s;
}

/** `labels`: the column headers as they are (columnLabel), the baseline first. */
export function table(t: Table, labels: string[]): string[] {
  return [
    line([t.keyHeader, ...labels.map(esc)]),
    line([':---', ...labels.map(() => '---:')]),
    ...t.rows.map((r) => line([r.total ? `*${esc(r.label)}*` : esc(r.label), ...r.cells.map((_, i) => cellText(t, r, i))])),
  ];
}

function gates(results: RuleResult[], gate: GateOutcome): string[] {
  if (results.length === 0) return [];
  const o = ['### Gates (--fail-on)', '', line(['Rule', 'Result']), line([':---', ':---'])];
  for (const r of results) {
    const { counted, excused } = ruleOutcome(r, gate);
    const parts = [counted > 0 ? `**FAIL** (${counted})` : '', excused > 0 ? `not judged (${excused})` : ''].filter(Boolean);
    o.push(line([`\`${esc(r.rule)}\``, parts.length ? parts.join(', ') : 'pass']));
  }
  o.push('');
  const g = gateLine(gate);
  if (g) o.push(`**${esc(g)}**`, '');
  for (const v of gate.counted) o.push(`- **${esc(v.rule)}**: ${esc(v.message)}`);
  for (const v of gate.excused) o.push(`- not judged, **${esc(v.rule)}**: ${esc(v.message)}`);
  for (const u of unevaluatedSummary(results)) o.push(`- ${esc(u)}`);
  return o.at(-1) === '' ? o : [...o, ''];
}

/** Each run's verdict first, then the note when one cannot be trusted: the differences may be the load generator's. */
function verdicts(c: Comparison): string[] {
  const o = ['### Can the runs be trusted?', ''];
  c.runs.forEach((r, i) => {
    const status = untrusted(r.verdict) ? `⚠ **${r.verdict.status}**` : `\`${r.verdict.status}\``;
    o.push(`- ${runTag(i)} **${esc(r.label)}**: ${status}. ${esc(verdictText(r))}`);
  });
  o.push('');
  if (c.trust.note) o.push(`> **⚠ ${esc(c.trust.note)}**`, '');
  return o;
}

export function renderMarkdown(c: Comparison, results: RuleResult[] = []): string {
  const labels = c.runs.map((r) => r.label);
  const columns = c.runs.map((_, i) => columnLabel(c, i));
  const gate = gateOutcome(c, results);
  const o: string[] = [];
  o.push(`## party-perf comparison: ${labels.map(esc).join(' vs ')}`, '');
  o.push(...verdicts(c));
  o.push(headline(c), '');
  o.push(line(['', 'Label', 'Profile', 'Started', 'Duration', 'Planned', 'Not sent', 'Not scheduled', 'Not run', 'File']), line([':---', ':---', ':---', ':---', '---:', '---:', '---:', '---:', '---:', ':---']));
  c.runs.forEach((r, i) => o.push(line([i === 0 ? 'baseline' : `run ${i}`, esc(r.label), esc(r.profile), esc(r.startTime), duration(r.durationMs), String(r.planned), String(r.notSent), String(r.notScheduled), String(r.notRun), `\`${esc(r.file)}\``])));
  o.push('');
  o.push(...gates(results, gate));

  o.push(`Compared on ${basisText(c.basis, c.compared)}.`, '');
  for (const l of c.leftOut) {
    o.push(`- **${esc(l.run)}**: ${esc(leftOutReason(l))}.`);
    o.push(`  <details><summary>left out of ${esc(l.run)}</summary>${esc(l.scenarios.join(', '))}</details>`);
  }
  for (const n of c.notes) o.push(`- ${esc(n)}`);
  if (c.leftOut.length || c.notes.length) o.push('');
  if (c.basis === 'none') return o.join('\n');

  const t = (tb: Table, heading: string) => o.push(`${heading} ${tb.title}`, '', ...table(tb, columns), '');
  // Beside every block of differences, not only at the top: a reader who jumps to a table sees it too.
  const reminder = () => { if (c.trust.reminder) o.push(`> ${esc(c.trust.reminder)}`, ''); };
  o.push('### Success (200), % of planned', '', `Differences to the baseline in ${deltaUnit(c.perRoute)}; ▼ / ▲ beyond the tolerance.`, '');
  reminder();
  t(c.perRoute, '####');
  t(c.overall, '####');
  if (c.byCount.length) {
    o.push('<details><summary>Per request count</summary>', '');
    for (const tb of c.byCount) t(tb, '####');
    o.push('</details>', '');
  }
  o.push('### No response, % of planned', '');
  reminder();
  t(c.noResponse, '####');
  if (c.causes) t(c.causes, '####');
  else o.push('No run recorded no-response causes.', '');
  if (c.shortfall) t(c.shortfall, '###');

  o.push('### Response times of successful answers (ms)', '', `Differences to the baseline in ${deltaUnit(c.latency.p95)}.`, '');
  reminder();
  for (const tb of [c.latency.median, c.latency.p95, c.latency.max]) t(tb, '####');
  const approx = [c.latency.median, c.latency.p95, c.latency.max].some((tb) => tb.rows.some((r) => r.cells.some((x) => x.approx)));
  if (approx) o.push(`_${APPROX_NOTE}_`, '');
  return o.join('\n');
}
