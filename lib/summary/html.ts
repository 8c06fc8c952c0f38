// report.html: one self-contained page (inline CSS and SVG, no script, no
// external asset), threshold status first, then the report's tables.
import { xml } from './escape.ts';
import { duration, fixed } from './format.ts';
import type { SummaryModel } from './model.ts';
import { successChart } from './svg.ts';
import { LATENCY_COLUMNS, latencyCells, type CountTable, type LatencyTable, type PctTable, type Tables } from './tables.ts';

const CSS = `
body{font:13.5px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;margin:0;background:#f6f7f9}
main{max-width:1280px;margin:0 auto;padding:12px 20px 40px}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
.status{padding:10px 14px;border-radius:6px;font-weight:600;margin:8px 0 12px}
.pass{background:#e3f4e6;color:#145a22;border:1px solid #9fd4a8}.fail{background:#fbe4e4;color:#8a1414;border:1px solid #e6a3a3}
.meta{color:#444;margin:0 0 8px;padding-left:18px}
.grid{display:flex;flex-wrap:wrap;gap:4px 24px;align-items:flex-start}
details{margin:8px 0}summary{cursor:pointer;font-weight:600}
table{border-collapse:collapse;background:#fff;margin:4px 0 8px;font-variant-numeric:tabular-nums}
th,td{border:1px solid #d8dbe0;padding:2px 7px;text-align:right;white-space:nowrap}
th{background:#eef0f3;font-weight:600}th:first-child,td:first-child{text-align:left}
table.text td,table.text th{text-align:left}
tr.total td{font-style:italic;background:#fafafa}
td.ok{color:#145a22;font-weight:600}td.bad{color:#8a1414;font-weight:700}
.chart{background:#fff;border:1px solid #d8dbe0;border-radius:4px;max-width:100%;height:auto}
.notes{color:#555}code{font-size:12.5px}
`;

function table(header: string[], rows: Array<{ cells: string[]; total?: boolean; cls?: string[] }>, text = false): string {
  const head = `<tr>${header.map((h) => `<th>${xml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) =>
    `<tr${r.total ? ' class="total"' : ''}>${r.cells.map((c, i) => `<td${r.cls && r.cls[i] ? ` class="${r.cls[i]}"` : ''}>${xml(c)}</td>`).join('')}</tr>`).join('');
  return `<table${text ? ' class="text"' : ''}><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

const pct = (t: PctTable) => table([t.keyHeader, ...t.columns], t.rows.map((r) => ({ cells: [r.label, ...r.pcts.map((p) => fixed(p, 2))], total: r.total })));
const lat = (t: LatencyTable) => table([t.keyHeader, ...LATENCY_COLUMNS], t.rows.map((r) => ({ cells: [r.label, ...latencyCells(r.latency)], total: r.total })));
const counts = (t: CountTable, text = false) => table([t.keyHeader, ...t.columns], t.rows.map((r) => ({ cells: [r.label, ...r.cells], total: r.total })), text);
const section = (title: string, body: string) => `<section><h3>${xml(title)}</h3>${body}</section>`;

export function renderHtml(m: SummaryModel, t: Tables): string {
  const failed = t.thresholds.filter((r) => !r.ok).length;
  const ok = failed === 0;
  const gatePct = m.gates ? m.gates.successRate * 100 : null;
  const status = t.thresholds.length === 0
    ? 'No gate thresholds in this run'
    : ok ? `PASS: all ${t.thresholds.length} thresholds passed` : `FAIL: ${failed} of ${t.thresholds.length} thresholds failed`;
  const b: string[] = [];
  b.push(`<h1>party-perf results: ${xml(m.label)}</h1>`);
  b.push(`<div class="status ${ok ? 'pass' : 'fail'}" id="status">${xml(status)}</div>`);
  if (t.thresholds.length > 0) {
    b.push(table(['Status', 'Threshold', 'Observed', 'Kind'], t.thresholds.map((r) => ({
      cells: [r.ok ? 'PASS' : 'FAIL', r.name, r.observed, r.gate ? 'gate' : 'user'], cls: [r.ok ? 'ok' : 'bad'],
    })), true));
  }
  b.push(`<ul class="meta"><li>Profile <b>${xml(m.profile)}</b>${m.order ? ` (${xml(m.order)})` : ''}, target <code>${xml(m.target ?? 'unknown')}</code></li>` +
    `<li>Started ${xml(m.startTime)}, duration ${xml(duration(m.durationMs))}, seed ${m.seed === null ? 'unknown' : m.seed}, k6 ${xml(m.k6Version ?? 'version unknown')}</li>` +
    `<li>Total Sample Size: <b>${t.sampleSize}</b>; accounting: ${t.accounting.map(([k, v]) => `${xml(k.toLowerCase())} ${xml(v)}`).join(' / ')}</li></ul>`);

  b.push(`<div class="grid"><div>${successChart(t.chart, gatePct)}</div>${t.breaking ? `<div>${section(t.breaking.title, counts(t.breaking, true))}</div>` : ''}</div>`);

  b.push('<h2>Results (% of planned requests)</h2><div class="grid">');
  for (const tb of t.byCount) b.push(section(tb.title, pct(tb)));
  b.push(section(t.overall.title, pct(t.overall)), section(t.perRoute.title, pct(t.perRoute)), '</div>');

  b.push('<h2>Response times (ms, successful answers)</h2>', lat(t.latency));
  const notes = t.latency.rows.filter((r) => r.note).map((r) => `<li>${xml(r.label)}: ${xml(r.note!)}</li>`).join('');
  if (notes) b.push(`<ul class="notes">${notes}</ul>`);
  // 15 rows per route: folded so the page stays a screenful or two.
  b.push('<details><summary>Response times per scenario</summary><div class="grid">', ...t.latencyByScenario.map((tb) => section(tb.title, lat(tb))), '</div></details>');

  b.push('<h2>No response: causes</h2>', t.causes ? counts(t.causes) : '<p class="notes">Not recorded in this data.</p>');
  const invalid = m.invalidBodies || [];
  if (invalid.length) {
    b.push('<h2>Invalid bodies</h2>', '<p class="notes">The first schema problem each VU saw on each route (a body with the expected status that does not match its schema counts as Invalid body).</p>',
      table(['Route', 'Problem', 'VUs'], invalid.map((x) => ({ cells: [x.route, x.problem, String(x.vus)] })), true));
  }
  b.push('<h2>Accounting</h2>', table(['', 'Requests'], t.accounting.map(([k, v]) => ({ cells: [k, v] }))));
  if (t.notes.length) b.push(`<ul class="notes">${t.notes.map((n) => `<li>${xml(n)}</li>`).join('')}</ul>`);

  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>party-perf: ${xml(m.label)} ${ok ? 'PASS' : 'FAIL'}</title><style>${CSS}</style></head>` +
    `<body><main>${b.join('\n')}</main></body></html>\n`;
}
