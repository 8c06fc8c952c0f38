// report.html: one self-contained page (inline CSS and SVG, no script, no
// external asset), threshold status and the verdict (can this run be
// trusted?) first, then the report's tables.
import { xml } from './escape.ts';
import { duration, fixed } from './format.ts';
import type { SummaryModel } from './model.ts';
import { successChart } from './svg.ts';
import { PAGE_CSS, scrollBox } from './page-css.ts';
import { LATENCY_COLUMNS, latencyCells, type CountTable, type LatencyTable, type PctTable, type Tables } from './tables.ts';

function table(header: string[], rows: Array<{ cells: string[]; total?: boolean; cls?: string[] }>, text = false): string {
  const head = `<tr>${header.map((h) => `<th>${xml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) =>
    `<tr${r.total ? ' class="total"' : ''}>${r.cells.map((c, i) => `<td${r.cls && r.cls[i] ? ` class="${r.cls[i]}"` : ''}>${xml(c)}</td>`).join('')}</tr>`).join('');
  return scrollBox(`<table${text ? ' class="text"' : ''}><thead>${head}</thead><tbody>${body}</tbody></table>`);
}

const pct = (t: PctTable) => table([t.keyHeader, ...t.columns], t.rows.map((r) => ({ cells: [r.label, ...r.pcts.map((p) => fixed(p, 2))], total: r.total })));
const lat = (t: LatencyTable) => table([t.keyHeader, ...LATENCY_COLUMNS], t.rows.map((r) => ({ cells: [r.label, ...latencyCells(r.latency)], total: r.total })));
const counts = (t: CountTable, text = false) => table([t.keyHeader, ...t.columns], t.rows.map((r) => ({ cells: [r.label, ...r.cells], total: r.total })), text);
const section = (title: string, body: string) => `<section><h3>${xml(title)}</h3>${body}</section>`;

/** Can this run be trusted? A banner under the gates' status; one line for a file from before the verdict. */
function trust(t: Tables): string {
  const v = t.trust;
  const cls = v.status === 'trustworthy' ? 'pass' : v.status === 'not-judged' ? 'warn' : 'fail';
  if (!v.recorded) return `<div class="status warn" id="verdict">${xml(v.headline)}</div>`;
  const bad = v.status !== 'trustworthy';
  return `<div class="status verdict ${cls}" id="verdict"><div>Can this run be trusted? ${xml(v.headline)}</div>` +
    (v.reasons.length ? `<ul>${v.reasons.map((r) => `<li>${xml(r)}</li>`).join('')}</ul>` : '') +
    (bad && v.meaning ? `<p>${xml(v.meaning)}</p>` : '') +
    (bad && v.advice ? `<p><b>What to do:</b> ${xml(v.advice)}</p>` : '') + '</div>' +
    // Folded when the run kept its schedule: the figures matter when it did not.
    (v.figures.length ? `<details${bad ? ' open' : ''}><summary>Load generator</summary>${table(['Figure', 'Value'], v.figures.map(([k, x]) => ({ cells: [k, x] })))}</details>` : '');
}

export function renderHtml(m: SummaryModel, t: Tables): string {
  const failed = t.thresholds.filter((r) => !r.ok).length;
  const ok = failed === 0 && t.verdict.ok;
  const gatePct = m.gates ? m.gates.successRate * 100 : null;
  const status = t.verdict.word === 'NOT RUN' ? `NOT RUN: ${t.verdict.line}` : t.thresholds.length === 0
    ? 'No gate thresholds in this run'
    : ok ? `PASS: all ${t.thresholds.length} thresholds passed` : `FAIL: ${failed} of ${t.thresholds.length} thresholds failed`;
  const b: string[] = [];
  b.push(`<h1>party-perf results: ${xml(m.label)}</h1>`);
  b.push(`<div class="status ${ok ? 'pass' : 'fail'}" id="status">${xml(status)}</div>`);
  b.push(trust(t));
  if (t.alert) b.push(`<div class="status fail" id="generator-limited">Warning: ${xml(t.alert)}</div>`);
  if (t.thresholds.length > 0) {
    b.push(table(['Status', 'Threshold', 'Observed', 'Kind'], t.thresholds.map((r) => ({
      cells: [r.ok ? 'PASS' : 'FAIL', r.name, r.observed, r.gate ? 'gate' : 'user'], cls: [r.ok ? 'ok' : 'bad'],
    })), true));
  }
  b.push(`<ul class="meta"><li>Profile <b>${xml(m.profile)}</b>${m.order ? ` (${xml(m.order)})` : ''}, target <code>${xml(m.target ?? 'unknown')}</code></li>` +
    `<li>Started ${xml(m.startTime)}, duration ${xml(duration(m.durationMs))}, seed ${m.seed === null ? 'unknown' : m.seed}, k6 ${xml(m.k6Version ?? 'version unknown')}</li>` +
    `<li>Total Sample Size: <b>${t.sampleSize}</b>; accounting: ${t.accounting.map(([k, v]) => `${xml(k.toLowerCase())} ${xml(v)}`).join(' / ')}</li></ul>`);

  b.push(`<div class="grid"><div>${successChart(t.chart, gatePct, m.axis === 'rate' ? 'Success % per rate' : 'Success % per offset')}</div>${t.breaking ? `<div>${section(t.breaking.title, counts(t.breaking, true))}</div>` : ''}</div>`);

  if (t.windows) {
    b.push(`<h2 id="windows">${xml(t.windows.title)}</h2>`, `<p><b>${xml(t.windows.headline)}</b></p>`, counts(t.windows.findings, true),
      // 30 windows x 3 routes: folded.
      `<details><summary>${xml(t.windows.windows.title)}</summary>${counts(t.windows.windows)}</details>`);
  }
  b.push('<h2>Results (% of planned requests)</h2><div class="grid">');
  for (const tb of t.byCount) b.push(section(tb.title, pct(tb)));
  b.push(section(t.overall.title, pct(t.overall)), section(t.perRoute.title, pct(t.perRoute)), '</div>');

  b.push('<h2>Response times (ms, successful answers)</h2>', lat(t.latency));
  const notes = t.latency.rows.filter((r) => r.note).map((r) => `<li>${xml(r.label)}: ${xml(r.note!)}</li>`).join('');
  if (notes) b.push(`<ul class="notes">${notes}</ul>`);
  // 15 rows per route: folded so the page stays a screenful or two.
  if (t.latencyByScenario.length) b.push('<details><summary>Response times per scenario</summary><div class="grid">', ...t.latencyByScenario.map((tb) => section(tb.title, lat(tb))), '</div></details>');
  if (t.trust.late) b.push(section(t.trust.late.title, '<p class="notes">Their response times may include k6\'s own delay.</p>' + counts(t.trust.late)));

  b.push('<h2>No response: causes</h2>', t.causes ? counts(t.causes) : '<p class="notes">Not recorded in this data.</p>');
  if (t.statuses) b.push(`<h2>${xml(t.statuses.title)}</h2>`, counts(t.statuses));
  const invalid = m.invalidBodies || [];
  if (invalid.length) {
    b.push('<h2>Invalid bodies</h2>', '<p class="notes">The first schema problem each VU saw on each route (a body with the expected status that does not match its schema counts as Invalid body).</p>',
      table(['Route', 'Problem', 'VUs'], invalid.map((x) => ({ cells: [x.route, x.problem, String(x.vus)] })), true));
  }
  b.push('<h2>Accounting</h2>', table(['', 'Requests'], t.accounting.map(([k, v]) => ({ cells: [k, v] }))));
  if (t.notes.length) b.push(`<ul class="notes">${t.notes.map((n) => `<li>${xml(n)}</li>`).join('')}</ul>`);

  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>party-perf: ${xml(m.label)} ${t.verdict.word === 'NOT RUN' ? 'NOT RUN' : ok ? 'PASS' : 'FAIL'}</title><style>${PAGE_CSS}</style></head>` +
    `<body><main>${b.join('\n')}</main></body></html>\n`;
}
