// The whole command as a function of argv (cli.ts only wires process), so
// tests can run it in-process as well as through tsx.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs, USAGE } from './args.ts';
import { compare } from './diff.ts';
import { CompareError } from './errors.ts';
import { EXIT, gateOutcome, notJudgedLines } from './gate.ts';
import { renderHtml } from './html.ts';
import { loadRun } from './load.ts';
import { renderMarkdown } from './markdown.ts';
import { evaluateRules, parseRule, unevaluatedSummary, type Rule } from './rules.ts';
import type { Run } from './diff.ts';

export interface Io { out: (s: string) => void; err: (s: string) => void }

export function run(argv: string[], io: Io): number {
  try {
    return main(argv, io);
  } catch (e) {
    if (!(e instanceof CompareError)) throw e;
    io.err(`compare: ${e.message}\n`);
    return e.exitCode;
  }
}

function main(argv: string[], io: Io): number {
  const opts = parseArgs(argv);
  if (opts.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  if (opts.files.length < 2) throw new CompareError(`needs a baseline and at least one more summary.json (got ${opts.files.length})\n\n${USAGE}`);
  // Rules first: a typo in CI should fail before any file is read.
  const rules: Rule[] = opts.rules.map(parseRule);

  // Every unreadable file at once, so a fix does not reveal the next one.
  const runs: Run[] = [];
  const problems: string[] = [];
  for (const f of opts.files) {
    try {
      runs.push(loadRun(f));
    } catch (e) {
      if (!(e instanceof CompareError)) throw e;
      problems.push(e.message);
    }
  }
  if (problems.length) throw new CompareError(problems.join('\n'));

  const c = compare(runs, opts.tolerance);
  const results = c.basis === 'none' ? [] : evaluateRules(c, rules);
  io.out(renderMarkdown(c, results));
  if (opts.html !== null) {
    const path = opts.html ?? join(dirname(opts.files.at(-1)!), 'compare.html');
    try {
      writeFileSync(path, renderHtml(c, results));
    } catch (e) {
      throw new CompareError(`cannot write ${path}: ${(e as Error).message}`);
    }
    io.err(`compare: HTML written to ${path}\n`);
  }
  if (c.basis === 'none') throw new CompareError('the runs have no route and offset in common: nothing to compare');

  const gate = gateOutcome(c, results);
  for (const u of unevaluatedSummary(results)) io.err(`compare: ${u}\n`);
  // A run that cannot be trusted is said even when no rule broke: its figures may hide a regression.
  for (const i of c.trust.untrusted) {
    const r = c.runs[i]!;
    if (!gate.blamed.some((b) => b.index === i)) io.err(`compare: warning: ${r.label} (${r.role}) is not trustworthy: ${r.verdict.headline}\n`);
  }
  const [first, ...rest] = notJudgedLines(gate);
  if (first !== undefined) io.err(`compare: ${first}\n${rest.map((l) => `${l}\n`).join('')}`);
  const broken = gate.counted;
  if (broken.length > 0) {
    io.err(`compare: ${broken.length} --fail-on violation${broken.length === 1 ? '' : 's'}:\n${broken.map((v) => `  FAIL ${v.rule}: ${v.message}`).join('\n')}\n`);
  }
  return gate.code === 1 ? EXIT.degraded : gate.code === 3 ? EXIT.notJudged : EXIT.ok;
}
