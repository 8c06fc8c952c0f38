// A small inline SVG line chart: success % per offset, one line per count.
// Hand-written so report.html needs no script or external asset.
import { xml } from './escape.ts';
import { fixed } from './format.ts';

export interface ChartData {
  offsets: number[];
  /** Tick labels, one per offset: the offset, or "rate req/s (offset ms)" for a rate sweep. */
  labels?: string[];
  axisTitle?: string;
  series: Array<{ name: string; values: Array<number | null> }>;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];

export function successChart(d: ChartData, gatePct: number | null, title = 'Success % per offset'): string {
  const W = 640, H = 280, L = 48, R = 150, T = 28, B = 44;
  const pw = W - L - R, ph = H - T - B;
  const n = d.offsets.length;
  const x = (i: number) => L + (n <= 1 ? pw / 2 : (i * pw) / (n - 1));
  const y = (v: number) => T + ph - (Math.max(0, Math.min(100, v)) / 100) * ph;
  const o: string[] = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${xml(title)}" class="chart">`);
  o.push(`<title>${xml(title)}</title>`);
  o.push(`<text x="${L}" y="16" font-size="13" font-weight="600">${xml(title)}</text>`);
  for (const v of [0, 25, 50, 75, 100]) {
    o.push(`<line x1="${L}" x2="${L + pw}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    o.push(`<text x="${L - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${v}</text>`);
  }
  const label = (i: number): string => (d.labels && d.labels[i] !== undefined ? d.labels[i]! : String(d.offsets[i]));
  // Many rate labels would overlap: stagger them on two lines.
  const stagger = !!d.labels && n > 6;
  d.offsets.forEach((_off, i) => {
    o.push(`<text x="${x(i)}" y="${T + ph + 16 + (stagger && i % 2 ? 11 : 0)}" font-size="${stagger ? 9 : 11}" text-anchor="middle">${xml(label(i))}</text>`);
  });
  o.push(`<text x="${L + pw / 2}" y="${H - 4}" font-size="11" text-anchor="middle">${xml(d.axisTitle ?? 'offset between requests (ms)')}</text>`);
  o.push(`<text x="12" y="${T + ph / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${T + ph / 2})">success %</text>`);
  if (gatePct !== null) {
    o.push(`<line x1="${L}" x2="${L + pw}" y1="${y(gatePct)}" y2="${y(gatePct)}" stroke="#888" stroke-dasharray="4 3"/>`);
    o.push(`<text x="${L + 4}" y="${y(gatePct) - 4}" font-size="10" fill="#666">gate ${fixed(gatePct, Number.isInteger(gatePct) ? 0 : 2)} %</text>`);
  }
  d.series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length]!;
    // Break the line where a count has no scenario at that offset.
    let path = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) { pen = false; return; }
      path += `${pen ? 'L' : 'M'}${fixed(x(i), 1)} ${fixed(y(v), 1)} `;
      pen = true;
    });
    if (path) o.push(`<path d="${path.trim()}" fill="none" stroke="${color}" stroke-width="2"/>`);
    s.values.forEach((v, i) => {
      if (v !== null) o.push(`<circle cx="${fixed(x(i), 1)}" cy="${fixed(y(v), 1)}" r="3" fill="${color}"><title>${xml(`${s.name}, ${d.labels ? label(i) : `${d.offsets[i]} ms`}: ${fixed(v, 2)} %`)}</title></circle>`);
    });
    const ly = T + 40 + k * 18;
    o.push(`<line x1="${L + pw + 16}" x2="${L + pw + 36}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    o.push(`<text x="${L + pw + 42}" y="${ly + 4}" font-size="11">${xml(s.name)}</text>`);
  });
  o.push('</svg>');
  return o.join('');
}
