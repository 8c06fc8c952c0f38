// Shared wording and number formats for the Markdown and HTML renderers, so
// both say the same thing about the same cell.
import { fixed, int } from '../../lib/summary/format.ts';
import type { Basis, Cell, Comparison, LeftOut, RunInfo, Table } from './diff.ts';
import { regressions, untrusted } from './diff.ts';
import { blameText, type GateOutcome } from './gate.ts';
import type { RuleResult } from './rules.ts';

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

/** `baseline`, `run 1`, ...: how the tables name a run's position. */
export const runTag = (i: number): string => (i === 0 ? 'baseline' : `run ${i}`);

/** A table's column header: the baseline says so, a run that cannot be trusted carries ⚠ beside its differences. */
export function columnLabel(c: Comparison, i: number): string {
  const r = c.runs[i]!;
  return `${r.label}${i === 0 ? ' (baseline)' : ''}${untrusted(r.verdict) ? ' ⚠' : ''}`;
}

/** Said beside a verdict judged without schedule lag (a file from before version 3): the verdict is weaker. */
export function lagNote(r: RunInfo): string {
  if (r.lagRecorded) return '';
  const why = r.upgradedFrom !== null ? `recorded as summary.json v${r.upgradedFrom}, before schedule lag was measured` : 'k6\'s data had no schedule lag';
  return `No lag data (${why}): judged from drops and unscheduled requests alone.`;
}

/** What a run's verdict says, as one line: the headline, and the advice when it is not trustworthy. */
export function verdictText(r: RunInfo): string {
  const v = r.verdict;
  return [v.headline, untrusted(v) ? v.advice : '', lagNote(r)].filter(Boolean).join(' ');
}

/** A rule's result in the gates table: pass, FAIL (n), and the violations not judged (the load generator's). */
export function ruleOutcome(r: RuleResult, gate: GateOutcome): { counted: number; excused: number } {
  const counted = r.violations.filter((v) => gate.counted.includes(v)).length;
  return { counted, excused: r.violations.length - counted };
}

/** Why the gate did not judge: "the candidate run's load generator fell behind (pr): ..."; '' unless exit 3. */
export function notJudgedReason(gate: GateOutcome): string {
  if (gate.code !== 3) return '';
  return `${gate.blamed.map(blameText).join(', and ')}: the broken rules may be the load generator's doing, not the code's.`;
}

export function gateLine(gate: GateOutcome): string {
  const why = notJudgedReason(gate);
  return why ? `Not judged (exit 3): ${why}` : '';
}
