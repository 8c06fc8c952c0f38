// The CI gate's outcome: which --fail-on violations count against the code.
// A violation of a run whose own figures, or the baseline's, may be the load
// generator's (verdict generator-behind or saturated, lib/summary/verdict.ts)
// is not judged: the run fails neither way, with exit 3 instead of 1, so a
// pull request is not blamed for a busy CI machine. Pure: run.ts prints it,
// the renderers show it.
import type { Verdict } from '../../lib/summary/model.ts';
import { untrusted, type Comparison } from './diff.ts';
import type { RuleResult, Violation } from './rules.ts';

/** compare's exit codes. */
export const EXIT = {
  /** Compared; no --fail-on rule broken (or only on cells it could not judge). */
  ok: 0,
  /** A --fail-on rule broken by a trustworthy run against a trustworthy baseline. */
  degraded: 1,
  /** Bad usage or input, or the runs share nothing to compare. */
  invalid: 2,
  /** Rules broken only where the baseline's or that run's load generator fell behind, or its machine was saturated. */
  notJudged: 3,
} as const;

export const EXIT_HELP = `exit codes:
  ${EXIT.ok}  compared; no --fail-on rule broken
  ${EXIT.degraded}  degraded: a --fail-on rule broken (each printed)
  ${EXIT.invalid}  bad input or usage, or the runs have no route and offset in common
  ${EXIT.notJudged}  not judged: every broken rule was broken by a run whose load generator fell
     behind or whose machine was saturated, or against such a baseline (the verdict
     in summary.json): the difference may be the load generator's, not the code's
     (the reason and the verdict's advice are printed). A rule a trustworthy run
     broke against a trustworthy baseline still exits ${EXIT.degraded}.`;

export interface Blamed {
  index: number;
  role: 'baseline' | 'candidate';
  label: string;
  verdict: Verdict;
}

export interface GateOutcome {
  code: 0 | 1 | 3;
  /** Violations that count against the code: a trustworthy run vs a trustworthy baseline. */
  counted: Violation[];
  /** Violations not judged: that run or the baseline is not trustworthy. */
  excused: Violation[];
  /** The untrusted runs behind `excused` (the baseline first). */
  blamed: Blamed[];
}

export function gateOutcome(c: Comparison, results: RuleResult[]): GateOutcome {
  const all = results.flatMap((r) => r.violations);
  const bad = (i: number) => untrusted(c.runs[i]!.verdict);
  const excusedBy = (v: Violation): number[] => [0, v.index].filter((i, k, xs) => xs.indexOf(i) === k && bad(i));
  const counted = all.filter((v) => excusedBy(v).length === 0);
  const excused = all.filter((v) => excusedBy(v).length > 0);
  const blamedIdx = [...new Set(excused.flatMap(excusedBy))].sort((a, b) => a - b);
  const blamed = blamedIdx.map((i) => ({ index: i, role: c.runs[i]!.role, label: c.runs[i]!.label, verdict: c.runs[i]!.verdict }));
  const code = counted.length > 0 ? 1 : excused.length > 0 ? 3 : 0;
  return { code, counted, excused, blamed };
}

/** "the candidate run's load generator fell behind (pr)": why a violation is not judged. */
export function blameText(b: Blamed): string {
  const what = b.verdict.status === 'saturated' ? 'machine was saturated' : 'load generator fell behind';
  return `the ${b.role} run's ${what} (${b.label})`;
}

/** The lines run.ts prints to stderr for violations not judged (without the `compare: ` prefix). */
export function notJudgedLines(g: GateOutcome): string[] {
  if (g.excused.length === 0) return [];
  const n = g.excused.length;
  const out = [
    `not judged: ${g.blamed.map(blameText).join(', and ')}. ${n} --fail-on violation${n === 1 ? '' : 's'} not counted against the code: ` +
    'the difference may be the load generator\'s, not the code\'s.',
  ];
  for (const b of g.blamed) {
    out.push(`  ${b.label} (${b.role}): ${b.verdict.headline}`);
    if (b.verdict.advice) out.push(`  advice: ${b.verdict.advice}`);
  }
  out.push(...g.excused.map((v) => `  NOT JUDGED ${v.rule}: ${v.message}`));
  return out;
}
