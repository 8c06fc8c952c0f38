// The comparison as one self-contained page (inline CSS and SVG, no script,
// no external asset) so it can be attached to a CI run and opened offline.
import { xml } from '../../lib/summary/escape.ts';
import { duration, int } from '../../lib/summary/format.ts';
import { successChart } from '../../lib/summary/svg.ts';
import { PAGE_CSS, scrollBox } from '../../lib/summary/page-css.ts';
import { fileHtml } from '../html/file-path.ts';
import { regressions, untrusted, type Comparison, type Table } from './diff.ts';
import { gateOutcome } from './gate.ts';
import type { RuleResult } from './rules.ts';
import { APPROX_NOTE, basisText, columnLabel, delta, deltaUnit, headline, leftOutReason, notJudgedReason, ruleOutcome, runTag, value, verdictText } from './view.ts';

// The shared page CSS (lib/summary/page-css.ts) plus the difference marks.
const CSS = `${PAGE_CSS}
td .d{color:#666;font-size:12px;margin-left:6px}
td.regression{background:#fbe4e4;color:#8a1414;font-weight:700}td.regression .d{color:#8a1414}
td.improvement .d{color:#145a22;font-weight:600}
td.trustworthy{color:#145a22;font-weight:600}td.untrusted{color:#8a1414;font-weight:700}td.not-judged{color:#6b4a00;font-weight:600}
th.untrusted{background:#fff4d6}
p.trust{background:#fff4d6;color:#6b4a00;border:1px solid #e8cf84;border-radius:4px;padding:4px 10px;font-weight:600}
`;

/** Cells are text, escaped here, or `{ html }` already escaped (a `wrap` cell may break its lines). */
type Cell = string | { html: string; wrap?: boolean; cls?: string };

function plainTable(header: string[], rows: Cell[][], id?: string): string {
  // Left-aligned; only the `wrap` cells (what the user named) break their lines.
  return scrollBox(`<table class="left"${id ? ` id="${id}"` : ''}><thead><tr>${header.map((h) => `<th>${xml(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c) => (typeof c === 'string' ? `<td>${xml(c)}</td>` : `<td${c.wrap || c.cls ? ` class="${[c.wrap ? 'wrap' : '', c.cls ?? ''].filter(Boolean).join(' ')}"` : ''}>${c.html}</td>`)).join('')}</tr>`).join('') +
    '</tbody></table>');
}

/** `labels`: the column headers as they are (columnLabel); `warn`: per column, whether that run cannot be trusted. */
function table(t: Table, labels: string[], warn: boolean[] = []): string {
  const head = `<tr><th>${xml(t.keyHeader)}</th>${labels.map((l, i) => `<th${warn[i] ? ' class="untrusted"' : ''}>${xml(l)}</th>`).join('')}</tr>`;
  const body = t.rows.map((r) => `<tr${r.total ? ' class="total"' : ''}><td>${xml(r.label)}</td>` + r.cells.map((c) => {
    const d = delta(c, t.kind);
    return `<td${c.mark ? ` class="${c.mark}"` : ''}>${xml(value(c))}${d ? `<span class="d">${xml(d)}</span>` : ''}</td>`;
  }).join('') + '</tr>').join('');
  return `<section><h3>${xml(t.title)}</h3>${scrollBox(`<table id="t-${xml(t.id)}" data-kind="${t.kind}"><thead>${head}</thead><tbody>${body}</tbody></table>`)}</section>`;
}

export function renderHtml(c: Comparison, results: RuleResult[] = []): string {
  const labels = c.runs.map((r) => r.label);
  const columns = c.runs.map((_, i) => columnLabel(c, i));
  const warn = c.runs.map((r) => untrusted(r.verdict));
  const gate = gateOutcome(c, results);
  const failed = results.filter((r) => ruleOutcome(r, gate).counted > 0);
  const notJudged = results.filter((r) => ruleOutcome(r, gate).counted === 0 && ruleOutcome(r, gate).excused > 0);
  const bad = failed.length > 0 || c.basis === 'none';
  const b: string[] = [];
  b.push(`<h1>party-perf comparison: ${xml(labels.join(' vs '))}</h1>`);
  // Each run's verdict first: whether its figures describe the target at all.
  b.push('<h2>Can the runs be trusted?</h2>' + plainTable(['', 'Label', 'Verdict', 'Why'], c.runs.map((r, i) => [
    runTag(i), { html: xml(r.label), wrap: true },
    { html: `${untrusted(r.verdict) ? '⚠ ' : ''}${xml(r.verdict.status)}`, cls: untrusted(r.verdict) ? 'untrusted' : r.verdict.status },
    { html: xml(verdictText(r)), wrap: true },
  ]), 't-verdicts'));
  if (c.trust.note) b.push(`<div class="status warn" id="trust-note">⚠ ${xml(c.trust.note)}</div>`);
  // Red when a gate failed, amber for regressions no gate was asked to judge, or gates not judged.
  const level = bad ? 'fail' : regressions(c) > 0 || notJudged.length > 0 ? 'warn' : 'pass';
  const gateText = !results.length ? ''
    : failed.length ? ` ${failed.length} of ${results.length} gates failed.`
      : notJudged.length ? ` ${notJudged.length} of ${results.length} gates not judged (exit 3): ${notJudgedReason(gate)}`
        : ` All ${results.length} gates passed.`;
  b.push(`<div class="status ${level}" id="status">${xml(headline(c))}${xml(gateText)}</div>`);
  b.push(plainTable(['', 'Label', 'Profile', 'Started', 'Duration', 'Planned', 'Not sent / scheduled / run', 'File'],
    // The file relative to the current folder (full path in its tooltip): a long path never widens the page.
    c.runs.map((r, i) => [runTag(i), { html: xml(r.label), wrap: true }, r.profile, r.startTime, duration(r.durationMs), int(r.planned), `${int(r.notSent)} / ${int(r.notScheduled)} / ${int(r.notRun)}`, { html: fileHtml(r.file), wrap: true }]), 't-runs'));

  if (results.length) {
    b.push('<h2>Gates (--fail-on)</h2>' + scrollBox('<table id="t-gates"><thead><tr><th>Rule</th><th>Result</th></tr></thead><tbody>' +
      results.map((r) => {
        const { counted, excused } = ruleOutcome(r, gate);
        const text = [counted ? `FAIL (${counted})` : '', excused ? `not judged (${excused})` : ''].filter(Boolean).join(', ') || 'pass';
        return `<tr><td><code>${xml(r.rule)}</code></td><td class="${counted ? 'bad' : excused ? 'not-judged' : 'ok'}">${text}</td></tr>`;
      }).join('') + '</tbody></table>'));
    const lines = [
      ...gate.counted.map((v) => `<li><b>${xml(v.rule)}</b>: ${xml(v.message)}</li>`),
      ...gate.excused.map((v) => `<li>not judged, <b>${xml(v.rule)}</b>: ${xml(v.message)}</li>`),
    ];
    if (lines.length) b.push(`<ul>${lines.join('')}</ul>`);
  }

  b.push(`<p>Compared on ${xml(basisText(c.basis, c.compared))}.</p>`);
  if (c.leftOut.length || c.notes.length) {
    b.push('<ul class="notes" id="left-out">' + c.leftOut.map((l) =>
      `<li><b>${xml(l.run)}</b>: ${xml(leftOutReason(l))}.<details><summary>list</summary>${xml(l.scenarios.join(', '))}</details></li>`).join('') +
      c.notes.map((n) => `<li>${xml(n)}</li>`).join('') + '</ul>');
  }
  if (c.basis !== 'none') {
    const chart = { offsets: c.overall.rows.map((r) => r.offset ?? Number(r.label)), labels: c.overall.rows.map((r) => r.label),
      axisTitle: c.overall.keyHeader === 'Offset' ? 'offset between requests (ms)' : 'requests per second per route (offset between requests)', series: c.runs.map((r, i) => ({ name: r.label, values: c.overall.rows.map((row) => row.cells[i]!.value) })) };
    // Beside every block of differences: a reader who jumps to a table sees it too.
    const reminder = c.trust.reminder ? `<p class="trust">${xml(c.trust.reminder)}</p>` : '';
    const tb = (t: Table) => table(t, columns, warn);
    b.push(`<h2>Success (200), % of planned</h2><p class="notes">Differences to the baseline in ${deltaUnit(c.perRoute)}; ▼ / ▲ beyond the tolerance, regressions in red.</p>${reminder}`);
    b.push(`<div class="grid">${tb(c.perRoute)}${tb(c.overall)}<div>${successChart(chart, null, c.overall.keyHeader === 'Offset' ? 'Overall success % per offset' : 'Overall success % per rate')}</div></div>`);
    if (c.byCount.length) b.push(`<div class="grid">${c.byCount.map(tb).join('')}</div>`);
    b.push(`<h2>No response, % of planned</h2>${reminder}<div class="grid">${tb(c.noResponse)}${c.causes ? tb(c.causes) : '<p class="notes">No run recorded no-response causes.</p>'}</div>`);
    if (c.shortfall) b.push(`<h2>${xml(c.shortfall.title)}</h2>`, tb(c.shortfall));
    b.push(`<h2>Response times of successful answers (ms)</h2><p class="notes">Differences to the baseline in ${deltaUnit(c.latency.p95)}.</p>${reminder}`);
    b.push(`<div class="grid">${[c.latency.median, c.latency.p95, c.latency.max].map(tb).join('')}</div>`);
    if ([c.latency.median, c.latency.p95, c.latency.max].some((t) => t.rows.some((r) => r.cells.some((x) => x.approx)))) b.push(`<p class="notes">${xml(APPROX_NOTE)}</p>`);
  }
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>party-perf comparison: ${xml(labels.join(' vs '))}</title><style>${CSS}</style></head>` +
    `<body><main>${b.join('\n')}</main></body></html>\n`;
}
