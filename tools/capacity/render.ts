// capacity.json -> the terminal's progress lines and table, capacity.md and a
// self-contained capacity.html (inline SVG, no script, no network).
import { xml } from '../../lib/summary/escape.ts';
import { PAGE_CSS, scrollBox } from '../../lib/summary/page-css.ts';
import type { Decision } from '../../lib/capacity/search.ts';
import type { CapacityReport, ProbeRecord, RouteCapacity } from './model.ts';

const f1 = (n: number | null): string => (n === null ? 'n/a' : n.toFixed(1));
const f2 = (n: number | null): string => (n === null ? 'n/a' : n.toFixed(2));
const rateOr = (n: number | null): string => (n === null ? '-' : String(n));

/** The capacity cell: "≥" marks a lower bound. */
export function capacityCell(r: RouteCapacity): string {
  if (r.capacity === null) return 'none';
  return `${r.lowerBound ? '>= ' : ''}${r.capacity}`;
}

const late = (p: Pick<ProbeRecord, 'lateShare'>): string => (p.lateShare === null ? 'n/a' : `${(p.lateShare * 100).toFixed(2)} %`);

/** What the search does with runs that are not trustworthy: said once per search, and in every report. */
export function retryPolicy(retries: number): string {
  return `a probe whose run is not trustworthy (load generator behind, or machine saturated) does not count: ` +
    (retries > 0 ? `its rate is run again, up to ${retries} more time${retries === 1 ? '' : 's'}, then ` : '') +
    'the search stops there, limited by the load generator';
}

/** The run's verdict in a cell: its status, or n/a when the summary had none. */
export const runCell = (p: Pick<ProbeRecord, 'verdict'>): string => p.verdict?.status ?? 'n/a';

/** A probe's result: holds / fails when it counted, otherwise why not. */
export function resultCell(p: Pick<ProbeRecord, 'stop' | 'counted' | 'holds'>): string {
  if (p.stop !== null) return 'stopped';
  if (!p.counted) return 'not counted';
  return p.holds ? 'holds' : 'fails';
}

/**
 * One line per probe, as it finishes. `decision`: what the search does with
 * it (lib/capacity/search.ts decide); null when the probe was stopped.
 */
export function progressLine(
  search: string, p: ProbeRecord, lower: number | null, upper: number | null,
  decision: Decision | null = p.stop === null ? 'count' : null, retries = 0,
): string {
  let verdict: string;
  if (p.stop !== null) verdict = `STOPPED (${p.stop})`;
  else if (decision === 'retry') verdict = `not counted, run not trustworthy: ${p.verdict?.headline ?? runCell(p)} Trying ${p.rate} req/s again (retry ${p.attempt} of ${retries})`;
  else if (decision === 'give up') {
    verdict = `not counted, run not trustworthy: ${p.verdict?.headline ?? runCell(p)} ` +
      `${p.attempt === 1 ? 'No retries left' : `None of ${p.attempt} runs at ${p.rate} req/s was trustworthy`}: the search stops here, limited by the load generator`;
  } else verdict = p.holds ? 'holds' : `fails: ${p.reasons.join('; ')}`;
  const gen = p.generator.length ? `  [load generator: ${p.generator.join('; ')}]` : '';
  const retry = p.attempt > 1 ? ` (retry ${p.attempt - 1})` : '';
  return `[capacity] ${search} probe ${p.index}${retry}: ${p.rate} req/s  success ${f2(p.successPct)} %  p95 ${f1(p.p95Ms)} ms  ` +
    `not sent ${p.notSent}  k6 CPU ${f2(p.k6Cpu)} cores  late ${late(p)}  run ${runCell(p)}  -> ${verdict}${gen}  (held ${rateOr(lower)}, failed ${rateOr(upper)})`;
}

const HEAD = ['Route', 'Capacity (req/s per route)', 'All routes (req/s)', 'Held', 'Failed', 'Limited by', 'Probes'];
const row = (r: RouteCapacity): string[] => [
  r.route, capacityCell(r), r.totalRate === null ? '-' : `${r.lowerBound ? '>= ' : ''}${r.totalRate}`,
  rateOr(r.lower), rateOr(r.upper), r.limitedBy ?? '-', String(r.probes.length),
];

function pad(rows: string[][]): string {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ')).join('\n');
}

const criteria = (c: CapacityReport): string =>
  `A probe of ${c.settings.stepSeconds} s holds with success >= ${c.settings.gate} %, p95 of successes <= ${c.settings.p95Ms} ms and nothing dropped; ` +
  `precision ${c.settings.precision * 100} %; ${retryPolicy(c.settings.retries)}`;

export function renderText(c: CapacityReport): string {
  const lines = [
    '',
    `Capacity: ${c.label}  (target ${c.target}${c.preset ? `, reference target preset ${c.preset}` : ''}, ${c.machineCores} cores)`,
    `  ${criteria(c)}`,
    '',
    pad([HEAD, ...c.results.map(row)]).replace(/^/gm, '  '),
    '',
    ...c.results.map((r) => `  ${r.route}: ${r.note}`),
  ];
  if (c.interrupted) lines.push('  Interrupted (Ctrl-C): these are the figures found so far.');
  return lines.join('\n') + '\n';
}

const mdRow = (cells: string[]): string => `| ${cells.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`;

/** Why a probe's row reads as it does: its stop, the run's verdict when it did not count, the hold rule's reasons. */
function whyCell(p: ProbeRecord): string {
  const why = p.stop !== null ? [p.stop] : [
    ...(!p.counted && p.verdict ? [`run not trustworthy: ${p.verdict.headline}`] : []),
    ...p.reasons,
  ];
  return [...why, ...p.generator.map((g) => `load generator: ${g}`)].join('; ') || '-';
}

function probeRows(r: RouteCapacity): string[] {
  return [
    mdRow(['#', 'Rate (req/s)', 'Result', 'Run', 'Late %', 'Max lag (ms)', 'Success %', 'p95 (ms)', 'Not sent', 'k6 CPU (cores)', 'Why']),
    '| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...r.probes.map((p) => mdRow([
      `${p.index}${p.attempt > 1 ? ` (retry ${p.attempt - 1})` : ''}`, String(p.rate), resultCell(p), runCell(p),
      p.lateShare === null ? 'n/a' : (p.lateShare * 100).toFixed(2), p.maxLagMs === null ? 'n/a' : p.maxLagMs.toFixed(0),
      f2(p.successPct), f1(p.p95Ms), String(p.notSent), f2(p.k6Cpu), whyCell(p),
    ])),
  ];
}

export function renderMarkdown(c: CapacityReport): string {
  const out = [
    `# Capacity: ${c.label}`,
    '',
    `Target ${c.target}${c.preset ? ` (reference target, preset ${c.preset})` : ''}, started ${c.startTime}, ${c.machineCores} cores, k6 ${c.k6Version ?? 'unknown'}.`,
    `${criteria(c)}.`,
    '',
    mdRow(HEAD),
    '| --- | ---: | ---: | ---: | ---: | --- | ---: |',
    ...c.results.map((r) => mdRow(row(r))),
    '',
    ...c.results.map((r) => `- **${r.route}**: ${r.note}`),
  ];
  if (c.interrupted) out.push('', '**Interrupted (Ctrl-C)**: these are the figures found so far.');
  for (const r of c.results) out.push('', `## Probes: ${r.route}`, '', ...probeRows(r));
  return out.join('\n') + '\n';
}

/** Rate (log) across; success % (left) and p95 (right, log) up; the capacity marked. */
export function probeChart(r: RouteCapacity, gatePct: number, p95Limit: number): string {
  const W = 640, H = 300, L = 52, R = 64, T = 30, B = 46;
  const pw = W - L - R, ph = H - T - B;
  const ps = r.probes.filter((p) => p.stop === null);
  const rates = ps.map((p) => p.rate);
  const lo = Math.min(...rates, r.capacity ?? Infinity), hi = Math.max(...rates, r.capacity ?? 0);
  const lx0 = Math.log10(Math.max(1, lo) / 1.2), lx1 = Math.log10(Math.max(hi, lo * 1.5) * 1.2);
  const x = (v: number) => L + ((Math.log10(v) - lx0) / (lx1 - lx0)) * pw;
  const ys = (v: number) => T + ph - (Math.max(0, Math.min(100, v)) / 100) * ph;
  const lats = ps.map((p) => p.p95Ms).filter((v): v is number => v !== null && v > 0);
  const ly0 = Math.floor(Math.log10(Math.min(...lats, p95Limit, 10)));
  const ly1 = Math.ceil(Math.log10(Math.max(...lats, p95Limit) * 1.01));
  const yl = (v: number) => T + ph - ((Math.log10(Math.max(v, 10 ** ly0)) - ly0) / (ly1 - ly0)) * ph;
  const title = `${r.route}: success % and p95 per probe rate`;
  const o: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="${xml(title)}" class="chart">`,
    `<title>${xml(title)}</title>`,
    `<text x="${L}" y="16" font-size="13" font-weight="600">${xml(title)}</text>`,
  ];
  for (const v of [0, 25, 50, 75, 100]) {
    o.push(`<line x1="${L}" x2="${L + pw}" y1="${ys(v)}" y2="${ys(v)}" stroke="#e4e4e4"/>`, `<text x="${L - 6}" y="${ys(v) + 4}" font-size="11" text-anchor="end" fill="#1f77b4">${v}</text>`);
  }
  for (let e = ly0; e <= ly1; e++) o.push(`<text x="${L + pw + 6}" y="${yl(10 ** e) + 4}" font-size="11" fill="#d62728">${10 ** e}</text>`);
  let lastLabel = -Infinity;
  for (const v of [...new Set(rates)].sort((a, b) => a - b)) {
    if (x(v) - lastLabel < 30) continue; // bisection packs rates close together: label the first of a cluster
    lastLabel = x(v);
    o.push(`<text x="${x(v).toFixed(1)}" y="${T + ph + 16}" font-size="10" text-anchor="middle">${v}</text>`);
  }
  o.push(
    `<text x="${L + pw / 2}" y="${H - 8}" font-size="11" text-anchor="middle">rate per route (req/s, log scale)</text>`,
    `<text x="12" y="${T + ph / 2}" font-size="11" fill="#1f77b4" transform="rotate(-90 12 ${T + ph / 2})" text-anchor="middle">success %</text>`,
    `<text x="${W - 8}" y="${T + ph / 2}" font-size="11" fill="#d62728" transform="rotate(90 ${W - 8} ${T + ph / 2})" text-anchor="middle">p95 ms (log)</text>`,
    `<line x1="${L}" x2="${L + pw}" y1="${ys(gatePct)}" y2="${ys(gatePct)}" stroke="#1f77b4" stroke-dasharray="2 3"/>`,
    `<line x1="${L}" x2="${L + pw}" y1="${yl(p95Limit)}" y2="${yl(p95Limit)}" stroke="#d62728" stroke-dasharray="2 3"/>`,
  );
  if (r.capacity !== null) {
    const cx = x(r.capacity).toFixed(1);
    o.push(`<line x1="${cx}" x2="${cx}" y1="${T}" y2="${T + ph}" stroke="#2ca02c" stroke-width="2"/>`,
      `<text x="${cx}" y="${T - 4}" font-size="11" text-anchor="middle" fill="#2ca02c" class="capacity">capacity ${xml(capacityCell(r))}</text>`);
  }
  if (r.untrusted) {
    // Where the search stopped because no run was trustworthy.
    const ux = x(r.untrusted.rate).toFixed(1);
    o.push(`<line x1="${ux}" x2="${ux}" y1="${T}" y2="${T + ph}" stroke="#888" stroke-width="1.5" stroke-dasharray="4 3"/>`,
      `<text x="${ux}" y="${T + 12}" font-size="11" text-anchor="middle" fill="#666" class="untrusted">stopped: load generator</text>`);
  }
  const byRate = [...ps].sort((a, b) => a.rate - b.rate);
  // The lines join the probes that counted; a run that was not trustworthy is a grey, dashed mark.
  const counted = byRate.filter((p) => p.counted);
  const line = (pts: Array<[number, number]>, color: string) =>
    pts.length > 1 ? `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${pts.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}"/>` : '';
  o.push(line(counted.filter((p) => p.successPct !== null).map((p) => [x(p.rate), ys(p.successPct!)]), '#1f77b4'));
  o.push(line(counted.filter((p) => p.p95Ms !== null && p.p95Ms > 0).map((p) => [x(p.rate), yl(p.p95Ms!)]), '#d62728'));
  for (const p of byRate) {
    const fill = !p.counted ? '#ddd' : p.holds ? '#2ca02c' : '#fff';
    const dash = p.counted ? '' : ' stroke-dasharray="2 1.5"';
    const run = p.counted ? '' : `, not counted: run ${runCell(p)}${p.verdict ? ` (${p.verdict.headline})` : ''}`;
    const tip = `${p.rate} req/s: ${p.holds ? 'holds' : 'fails'}${run}, success ${f2(p.successPct)} %, p95 ${f1(p.p95Ms)} ms, late ${late(p)}`;
    const cls = p.counted ? 'probe' : 'probe untrusted';
    if (p.successPct !== null) o.push(`<circle class="${cls}" cx="${x(p.rate).toFixed(1)}" cy="${ys(p.successPct).toFixed(1)}" r="4" fill="${fill}" stroke="#1f77b4"${dash}><title>${xml(tip)}</title></circle>`);
    if (p.p95Ms !== null && p.p95Ms > 0) o.push(`<rect x="${(x(p.rate) - 3.5).toFixed(1)}" y="${(yl(p.p95Ms) - 3.5).toFixed(1)}" width="7" height="7" fill="${fill}" stroke="#d62728"${dash}><title>${xml(tip)}</title></rect>`);
  }
  o.push('</svg>');
  return o.join('\n');
}

function htmlTable(md: string[], cls: string): string {
  // The Markdown rows above, as HTML: one source for both.
  const cells = (l: string) => l.slice(2, -2).split(/ (?<!\\)\| /).map((c) => xml(c.replace(/\\\|/g, '|')));
  const [head, , ...body] = md;
  // The probes' last column (why a probe failed) wraps; the figures do not.
  const td = (c: string, i: number, n: number) => (cls === 'probes' && i === n - 1 ? `<td class="wrap">${c}</td>` : `<td>${c}</td>`);
  return scrollBox(`<table class="${cls}"><thead><tr>${cells(head!).map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody>${body
    .map((l) => `<tr>${cells(l).map((c, i, a) => td(c, i, a.length)).join('')}</tr>`).join('')}</tbody></table>`);
}

export function renderHtml(c: CapacityReport): string {
  const sections = c.results.map((r) => [
    `<section><h2>${xml(r.route)}: ${xml(capacityCell(r))} req/s per route</h2>`,
    `<p>${xml(r.note)}</p>`,
    `<div class="scroll">${probeChart(r, c.settings.gate, c.settings.p95Ms)}</div>`,
    `<p class="legend">Circles: success % (left axis); squares: p95 of successful answers (right axis); filled: the probe held; grey and dashed: not counted, its run was not trustworthy. Dotted lines: the gate and the p95 limit; green line: the capacity.</p>`,
    htmlTable(probeRows(r), 'probes'),
    `<p class="path">Probe results: ${r.probes.map((p) => `<code>${xml(p.folder)}</code>`).join(' ')}</p></section>`,
  ].join('\n'));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Capacity: ${xml(c.label)}</title>
<style>${PAGE_CSS}
svg.chart{display:block}.probes td.wrap,.probes th:last-child{text-align:left}.legend{color:#555;font-size:12px}
</style></head><body><main>
<h1>Capacity: ${xml(c.label)}</h1>
<p>Target <code>${xml(c.target)}</code>${c.preset ? ` (reference target, preset ${xml(c.preset)})` : ''}, started ${xml(c.startTime)}, ${c.machineCores} cores, k6 ${xml(c.k6Version ?? 'unknown')}.
${xml(criteria(c))}.${c.interrupted ? ' <strong>Interrupted (Ctrl-C): the figures found so far.</strong>' : ''}</p>
${htmlTable([mdRow(HEAD), '', ...c.results.map((r) => mdRow(row(r)))], 'capacity')}
${sections.join('\n')}
</main></body></html>
`;
}
