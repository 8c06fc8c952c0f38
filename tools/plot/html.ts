// The whole page: title, legend with totals per class, one panel per route,
// a note on how to read it. Self-contained: inline CSS and SVG, no script.

import { basename, resolve } from 'node:path';
import { PAGE_CSS } from '../../lib/summary/page-css.ts';
import { CLASSES } from '../../lib/classify.ts';
import { routeByKey } from '../../lib/routes.ts';
import type { MarkOptions } from './decimate.ts';
import type { Dataset } from './model.ts';
import { indexByRoute } from './model.ts';
import { renderPanel, timeUnitFor } from './panel.ts';
import type { PanelMarks } from './panel.ts';
import { formatMs, formatSeconds } from './scale.ts';
import { esc } from './svg.ts';
import { CLASS_COLOURS, CORE_CLASSES, classLabel } from './theme.ts';
import { readingHtml } from './words.ts';
import type { Reading } from './words.ts';

export interface PageInput {
  ds: Dataset;
  inputs: string[];
  /** One line per input: format, compression, resolution. */
  sources: string[];
  warnings: string[];
  /** Coarsest time resolution among the inputs, s. */
  resolution: number;
  yLog: boolean;
  marks: MarkOptions;
  /** The graph in words: written above the charts and marked on them. */
  reading?: Reading;
}

export function renderPage(p: PageInput): string {
  const { ds } = p;
  let origin = Infinity;
  let end = -Infinity;
  let minPos = Infinity;
  let max = 0;
  for (let i = 0; i < ds.n; i++) {
    const t = ds.sent[i]!;
    if (t < origin) origin = t;
    if (t > end) end = t;
    const d = ds.durationMs[i]!;
    if (d > 0 && d < minPos) minPos = d;
    if (d > max) max = d;
  }
  if (!Number.isFinite(minPos)) minPos = 1;
  // Below 10 µs is clock noise, not a response time: such requests sit on the floor.
  const yDomain: [number, number] = [Math.max(minPos, 0.01), Math.max(max, minPos * 10, 1)];
  const timeUnit = timeUnitFor(ds.n ? (end - origin) / 1000 : 0);
  const byRoute = indexByRoute(ds);
  const reading = p.reading ? panelMarks(p.reading) : undefined;
  const panels = ds.routes.map((route, r) => {
    const out = renderPanel({ ds, route: r, idx: byRoute[r]!, originMs: origin, yDomain, yLog: p.yLog, resolution: p.resolution, timeUnit, marks: p.marks, ...(reading ? { reading } : {}) });
    return { route, ...out };
  });
  const names = p.inputs.map((f) => basename(f)).join(', ');
  const title = `Response times vs time into test: ${names}`;
  const span = ds.n ? (end - origin) / 1000 : 0;

  const body: string[] = [];
  // Each input by its file name, the full path in a tooltip: a long path never widens the page.
  const named = p.inputs.map((f) => `<span class="file" title="${esc(resolve(f))}">${esc(basename(f))}</span>`).join(', ');
  body.push(`<header><h1>Response times vs time into test: ${named}</h1>`);
  body.push(
    `<p class="sub">${ds.n.toLocaleString('en-GB')} requests over ${esc(span >= 1200 ? `${(span / 60).toFixed(1)} min` : `${formatSeconds(Math.round(span * 10) / 10)} s`)}, ` +
      `${ds.routes.length} route${ds.routes.length === 1 ? '' : 's'}, ${ds.groups.length} scenario${ds.groups.length === 1 ? '' : 's'}. ` +
      `Slowest ${esc(formatMs(max))}. Source: ${esc(p.sources.join('; '))}.</p>`,
  );
  body.push(legend(ds.byClass, ds.n, reading));
  if (p.warnings.length) body.push(`<ul class="warnings">${p.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
  if (p.reading) body.push(readingHtml(p.reading));
  body.push('</header>');
  for (const panel of panels) {
    const label = routeByKey(panel.route)?.label;
    const n = byRoute[ds.routes.indexOf(panel.route)]!.length;
    const counts = CLASSES.filter((c) => panel.byClass[c] > 0)
      .map((c) => `<span class="count"><i style="background:${CLASS_COLOURS[c]}"></i>${esc(classLabel(c))} ${panel.byClass[c].toLocaleString('en-GB')}</span>`)
      .join(' ');
    const notes: string[] = [];
    if (!panel.full) notes.push(`${n.toLocaleString('en-GB')} requests drawn as ${panel.marks.toLocaleString('en-GB')} marks (decimated: every pixel a request or failure touches, and each column's fastest and slowest, is drawn)`);
    if (panel.onFloor) notes.push(`${panel.onFloor.toLocaleString('en-GB')} request${panel.onFloor === 1 ? '' : 's'} took 0 ms (refused before sending) or less than the axis floor, and sit on the bottom edge`);
    body.push(
      `<section class="panel" data-route="${esc(panel.route)}"><h2>Route <code>${esc(panel.route)}</code>${label ? ` <span class="path">${esc(label)}</span>` : ''}` +
        ` <span class="n">${n.toLocaleString('en-GB')} requests</span></h2><p class="counts">${counts}</p>` +
        (notes.length ? `<p class="note">${esc(notes.join('. '))}.</p>` : '') +
        `<div class="chart">${panel.svg}</div></section>`,
    );
  }
  body.push(howToRead());
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${PAGE_CSS}${CSS}</style></head>
<body><main>${body.join('\n')}</main></body></html>
`;
}

/** The reading's times (ms since the first request, which is also the page's origin) in seconds into the test. */
function panelMarks(r: Reading): PanelMarks {
  return {
    sloMs: r.sloMs,
    onsetS: r.onset ? r.onset.atMs / 1000 : null,
    plateau: r.plateau ? { fromS: r.plateau.fromMs / 1000, toS: r.plateau.toMs / 1000, levelMs: r.plateau.levelMs } : null,
    recoveryS: r.recovery ? r.recovery.atMs / 1000 : null,
  };
}

function legend(byClass: Dataset['byClass'], n: number, marks?: PanelMarks): string {
  const items = CLASSES.filter((c) => CORE_CLASSES.includes(c) || byClass[c] > 0).map((c) => {
    const k = byClass[c];
    const pct = n ? ` (${((100 * k) / n).toFixed(k && (100 * k) / n < 0.1 ? 2 : 1)}%)` : '';
    return `<li data-class="${c}"><svg width="14" height="14" aria-hidden="true"><circle cx="7" cy="7" r="5" fill="${CLASS_COLOURS[c]}"/></svg>${esc(classLabel(c))}: <b>${k.toLocaleString('en-GB')}</b>${pct}</li>`;
  }).join('');
  const lines =
    `<li><svg width="28" height="14" aria-hidden="true"><line x1="2" x2="26" y1="7" y2="7" class="median"/></svg>rolling median</li>` +
    `<li><svg width="28" height="14" aria-hidden="true"><line x1="2" x2="26" y1="7" y2="7" class="p95"/></svg>rolling p95</li>` +
    `<li><svg width="28" height="14" aria-hidden="true"><rect x="2" y="1" width="24" height="12" class="band"/><line x1="2" x2="2" y1="1" y2="13" class="boundary"/></svg>scenario (count, offset between requests)</li>`;
  const words = !marks
    ? ''
    : `<li><svg width="28" height="14" aria-hidden="true"><line x1="2" x2="26" y1="7" y2="7" class="slo"/></svg>p95 gate (${marks.sloMs} ms)</li>` +
      (marks.onsetS !== null ? `<li><svg width="28" height="14" aria-hidden="true"><line x1="14" x2="14" y1="1" y2="13" class="w-onset"/></svg>onset</li>` : '') +
      (marks.plateau ? `<li><svg width="28" height="14" aria-hidden="true"><rect x="2" y="1" width="24" height="12" class="w-plateau"/></svg>plateau</li>` : '') +
      (marks.recoveryS !== null ? `<li><svg width="28" height="14" aria-hidden="true"><line x1="14" x2="14" y1="1" y2="13" class="w-recovery"/></svg>recovery</li>` : '');
  return `<ul class="legend">${items}${lines}${words}</ul>`;
}

function howToRead(): string {
  return `<footer><h2>How to read this</h2><p>Each dot is one request: across, when it was sent (seconds into the test);
up, how long it took to be answered or to fail (log scale, shared by all routes). Colour is the response class, as in the
summary tables: Success (200), No Response (status 0: refused, reset, closed, timed out), 404, 500 (any 5xx), Other.
Shaded bands and dashed lines mark the scenarios, labelled with their request count and the offset between requests.
The solid line is the rolling median and the dashed one the rolling p95 of the responses that arrived (no-response requests
are left out). Under each scatter, requests per second stacked by class, then each class's share of the requests in the same
time bins. Hover a dot or a scenario label for details. "The graph in words" above reads the same requests, all routes together in send order:
the red dashed line is the p95 gate, a solid red line the onset of degradation, the orange band its plateau (a dotted line at
its median) and a solid green line the recovery.</p></footer>`;
}

// After the shared page CSS (lib/summary/page-css.ts): what only this page has.
const CSS = `
body{color:#1f2328;background:#fff}
main{padding-top:20px}
h1{margin:0 0 4px}
h2{font-size:17px;margin:0 0 4px;border:0;padding:0}
.sub{margin:0 0 8px;color:#444}
.legend{list-style:none;padding:0;margin:8px 0;display:flex;flex-wrap:wrap;gap:6px 18px}
.legend li{display:flex;align-items:center;gap:5px}
.warnings{background:#fff4e5;border:1px solid #f0b35a;padding:6px 8px 6px 26px;margin:8px 0}
.panel{margin:22px 0 8px;border-top:1px solid #d0d7de;padding-top:10px}
.path{font-weight:normal;color:#555;font-family:ui-monospace,monospace;font-size:14px}
.n{font-weight:normal;color:#555;font-size:14px;margin-left:8px}
.counts{margin:0 0 2px}.count{margin-right:14px;white-space:nowrap}
.count i{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:4px}
.note{margin:0;color:#555;font-size:13px}
.chart{overflow-x:auto}
.chart svg{max-width:100%;height:auto;display:block}
footer{margin-top:20px;border-top:1px solid #d0d7de;color:#333;font-size:13px}
.tick{font-size:11px;fill:#444}
.axis-title{font-size:12px;fill:#222}
.note{font-size:11px;fill:#555}
.scn{font-size:11px;fill:#333}
.grid{stroke:#e6e8eb;stroke-width:1}
.axis{stroke:#888;stroke-width:1}
.band{fill:#eef1f5}
.boundary{stroke:#9aa4b1;stroke-width:1;stroke-dasharray:3 3}
.marks circle{stroke:#fff;stroke-width:.4}
.dots{fill:none;stroke-linecap:round;stroke-width:5}
.halo{fill:none;stroke:#fff;stroke-width:4;stroke-opacity:.85;stroke-linejoin:round}
.median{fill:none;stroke:#111;stroke-width:2;stroke-linejoin:round}
.slo{stroke:#c62828;stroke-width:1;stroke-dasharray:5 4}
.w-onset{stroke:#c62828;stroke-width:2}
.w-recovery{stroke:#2e7d32;stroke-width:2}
.w-plateau{fill:#f0a030;fill-opacity:.16;stroke:none}
.w-level{stroke:#b26a00;stroke-width:1.5;stroke-dasharray:2 3}
.wlabel{font-size:11px;font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px}
.wlabel.onset{fill:#c62828}.wlabel.recovery{fill:#2e7d32}.wlabel.plateau{fill:#8a5200}.wlabel.slo{fill:#c62828;font-weight:400}
.graph-words{margin:10px 0 0}.graph-words h2{margin:6px 0 4px}.graph-words .status{margin:4px 0 6px}
.p95{fill:none;stroke:#111;stroke-width:1.5;stroke-dasharray:6 3;stroke-linejoin:round}
${CLASSES.map((c) => `[data-class=${c}]{fill:${CLASS_COLOURS[c]}}.dots[data-class=${c}]{stroke:${CLASS_COLOURS[c]};fill:none}`).join('\n')}
.marks circle[data-class=success]{fill-opacity:.75}
`;
