// --fail-on rules: parsed up front (bad syntax is exit 2 before any file is
// read), evaluated on the comparison (a broken rule is exit 1, or 3 when the
// run or the baseline could not be trusted: gate.ts). Rates are in
// percentage points, so `%` is refused there: "drop > 1 %" could mean
// relative or absolute and a gate must not be ambiguous.
import { fixed, int } from '../../lib/summary/format.ts';
import { answersNeeded, latencyJudged, type Comparison, type Table } from './diff.ts';
import { CompareError } from './errors.ts';

export type RuleKind = 'success-rate-drop' | 'no-response-increase' | 'p95-increase' | 'median-increase' | 'max-increase' | 'not-sent';

export interface Rule { text: string; kind: RuleKind; limit: number }

const UNITS: Record<RuleKind, { units: string[]; help: string }> = {
  'success-rate-drop': { units: ['', 'pp'], help: 'success % (per route and all routes) fell by more than N percentage points' },
  'no-response-increase': { units: ['', 'pp'], help: 'no-response % (per route and all routes) rose by more than N percentage points' },
  'p95-increase': { units: ['%', ''], help: 'p95 of successful answers (per route and all routes) rose by more than N % and the noise floor' },
  'median-increase': { units: ['%', ''], help: 'median of successful answers rose by more than N % and the noise floor' },
  'max-increase': { units: ['%', ''], help: 'slowest successful answer rose by more than N % and the noise floor' },
  'not-sent': { units: [''], help: 'a compared run has more than N requests k6 never sent (dropped iterations)' },
};

export const RULE_HELP: string = (Object.keys(UNITS) as RuleKind[])
  .map((k) => `  ${`${k}>N${UNITS[k].units[0] === '%' ? '%' : ''}`.padEnd(24)} ${UNITS[k].help}`).join('\n');

export function parseRule(text: string): Rule {
  const m = /^\s*([a-z0-9-]+)\s*>\s*(\d+(?:\.\d+)?)\s*(%|pp)?\s*$/i.exec(text);
  const kind = m?.[1]!.toLowerCase() as RuleKind | undefined;
  const unit = m?.[3]?.toLowerCase() ?? '';
  if (!m || !kind || !(kind in UNITS) || !UNITS[kind].units.includes(unit)) {
    const hint = kind && kind in UNITS ? ` (${kind} takes ${UNITS[kind].units[0] === '%' ? 'a % change' : kind === 'not-sent' ? 'a request count' : 'percentage points, no %'})` : '';
    throw new CompareError(`bad --fail-on rule '${text}'${hint}. Accepted rules (N a number):\n${RULE_HELP}`);
  }
  const limit = Number(m[2]);
  if (kind === 'not-sent' && !Number.isInteger(limit)) {
    throw new CompareError(`bad --fail-on rule '${text}' (not-sent takes a whole number of requests). Accepted rules (N a number):\n${RULE_HELP}`);
  }
  return { text: text.trim(), kind, limit };
}

export interface Violation {
  rule: string;
  run: string;
  /** The run's position (1.. : the baseline is 0 and breaks nothing): gate.ts asks whether it can be trusted. */
  index: number;
  where: string;
  message: string;
}

export interface RuleResult {
  rule: string;
  violations: Violation[];
  /** Cells the rule could not judge (a value missing in either run, too few answers for a percentile). */
  unevaluated: string[];
}

/** Cells of a table whose delta breaks the limit, for every run but the baseline. */
function check(c: Comparison, rule: Rule, t: Table, broken: (delta: number) => boolean, unit: string): RuleResult {
  const out: RuleResult = { rule: rule.text, violations: [], unevaluated: [] };
  const v = (n: number | null) => (t.kind === 'rate' ? `${fixed(n, 2)} %` : `${fixed(n, 2)} ms`);
  for (const row of t.rows) {
    row.cells.forEach((cell, i) => {
      if (i === 0) return;
      const run = c.runs[i]!.label;
      if (cell.delta === null || cell.approx || row.cells[0]!.approx) {
        out.unevaluated.push(`${run} ${row.label}${cell.delta === null ? ' (no value in one of the runs)' : ' (approximate: the k6 figure covers left-out cells)'}`);
        return;
      }
      if (t.kind === 'latency' && t.stat) {
        // Latency is judged only on enough answers, and beyond the absolute noise floor (both runs' ms).
        const judged = latencyJudged(row.cells[0]!, cell, t.stat, c.tolerance);
        if (judged === 'few-answers') {
          out.unevaluated.push(`${run} ${row.label} (too few answers for ${t.title}: ${row.cells[0]!.n ?? 0} and ${cell.n ?? 0}, ` +
            `${answersNeeded(t.stat, c.tolerance.tail)} needed in each run)`);
          return;
        }
        if (judged === 'floor') return;
      }
      if (!broken(cell.delta)) return;
      const base = row.cells[0]!.value;
      out.violations.push({
        rule: rule.text, run, index: i, where: row.label,
        message: `${run}, ${row.label}: ${t.title} ${v(cell.value)} vs ${v(base)} in ${c.runs[0]!.label} ` +
          `(${cell.delta > 0 ? '+' : ''}${fixed(cell.delta, t.kind === 'rate' ? 2 : 1)} ${unit}` +
          `${t.kind === 'latency' && base !== null && cell.value !== null ? `, +${fixed(cell.value - base, 1)} ms` : ''})`,
      });
    });
  }
  return out;
}

export function evaluateRule(c: Comparison, rule: Rule): RuleResult {
  const n = rule.limit;
  switch (rule.kind) {
    case 'success-rate-drop': return check(c, rule, { ...c.perRoute, title: 'success' }, (d) => -d > n, 'pp');
    case 'no-response-increase': return check(c, rule, { ...c.noResponse, title: 'no response' }, (d) => d > n, 'pp');
    case 'p95-increase': return check(c, rule, { ...c.latency.p95, title: 'p95' }, (d) => d > n, '%');
    case 'median-increase': return check(c, rule, { ...c.latency.median, title: 'median' }, (d) => d > n, '%');
    case 'max-increase': return check(c, rule, { ...c.latency.max, title: 'max' }, (d) => d > n, '%');
    case 'not-sent': return {
      rule: rule.text, unevaluated: [],
      violations: c.runs.map((r, index) => ({ r, index })).filter(({ r, index }) => index > 0 && r.notSent > n).map(({ r, index }) => ({
        rule: rule.text, run: r.label, index, where: 'run',
        message: `${r.label}: ${int(r.notSent)} requests not sent (k6 dropped iterations), limit ${int(n)}`,
      })),
    };
  }
}

export function evaluateRules(c: Comparison, rules: Rule[]): RuleResult[] {
  return rules.map((r) => evaluateRule(c, r));
}

/** One line per rule for the cells it could not judge: the full list is noise. */
export function unevaluatedSummary(results: RuleResult[]): string[] {
  return results.filter((r) => r.unevaluated.length > 0).map((r) => {
    const n = r.unevaluated.length;
    return `${r.rule} not evaluated for ${n} cell${n === 1 ? '' : 's'}: ${r.unevaluated.slice(0, 3).join('; ')}${n > 3 ? '; ...' : ''}`;
  });
}
