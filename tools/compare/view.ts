// Shared wording and number formats for the Markdown and HTML renderers, so
// both say the same thing about the same cell.
import { fixed, int } from '../../lib/summary/format.ts';
import type { Basis, Cell, Comparison, LeftOut, Table } from './diff.ts';
import { regressions } from './diff.ts';

export const value = (c: Cell): string => (c.value === null ? 'n/a' : `${c.approx ? '≈' : ''}${fixed(c.value, 2)}`);

/** ▲ / ▼ only beyond the tolerance; the sign always shows the direction. */
export function delta(c: Cell, kind: Table['kind']): string {
  if (c.delta === null) return '';
  const n = `${c.delta > 0 ? '+' : ''}${fixed(c.delta, kind === 'rate' ? 2 : 1)}${kind === 'latency' ? '%' : ''}`;
  const arrow = c.mark === null ? '' : c.delta > 0 ? '▲ ' : '▼ ';
  return `${arrow}${n}`;
}

export const deltaUnit = (t: Table): string => (t.kind === 'rate' ? 'percentage points' : '% change');

export function basisText(b: Basis, compared: number): string {
  switch (b) {
    case 'scenarios': return `${int(compared)} scenarios (route x count x offset) that every run has`;
    case 'route-offset': return `${int(compared)} scenarios per run, matched by route and offset (no request count is in every run)`;
    case 'none': return 'nothing: the runs have no route and offset in common';
  }
}

/** "counts 25, 50 and offsets 200 are not in every run": why cells were left out. */
export function leftOutReason(l: LeftOut): string {
  const parts: string[] = [];
  if (l.routes.length) parts.push(`routes ${l.routes.join(', ')}`);
  if (l.counts.length) parts.push(`counts ${l.counts.join(', ')}`);
  if (l.offsets.length) parts.push(`offsets ${l.offsets.map((o) => `${o} ms`).join(', ')}`);
  const n = `${l.scenarios.length} scenario${l.scenarios.length === 1 ? '' : 's'} left out`;
  return parts.length ? `${n}: ${parts.join('; ')} not in every run` : `${n}: their route x count x offset combination is not in every run`;
}

export function headline(c: Comparison): string {
  const n = regressions(c);
  const tol = `tolerance ${fixed(c.tolerance.pp, 2)} points for rates, ${fixed(c.tolerance.pct, 1)} % and ${fixed(c.tolerance.ms, 1)} ms for latency`;
  return n === 0 ? `No regression beyond the tolerance (${tol}).` : `${n} regression${n === 1 ? '' : 's'} beyond the tolerance (${tol}), marked in bold.`;
}

export const APPROX_NOTE = '≈: k6 reports percentiles for a whole route / run, and those cannot be recombined for a subset, so this figure also covers the run\'s left-out cells. It is not marked, and --fail-on does not judge it.';
