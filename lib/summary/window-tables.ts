// A soak's or a spike's windows as plain tables (lib/summary/windows.ts has
// the rules): the finding per route, then every window. Text shows the first;
// Markdown and HTML both.
import { CLASS_LABELS, CLASSES } from '../classify.ts';
import { fixed, int, ms, rate } from './format.ts';
import type { Drift, RouteSpike, SpikePhase, SpikeResult, SummaryModel, WindowRow, WindowsResult } from './model.ts';
import type { CountTable } from './tables.ts';

export interface WindowTables {
  title: string;
  /** Stable / degrading / too short, or recovered / not: one sentence. */
  headline: string;
  /** The finding per route. */
  findings: CountTable;
  /** Every window of every route. */
  windows: CountTable;
}

const pct = (x: number | null): string => (x === null ? 'n/a' : `${fixed(x * 100, 2)} %`);
const perHour = (x: number | null, unit: string, scale = 1): string => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${fixed(x * scale, 1)}${unit}`);
const phase = (p: SpikePhase): string => `${pct(p.successRate)}, p95 ${ms(p.p95Median)}${p.windows > 1 ? ` (worst ${ms(p.p95Max)})` : ''}`;
/** A window's length or a recovery time: whole minutes as such, else seconds. */
const span = (t: number): string => (t >= 60_000 && t % 60_000 === 0 ? `${t / 60_000} min` : `${fixed(t / 1000, t % 1000 ? 1 : 0)} s`);
const at = (startMs: number): string => (startMs === 0 ? '0:00' : clock(startMs));
function clock(t: number): string {
  const s = Math.round(t / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The failure classes, as the report's columns (a window's success is its own column). */
const FAILURES = CLASSES.filter((c) => c !== 'success' && c !== 'invalid');

function windowTable(w: WindowsResult, labels: Map<string, string>): CountTable {
  const showPhase = w.kind === 'spike';
  return {
    title: `Windows (${span(w.windowMs)} each${w.kind === 'spike' ? '; the spike is one window' : ''})`,
    keyHeader: 'From',
    columns: [...(showPhase ? ['Phase'] : []), 'Route', 'Rate', 'Planned', 'Success %', ...FAILURES.map((c) => CLASS_LABELS[c]), 'Not sent', 'p50', 'p95'],
    rows: w.rows.map((r: WindowRow) => ({
      label: at(r.startMs),
      cells: [
        ...(showPhase ? [r.phase] : []), labels.get(r.route) ?? r.route, `${rate(1000 / r.offset)}/s`, int(r.planned), pct(r.successRate),
        ...FAILURES.map((c) => int(r.classes[c])), int(r.notSent), ms(r.p50), ms(r.p95),
      ],
    })),
  };
}

function driftFindings(d: Drift): CountTable {
  return {
    title: 'Drift per route (median of the first third of the windows against the last third)', keyHeader: 'Route',
    columns: ['Windows', 'p95 early', 'p95 late', 'p95 per hour', 'Success early', 'Success late', 'Success per hour', 'Drift'],
    rows: d.routes.map((r) => ({
      label: r.label,
      cells: [String(r.windows), ms(r.p95.early), ms(r.p95.late), perHour(r.p95.perHour, ' ms'), pct(r.success.early), pct(r.success.late),
        perHour(r.success.perHour, ' points', 100), r.status],
    })),
  };
}

function spikeFindings(s: SpikeResult): CountTable {
  const recovered = (r: RouteSpike): string =>
    !r.leftBand ? 'never left the band' : r.recoveredAfterMs === null ? `not within ${span(r.afterMs)}` : `within ${span(r.recoveredAfterMs)}`;
  return {
    title: 'Before, during and after the spike (success; median window p95)', keyHeader: 'Route',
    columns: ['Base', 'Spike', 'After', 'Band (success >=, p95 <=)', 'Recovered'],
    rows: s.routes.map((r) => ({
      label: r.label,
      cells: [phase(r.base), phase(r.spike), phase(r.after), `${pct(r.band.successMin)}, ${ms(r.band.p95Max)}`, recovered(r)],
    })),
  };
}

export function windowTables(m: SummaryModel): WindowTables | null {
  const w = m.windows;
  if (!w) return null;
  const windows = windowTable(w, new Map(m.routes.map((r) => [r.route, r.label])));
  return w.kind === 'soak'
    ? { title: 'Soak: drift', headline: w.drift.headline, findings: driftFindings(w.drift), windows }
    : { title: 'Spike: recovery', headline: w.spike.headline, findings: spikeFindings(w.spike), windows };
}
